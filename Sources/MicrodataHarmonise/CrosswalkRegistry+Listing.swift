import Foundation

/// A name or code that `crosswalk show` cannot find; the message says what was asked and where to look.
public struct CrosswalkLookupError: Error, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

extension CrosswalkRegistry {
    /// The listing of `microdata crosswalk list`: tab-separated name, kind, scheme (`FROM>TO` for a
    /// crosswalk), weight bases, source, issued, licence, sha256 (the computed one when the manifest has none)
    /// and a note; then the approximate SOC2020 NS-SEC derivation, when in use.
    public func listing() -> String {
        var lines = ["name\tkind\tscheme\tbases\tsource\tissued\tlicence\tsha256\tnote"]
        for l in entries {
            let e = l.entry
            let scheme = e.kind == "crosswalk" ? "\(e.from ?? "")>\(e.to ?? "")" : (e.scheme ?? "")
            let bases = (e.weights ?? [:]).keys.sorted().joined(separator: ",")
            var note = e.approximate == true ? "APPROXIMATE" : ""
            if unverified[e.name] != nil { note += (note.isEmpty ? "" : " ") + "no sha256 in manifest" }
            let sha = e.sha256 ?? unverified[e.name] ?? ""
            let source = e.source.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
            lines.append([e.name, e.kind, scheme, bases, source, e.issued, e.licence, sha, note].joined(separator: "\t"))
        }
        if let t = nssec?.tables["SOC2020"], t.isApproximate {
            lines.append("(derived)\tnssec-derivation\tSOC2020\t\t\t\t\t\t\(t.note)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What `microdata crosswalk show NAME [CODE]` prints: the entry's provenance, then a summary of the table
    /// (a crosswalk, code frame, NS-SEC table or qualification table) and every row of its file (see ``rows(_:code:)``),
    /// or the rows for `code`. A scheme name (SOC2020, SOC2000) shows its code frame.
    ///
    /// - Throws: ``CrosswalkLookupError`` when there is no such table or `code` is not in it.
    public func show(_ name: String, code: String?) throws(CrosswalkLookupError) -> String {
        var lines: [String] = []
        let entry = entries.first { $0.entry.name.lowercased() == name.lowercased() }?.entry
        if let entry {
            lines.append("\(entry.name): \(entry.kind), file \(entry.file)")
            lines.append("source: \(entry.source)")
            lines.append("issued \(entry.issued); licence \(entry.licence); sha256 \(entry.sha256 ?? unverified[entry.name] ?? "")")
            if let note = entry.approxNote { lines.append("APPROXIMATE: \(note)") }
        }
        if entry?.kind == "crosswalk", let cw = crosswalks[entry!.name] {
            lines += try Self.lines(cw, code: code)
        } else if let frame = codeFrames[entry?.scheme ?? name.uppercased()], entry == nil || entry?.kind == "codeframe" {
            lines += try Self.lines(frame, code: code)
        } else if entry?.kind == "nssec-derivation" || entry?.kind == "nssec-simplified"
            || (entry == nil && name.lowercased().hasPrefix("nssec"))
        {
            lines += try nssecLines(scheme: entry?.scheme ?? "SOC2020", code: code)
        } else if entry?.kind == "qualification-levels", let table = qualifications {
            lines += try Self.lines(table, code: code)
        } else if entry == nil {
            throw CrosswalkLookupError("no table named \(name); see `microdata crosswalk list`")
        }
        if code == nil, let all = try? rows(name) { lines += ["", String(all.text.dropLast())] }
        return lines.map { $0 + "\n" }.joined()
    }

    private static func lines(_ cw: Crosswalk, code: String?) throws(CrosswalkLookupError) -> [String] {
        guard let code else {
            let counts = cw.sourceCodes.map { cw.links[$0]!.count }
            return [
                "\(cw.fromScheme) → \(cw.toScheme): \(cw.sourceCodes.count) source codes, \(counts.reduce(0, +)) links, "
                    + "\(counts.filter { $0 == 1 }.count) one-to-one, max fan-out \(counts.max() ?? 0)",
                cw.bases.isEmpty
                    ? "bases: none (a code list without link weights)"
                    : "bases: \(cw.bases.joined(separator: ", ")) (default \(cw.entry.defaultBasis ?? "none"))",
            ]
        }
        guard let links = cw.links[code] else { throw CrosswalkLookupError("\(code) is not a \(cw.fromScheme) code of \(cw.name)") }
        return [(["target"] + cw.bases).joined(separator: "\t")]
            + links.map { ([$0.target] + $0.weights.map { String(format: "%.6g", $0) }).joined(separator: "\t") }
    }

    private static func lines(_ frame: CodeFrame, code: String?) throws(CrosswalkLookupError) -> [String] {
        guard let code else {
            return ["major", "sub_major", "minor", "unit"].map { "\($0): \(frame.codes(level: $0).count)" }
        }
        guard var entry = frame.entry(code) else { throw CrosswalkLookupError("\(code) is not in \(frame.scheme)") }
        var lines = ["\(entry.code)\t\(entry.level)\t\(entry.title)"]
        while let p = entry.parent, let parent = frame.entry(p) {
            lines.append("  in \(parent.code)\t\(parent.level)\t\(parent.title)")
            entry = parent
        }
        return lines
    }

    private func nssecLines(scheme: String, code: String?) throws(CrosswalkLookupError) -> [String] {
        guard let ns = nssec, let table = ns.tables[scheme] else { throw CrosswalkLookupError("no NS-SEC table for \(scheme)") }
        var lines = table.isApproximate ? [table.note] : []
        guard let code else { return lines + ["\(table.full.count) unit groups"] }
        guard table.full[code] != nil || table.simplified[code] != nil else {
            throw CrosswalkLookupError("\(code) is not in the \(scheme) NS-SEC table")
        }
        lines.append("method\tstatus\top category\tclass8\tclass5\tclass3\tshare")
        for (method, n) in [(NSSECMethod.full, 7), (.reduced, 5), (.simplified, 1)] {
            for s in 1...n {
                guard let cell = table.cell(unit: code, method: method, status: s) else { continue }
                let c = ns.classes(of: cell.operationalCategory)
                lines.append([
                    method.rawValue, method == .simplified ? "-" : String(s), cell.operationalCategory, c?.class8 ?? "?",
                    c?.class5 ?? "?", c?.class3 ?? "?", String(format: "%.3f", cell.share),
                ].joined(separator: "\t"))
            }
        }
        return lines
    }

    private static func lines(_ table: QualificationTable, code: String?) throws(CrosswalkLookupError) -> [String] {
        guard let code else {
            return table.qualifications.map { "\($0.code)\t\($0.nations.map(\.rawValue).sorted().joined())\t\($0.name)" }
        }
        guard let q = table.qualification(code) else { throw CrosswalkLookupError("no qualification \(code)") }
        var lines = ["\(q.code): \(q.name) (nations \(q.nations.map(\.rawValue).sorted().joined()))"]
        for scale in QualificationTable.scales {
            let levels = q.levels[scale] ?? []
            lines.append(
                "\(scale)\t" + (levels.isEmpty ? "(no level)" : levels.map { "\($0.value) [\($0.basis), \($0.confidence)]" }.joined(separator: "; ")))
        }
        return lines
    }
}
