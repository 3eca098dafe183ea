import Foundation
import MicrodataWrite

/// One cell of the audit that may sit beside publication outputs: its status and whether it passed,
/// without its true value or anything from which the value follows.
public struct PublicAuditCell: Sendable, Codable, Equatable {
    public var cell: String
    public var key: [String]
    public var status: String
    public var measure: Measure
    /// The attacker's interval, given only where it cannot reveal the value: for published (rounded)
    /// cells, and for primaries that passed with a protection interval reaching past the value on both
    /// sides (so both bounds lie strictly outside it). `nil` otherwise, whatever the bounds are.
    public var lower: Double?
    public var upper: Double?
    public var exactlyDetermined: Bool
    public var pass: Bool
    /// The audit's reason without intervals or unit counts.
    public var reason: String
}

/// The audit written by default: bounds and pass/fail status, no true values (the full audit is only
/// written on request, outside the output folder, by ``AuditReport/privateJSON()``).
public struct PublicAuditReport: Sendable, Codable, Equatable {
    public var tool: String
    public var rules: DisclosureRules
    public var rulesInForce: String
    /// How many differences the rendered artefact had from the mask (their text holds true values).
    public var artefactInconsistencies: Int
    public var cells: [PublicAuditCell]
    public var suppressedCells: Int
    public var recoverableCells: Int
    public var passed: Bool
    public var summary: String
    public var publication: String?
    public var note: String
}

extension AuditReport {
    /// The key that opens the full audit's JSON.
    public static let notForReleaseKey = "NOT FOR RELEASE"

    /// The audit without true values: no `value`, no protection interval (it is the value ± a level the
    /// rules give), no bound that could equal the value, no numbers in the reasons.
    public func publicReport() -> PublicAuditReport {
        let publicCells = cells.map { c -> PublicAuditCell in
            let published = !Self.isSuppressedLabel(c.status)
            let clearOfValue = c.status.hasPrefix("primary") && c.pass
                && (c.requiredLower.map { $0 < c.value } ?? false) && (c.requiredUpper.map { $0 > c.value } ?? false)
            let showBounds = published || clearOfValue
            return PublicAuditCell(
                cell: c.cell, key: c.key, status: c.status, measure: c.measure, lower: showBounds ? c.lower : nil,
                upper: showBounds ? c.upper : nil, exactlyDetermined: c.exactlyDetermined, pass: c.pass,
                reason: Self.scrub(c.reason))
        }
        return PublicAuditReport(
            tool: tool, rules: rules, rulesInForce: rules.inForce, artefactInconsistencies: consistency.count,
            cells: publicCells, suppressedCells: suppressedCells, recoverableCells: recoverableCells, passed: passed,
            summary: summary, publication: publication,
            note: "Public audit: no true values of suppressed cells. The full audit is written only with --audit-private.")
    }

    /// The public audit as pretty-printed JSON with sorted keys.
    public func publicJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(publicReport())
    }

    /// The full audit (true values, protection intervals) as JSON whose first key is
    /// `"NOT FOR RELEASE"`.
    public func privateJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard var object = try JSONDecoder().decode(JSONValue.self, from: encoder.encode(self)).object else {
            throw DisclosureError.solver("the audit did not encode as a JSON object")
        }
        object[Self.notForReleaseKey] = .string(
            "This audit holds the true values of suppressed cells: keep it out of every release folder.")
        // Sorted keys put "NOT FOR RELEASE" (capitals) before every other key, which are lower case.
        return try encoder.encode(JSONValue.object(object))
    }

    static func isSuppressedLabel(_ status: String) -> Bool {
        status.hasPrefix("primary") || status == "secondary" || status.hasPrefix("redacted")
    }

    /// Removes intervals (`[a, b]`) and unit counts (`hold 3 units`) from an audit reason.
    static func scrub(_ reason: String) -> String {
        reason
            .replacingOccurrences(of: #"\s*(to )?\[[^\]]*\]"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: #"hold -?[0-9.e+]+ units,"#, with: "hold", options: .regularExpression)
    }
}

/// Writes the public audit and, on request, the full one, refusing to put the full one where a release
/// is written.
public enum AuditFiles {
    /// - Parameters:
    ///   - publicPath: where the public audit goes (`--audit`), if anywhere.
    ///   - privatePath: where the full audit goes (`--audit-private`), if anywhere.
    ///   - outputFolders: the folders publication outputs are written to.
    /// - Throws: `DisclosureError.table` when the full audit would land in an output folder.
    public static func write(
        _ report: AuditReport, publicPath: String?, privatePath: String?, outputFolders: [URL]
    ) throws {
        if let privatePath {
            try checkPrivateLocation(privatePath, outputFolders: outputFolders, publicPath: publicPath)
            try OutputFile.write(report.privateJSON(), to: privatePath)
        }
        if let publicPath { try OutputFile.write(report.publicJSON(), to: publicPath) }
    }

    /// The audit file of an output written with disclosure control off: no audit, and the bypass stamp.
    public static func bypassedAuditJSON() throws -> Data {
        struct Bypassed: Encodable {
            enum CodingKeys: String, CodingKey { case audit, stamp }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encodeNil(forKey: .audit)
                try c.encode(CheckedTable.bypassStamp, forKey: .stamp)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = try encoder.encode(Bypassed())
        data.append(contentsOf: Array("\n".utf8))
        return data
    }

    /// Refuses a full-audit path inside (or equal to) an output folder, or equal to the public audit.
    public static func checkPrivateLocation(_ privatePath: String, outputFolders: [URL], publicPath: String?) throws {
        func resolved(_ url: URL) -> String { url.standardizedFileURL.resolvingSymlinksInPath().path }
        let folder = resolved(URL(fileURLWithPath: privatePath).deletingLastPathComponent())
        if let publicPath,
            resolved(URL(fileURLWithPath: publicPath)) == resolved(URL(fileURLWithPath: privatePath))
        {
            throw DisclosureError.table(
                source: privatePath, line: nil, reason: "--audit-private must not be the same file as --audit")
        }
        for output in outputFolders {
            let o = resolved(output)
            if folder == o || folder.hasPrefix(o.hasSuffix("/") ? o : o + "/") {
                throw DisclosureError.table(
                    source: privatePath, line: nil,
                    reason: "the full audit (true values) must not be written into the output folder \(output.path): "
                        + "choose a path outside it")
            }
        }
    }
}
