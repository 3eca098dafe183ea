import Foundation
import MicrodataReaders
/// A UK nation, for qualifications whose framework depends on where they were taken.
public enum Nation: String, Sendable, Hashable, Codable, CaseIterable {
    case england = "E", wales = "W", scotland = "S", northernIreland = "N"

    /// The name of the nation's own framework: RQF (England, Northern Ireland), CQFW (Wales), SCQF (Scotland).
    public var framework: String {
        switch self {
        case .england, .northernIreland: "RQF"
        case .wales: "CQFW"
        case .scotland: "SCQF"
        }
    }
}

/// Which side wins where a framework comparison and survey convention give different levels.
public enum QualificationBasis: String, Sendable, Hashable, Codable {
    /// The frameworks' own comparison ('Qualifications can cross boundaries'): Advanced Higher ≈ RQF 4.
    case framework
    /// Survey convention (LFS/UCAS): Advanced Higher ≈ A level, RQF 3.
    case survey
}

/// The qualification-type table: national qualification → framework level → common scales.
public struct QualificationTable: Sendable {
    /// One value of a qualification on a target scale.
    public struct Level: Sendable, Hashable {
        public var value: String
        /// `both`, `framework` or `survey`.
        public var basis: String
        /// `high`, `medium`, `low`, `verify` (needs checking against an official mapping), `assumption`.
        public var confidence: String
        /// The stated share of the qualification at this value, when it is spread over several
        /// (`qualification_level_shares.csv`); `nil` for a single value.
        public var share: Double?
    }

    /// One qualification type.
    public struct Qualification: Sendable {
        public var code: String
        public var name: String
        public var nations: Set<Nation>
        /// Scale (RQF, SCQF, EQF, NVQ, HIQUL22D, ISCED2011) → levels; empty when the qualification has no level.
        public var levels: [String: [Level]]
    }

    /// The scales every qualification is mapped to.
    public static let scales = ["RQF", "SCQF", "EQF", "NVQ", "HIQUL22D", "ISCED2011"]

    /// Qualifications in file order.
    public let qualifications: [Qualification]
    private let index: [String: Int]

    /// The qualification with `code`.
    public func qualification(_ code: String) -> Qualification? { index[code].map { qualifications[$0] } }

    init(_ t: CSVTable) throws {
        let code = try t.column("code"), nations = try t.column("nations"), name = try t.column("qualification")
        let scale = try t.column("scale"), value = try t.column("value"), basis = try t.column("basis")
        let confidence = try t.column("confidence")
        let shareColumn = try? t.column("share")
        var list: [Qualification] = []
        var index: [String: Int] = [:]
        for row in t.rows {
            let c = row.fields[code]
            var set = Set<Nation>()
            for ch in row.fields[nations] {
                guard let n = Nation(rawValue: String(ch)) else {
                    throw HarmoniseError("nation '\(ch)' is not one of E, W, S, N", file: t.file, line: row.line)
                }
                set.insert(n)
            }
            guard Self.scales.contains(row.fields[scale]) else {
                throw HarmoniseError("unknown scale '\(row.fields[scale])'", file: t.file, line: row.line)
            }
            guard ["both", "framework", "survey", "none"].contains(row.fields[basis]) else {
                throw HarmoniseError("basis '\(row.fields[basis])' is not both, framework, survey or none", file: t.file, line: row.line)
            }
            if index[c] == nil {
                index[c] = list.count
                list.append(Qualification(code: c, name: row.fields[name], nations: set, levels: [:]))
            }
            let i = index[c]!
            if row.fields[value].isEmpty { list[i].levels[row.fields[scale], default: []] += []; continue }
            var share: Double? = nil
            if let shareColumn, !row.fields[shareColumn].isEmpty {
                guard let v = Double(row.fields[shareColumn]), v > 0, v <= 1 else {
                    throw HarmoniseError("share '\(row.fields[shareColumn])' is not a number in (0, 1]", file: t.file, line: row.line)
                }
                share = v
            }
            let level = Level(value: row.fields[value], basis: row.fields[basis], confidence: row.fields[confidence], share: share)
            let existing = list[i].levels[row.fields[scale]] ?? []
            let spread = level.share != nil && existing.allSatisfy { $0.share != nil && $0.basis == level.basis }
            if !spread, existing.contains(where: { $0.basis == level.basis || $0.basis == "both" || level.basis == "both" }) {
                throw HarmoniseError(
                    "qualification \(c) has two \(row.fields[scale]) values for the same basis", file: t.file, line: row.line)
            }
            list[i].levels[row.fields[scale]] = existing + [level]
        }
        for q in list {
            for (scale, levels) in q.levels where levels.contains(where: { $0.share != nil }) {
                let total = levels.reduce(0) { $0 + ($1.share ?? 0) }
                guard abs(total - 1) < 1e-9 else {
                    throw HarmoniseError("the shares of \(q.code) on \(scale) sum to \(total), not 1", file: t.file)
                }
            }
        }
        qualifications = list
        self.index = index
    }

