import Foundation
import MicrodataReaders
/// The NS-SEC derivation method used for a record.
public enum NSSECMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// Unit group plus the 7 ONS employment statuses (employer/manager with size, own account, supervisor, employee).
    case full
    /// Unit group plus 5 statuses without size.
    case reduced
    /// Unit group only.
    case simplified
}

/// The analytic classes of one NS-SEC operational category.
public struct NSSECClasses: Sendable, Hashable, Codable {
    public var operationalCategory: String
    /// The 8-class analytic version (1.1, 1.2, 2 … 8; NC not classified).
    public var class8: String
    public var class5: String
    public var class3: String
}

/// An ONS table cell whose printed analytic class differs from the class implied by its operational category.
public struct NSSECQuirk: Sendable, Hashable, Codable {
    public var socCode: String
    public var method: String
    public var status: String
    public var operationalCategory: String
    public var printedClass: String
    public var derivedClass: String
    public var file: String
    public var line: Int
}

/// An NS-SEC derivation table keyed by SOC unit group: operational category per method and employment status.
public struct NSSECTable: Sendable {
    /// One derived category with the share of the unit group's weight behind it (1 for an official table).
    public struct Cell: Sendable, Hashable {
        public var operationalCategory: String
        public var share: Double
    }

    public let scheme: String
    /// True for a table derived through a crosswalk rather than published for `scheme`.
    public let isApproximate: Bool
    /// True for a published table whose manifest entry says `"official": true` (the shipped ONS tables); a
    /// user's table is labelled `user` with its own source.
    public let isOfficial: Bool
    /// The `*_nssec_quality` value: `official`, `user` or `approximate`.
    public var quality: String { isApproximate ? "approximate" : isOfficial ? "official" : "user" }
    public let note: String
    /// Unit group → 7 full-method cells (status 1…7).
    public let full: [String: [Cell?]]
    /// Unit group → 5 reduced-method cells (status 1…5).
    public let reduced: [String: [Cell?]]
    /// Unit group → simplified-method cell.
    public let simplified: [String: Cell]
    /// Cells where the printed analytic class disagrees with the operational category (e.g. 1115's "1").
    public let quirks: [NSSECQuirk]

    /// The cell for `unit` under `method` and `status` (1-based; ignored for simplified).
    public func cell(unit: String, method: NSSECMethod, status: Int) -> Cell? {
        switch method {
        case .full: guard (1...7).contains(status) else { return nil }; return full[unit]?[status - 1]
        case .reduced: guard (1...5).contains(status) else { return nil }; return reduced[unit]?[status - 1]
        case .simplified: return simplified[unit]
        }
    }

    init(entry: ManifestEntry, derivation: CSVTable, simplifiedTable: CSVTable?, classes: [String: NSSECClasses])
        throws
    {
        let scheme = entry.scheme ?? "SOC2010"
        let socColumn = try derivation.column(entry.fromColumn ?? scheme.lowercased())
        let method = try derivation.column("method"), status = try derivation.column("emp_status_code")
        let op = try derivation.column("nssec_op_cat"), analytic = try derivation.column("nssec_analytic")
        var full: [String: [Cell?]] = [:], reduced: [String: [Cell?]] = [:]
        var quirks: [NSSECQuirk] = []
        func check(_ code: String, _ m: String, _ s: String, _ cat: String, _ printed: String, _ file: String, _ line: Int)
            throws
        {
            guard let implied = NSSECTables.classes(of: cat, in: classes) else {
                throw HarmoniseError("unknown NS-SEC operational category '\(cat)'", file: file, line: line)
            }
            if !printed.isEmpty, printed != implied.class8 {
                quirks.append(
                    NSSECQuirk(
                        socCode: code, method: m, status: s, operationalCategory: cat, printedClass: printed,
                        derivedClass: implied.class8, file: file, line: line))
            }
        }
        for row in derivation.rows {
            let code = row.fields[socColumn], m = row.fields[method], cat = row.fields[op]
            guard let s = Int(row.fields[status]) else {
                throw HarmoniseError("status code '\(row.fields[status])' is not a number", file: derivation.file, line: row.line)
            }
            try check(code, m, row.fields[status], cat, row.fields[analytic], derivation.file, row.line)
            let cell = Cell(operationalCategory: cat, share: 1)
            switch m {
            case "full" where (1...7).contains(s):
                var cells = full[code] ?? Array(repeating: nil, count: 7)
                if let old = cells[s - 1], old != cell {
                    throw HarmoniseError("conflicting full-method rows for \(code) status \(s)", file: derivation.file, line: row.line)
                }
                cells[s - 1] = cell
                full[code] = cells
            case "reduced" where (1...5).contains(s):
                var cells = reduced[code] ?? Array(repeating: nil, count: 5)
                if let old = cells[s - 1], old != cell {
                    throw HarmoniseError("conflicting reduced-method rows for \(code) status \(s)", file: derivation.file, line: row.line)
                }
                cells[s - 1] = cell
                reduced[code] = cells
            default:
                throw HarmoniseError("method '\(m)' with status \(s) is not full 1-7 or reduced 1-5", file: derivation.file, line: row.line)
            }
        }
        var simplified: [String: Cell] = [:]
        if let t = simplifiedTable {
            let soc = try t.column(entry.fromColumn ?? scheme.lowercased())
            let op = try t.column("simplified_op_cat"), an = try t.column("simplified_analytic")
            for row in t.rows {
                try check(row.fields[soc], "simplified", "", row.fields[op], row.fields[an], t.file, row.line)
                simplified[row.fields[soc]] = Cell(operationalCategory: row.fields[op], share: 1)
            }
        }
        self.scheme = scheme
        self.isApproximate = entry.approximate ?? false
        self.isOfficial = entry.official ?? false
        self.note = entry.source
        self.full = full
        self.reduced = reduced
        self.simplified = simplified
        self.quirks = quirks
    }

    /// Derives a table for the target scheme of `link` from this table: for each target unit, the modal
    /// category over its source units weighted by `link`'s reversed counts. Always approximate.
    init(approximating base: NSSECTable, through link: Crosswalk) {
        let reversed = link.reversedByCount()
        func modal(_ sources: [(source: String, share: Double)], _ pick: (String) -> Cell?) -> Cell? {
            var weight: [String: Double] = [:]
            var order: [String] = []
            var total = 0.0
            for (source, share) in sources {
                guard let cell = pick(source) else { continue }
                if weight[cell.operationalCategory] == nil { order.append(cell.operationalCategory) }
                weight[cell.operationalCategory, default: 0] += share
                total += share
            }
            guard total > 0, let best = order.max(by: { weight[$0]! < weight[$1]! }) else { return nil }
            return Cell(operationalCategory: best, share: weight[best]! / total)
        }
        var full: [String: [Cell?]] = [:], reduced: [String: [Cell?]] = [:], simplified: [String: Cell] = [:]
        for (unit, sources) in reversed {
            full[unit] = (0..<7).map { s in modal(sources) { base.full[$0]?[s] } }
            reduced[unit] = (0..<5).map { s in modal(sources) { base.reduced[$0]?[s] } }
            simplified[unit] = modal(sources) { base.simplified[$0] }
        }
        scheme = link.toScheme
        isApproximate = true
        isOfficial = false
        note =
            "APPROXIMATE (fallback): \(link.toScheme) NS-SEC derived from the \(base.scheme) table through \(link.name) "
            + "(modal category over \(base.scheme) sources weighted by link counts); the official ONS \(link.toScheme) "
            + "NS-SEC table is not loaded"
        self.full = full
        self.reduced = reduced
        self.simplified = simplified
        quirks = []
    }
}

/// NS-SEC data: class collapses, the status input coding and derivation tables by SOC scheme.
public struct NSSECTables: Sendable {
    /// Operational category or sub-category (L3, L3.1) → classes.
    public let classes: [String: NSSECClasses]
    /// Input status code of `--nssec … :full` → (full status, reduced status); a nil full status falls back to reduced.
    public let statusInput: [String: (full: Int?, reduced: Int)]
    /// Derivation tables by SOC scheme (SOC2010, and SOC2020 approximated or user-supplied).
    public internal(set) var tables: [String: NSSECTable]
    /// Status codings by name (`LFS`, `ONS-FULL`, `ONS-REDUCED`, `MICRODATA`), for `VAR@CODING`.
    public internal(set) var statusCodings: [String: NSSECStatusCoding] = [:]

    /// The classes of `category`, from its sub-category row or else its parent (L12.6 → L12).
    public func classes(of category: String) -> NSSECClasses? { Self.classes(of: category, in: classes) }

    static func classes(of category: String, in table: [String: NSSECClasses]) -> NSSECClasses? {
        if let c = table[category] { return c }
        if let dot = category.firstIndex(of: ".") { return table[String(category[..<dot])] }
        return nil
    }

    static func loadClasses(_ t: CSVTable) throws -> [String: NSSECClasses] {
        let op = try t.column("op_cat"), sub = try t.column("op_subcat")
        let c8 = try t.column("analytic_class_8"), c5 = try t.column("class_5"), c3 = try t.column("class_3")
        var out: [String: NSSECClasses] = [:]
        for row in t.rows {
            let key = row.fields[sub].isEmpty ? row.fields[op] : row.fields[sub]
            guard key.hasPrefix("L") else {
                throw HarmoniseError("operational category '\(key)' does not start with L", file: t.file, line: row.line)
            }
            if out[key] != nil { throw HarmoniseError("category \(key) is listed twice", file: t.file, line: row.line) }
            out[key] = NSSECClasses(
                operationalCategory: key, class8: row.fields[c8], class5: row.fields[c5], class3: row.fields[c3])
        }
        return out
    }

    static func loadStatusInput(_ t: CSVTable) throws -> [String: (full: Int?, reduced: Int)] {
        let code = try t.column("input_code"), full = try t.column("full_status"), reduced = try t.column("reduced_status")
        var out: [String: (full: Int?, reduced: Int)] = [:]
        for row in t.rows {
            guard let r = Int(row.fields[reduced]), (1...5).contains(r) else {
                throw HarmoniseError("reduced_status must be 1-5", file: t.file, line: row.line)
            }
            let f = Int(row.fields[full])
            if let f, !(1...7).contains(f) { throw HarmoniseError("full_status must be 1-7", file: t.file, line: row.line) }
            out[row.fields[code]] = (f, r)
        }
        return out
    }

    init(classes: [String: NSSECClasses], statusInput: [String: (full: Int?, reduced: Int)]) {
        self.classes = classes
        self.statusInput = statusInput
        self.tables = [:]
    }
}