    /// The values of `code` on `scale` under `basis` with their shares (summing to 1), largest first, ties in
    /// file order; empty when the qualification has no level there.
    public func distribution(_ code: String, scale: String, basis: QualificationBasis) -> [Level] {
        guard let levels = qualification(code)?.levels[scale], !levels.isEmpty else { return [] }
        if levels.contains(where: { $0.share != nil }) {
            return levels.enumerated().sorted { a, b in
                a.element.share! != b.element.share! ? a.element.share! > b.element.share! : a.offset < b.offset
            }.map(\.element)
        }
        return level(code, scale: scale, basis: basis).map { [$0] } ?? []
    }

    /// The level of `code` on `scale` under `basis`, or nil when the qualification has no level there.
    public func level(_ code: String, scale: String, basis: QualificationBasis) -> Level? {
        guard let levels = qualification(code)?.levels[scale], !levels.isEmpty else { return nil }
        if levels.contains(where: { $0.share != nil }) { return distribution(code, scale: scale, basis: basis).first }
        // A scale with a single value (e.g. the survey's own HIQUL22D band) has it under either basis.
        return levels.first { $0.basis == basis.rawValue } ?? levels.first { $0.basis == "both" }
            ?? (levels.count == 1 ? levels[0] : nil)
    }

    /// The framework level of `code` for a record from `nation` ("SCQF 7", "CQFW 3", "RQF 2").
    ///
    /// Qualifications of one nation keep that nation's framework; UK-wide ones take the record's nation's.
    public func frameworkLevel(_ code: String, nation: Nation?) -> String? {
        guard let q = qualification(code) else { return nil }
        let home: Nation? = q.nations.count == 1 ? q.nations.first : nation
        guard let home else { return nil }
        let scale = home == .scotland ? "SCQF" : "RQF"
        if let spread = q.levels[scale], spread.contains(where: { $0.share != nil }) {
            return "\(home.framework) " + spread.map(\.value).joined(separator: "/")
        }
        guard let level = q.levels[scale]?.first(where: { $0.basis != "survey" }) ?? q.levels[scale]?.first
        else { return nil }
        return "\(home.framework) \(level.value)"
    }
}

/// The codes a data file may use for each nation, in named code sets (`letter`, `name`, `GSS`, `LFS-COUNTRY`,
/// `LFS-GOVTOF2`, ...).
///
/// A nation variable is read with one code set when its name or an explicit `VAR@SET` names one (GOVTOF2 →
/// `LFS-GOVTOF2`), else with the default sets: every set, in file order, whose codes do not contradict an
/// earlier one (so the region codes of GOVTOF2 never shadow the COUNTRY codes 1–5).
public struct NationCodes: Sendable {
    /// Code set → code (as written and in lower case) → nation.
    let sets: [String: [String: Nation]]
    /// The default sets merged.
    let codes: [String: Nation]
    /// Set names in file order.
    public let setNames: [String]

    init(_ t: CSVTable) throws {
        let nation = try t.column("nation"), code = try t.column("code")
        let setColumn = try? t.column("code_set")
        var sets: [String: [String: Nation]] = [:]
        var names: [String] = []
        for row in t.rows {
            guard let n = Nation(rawValue: row.fields[nation]) else {
                throw HarmoniseError("nation '\(row.fields[nation])' is not one of E, W, S, N", file: t.file, line: row.line)
            }
            let set = setColumn.map { row.fields[$0] }.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
            if sets[set] == nil { names.append(set) }
            let key = row.fields[code].lowercased()
            if let old = sets[set]?[key], old != n {
                throw HarmoniseError("code '\(row.fields[code])' names two nations in code set \(set)", file: t.file, line: row.line)
            }
            sets[set, default: [:]][key] = n
            sets[set, default: [:]][row.fields[code]] = n
        }
        var merged: [String: Nation] = [:]
        for name in names where sets[name]!.allSatisfy({ merged[$0.key] == nil || merged[$0.key] == $0.value }) {
            merged.merge(sets[name]!) { a, _ in a }
        }
        self.sets = sets
        codes = merged
        setNames = names
    }

    init() {
        sets = [:]
        codes = [:]
        setNames = []
    }

    /// The codes of set `name` (case-insensitive, and `LFS-<name>` for an LFS variable name such as GOVTOF2),
    /// or `nil` when no set has that name.
    public func codeSet(_ name: String) -> [String: Nation]? {
        let wanted = name.uppercased()
        return setNames.first { $0.uppercased() == wanted || $0.uppercased() == "LFS-" + wanted }.flatMap { sets[$0] }
    }

    /// The nation a data value names in the default sets, matched case-insensitively.
    public func nation(_ value: String) -> Nation? { codes[value.lowercased()] }
}
