import Foundation

/// What a harmonisation run met and did, for every mapping, NS-SEC derivation and qualification step.
///
/// Counts are of source records. A step after a `split` map sees several rows per record; it counts each
/// record once, under its first row (the modal target), while weights are summed over every row's piece.
/// ``outputRows`` and ``Mapping/fanOutRows`` count rows.
public struct HarmoniseAudit: Sendable, Codable {
    /// One code mapping's report.
    public struct Mapping: Sendable, Codable {
        public var variable = "", output = "", crosswalk = "", from = "", to = "", mode = "", basis = ""
        public var source = "", issued = "", sha256 = "", linkLevel = ""
        public var approximate = false
        public var approximateNote: String?
        public var records = 0, mapped = 0, missing = 0, oneToOne = 0, oneToMany = 0
        /// Extra rows created by `split`.
        public var fanOutRows = 0
        /// Records whose chosen basis had no weights for their code and fell back to the default basis.
        public var basisFallback = 0
        /// Records with a sex value that is neither male nor female (default basis used).
        public var sexUnknown = 0
        public var sentinels: [String: Int] = [:]
        public var notInSourceScheme: [String: Int] = [:]
        public var noMapping: [String: Int] = [:]
        /// `modal` records whose largest weight is shared by several targets: "code → first = second" → records
        /// (the first in file order is used).
        public var ties: [String: Int] = [:]
        /// For a coalesced variable: records already in the target scheme (passed through), and records of
        /// another scheme (not mapped), by scheme.
        public var passedThrough = 0
        public var otherScheme: [String: Int] = [:]
        /// Weight of mapped records, and the part of it on non-modal targets (lost in `modal`, moved in `split`).
        public var mappedWeight = 0.0, nonModalWeight = 0.0
        /// `nonModalWeight / mappedWeight`.
        public var nonModalShare = 0.0
    }

    /// One NS-SEC derivation's report.
    public struct NSSEC: Sendable, Codable {
        public var socVariable = "", statusVariable: String?, scheme = "", requestedMethod = "", prefix = ""
        public var source = ""
        /// `official`, `user` (a table the user added) or `approximate`.
        public var quality = ""
        /// The status coding (`VAR@CODING: source`) and its variables, one per role.
        public var statusCoding: String?
        public var statusVariables: [String] = []
        /// Status variables whose codebook labels were checked against the coding (others had no labels).
        public var labelsChecked: [String] = []
        public var approximate = false
        public var records = 0, derived = 0, missing = 0
        public var methodUsed: [String: Int] = [:]
        /// Records that fell back from the requested method, e.g. "full→reduced".
        public var fallbacks: [String: Int] = [:]
        public var sentinels: [String: Int] = [:]
        public var notInSourceScheme: [String: Int] = [:]
        public var unknownStatus: [String: Int] = [:]
        /// Weight of approximate derivations and the part on a non-modal NS-SEC category.
        public var approximateWeight = 0.0, nonModalWeight = 0.0
        /// ONS table cells whose printed analytic class differs from their operational category's; the
        /// derivation uses the operational category's class.
        public var tableQuirks: [NSSECQuirk] = []
        public var quirkRecords = 0
    }

    /// One coalescing step's report: records per branch (version), missing source codes, and records no
    /// branch selected.
    public struct Coalesce: Sendable, Codable {
        public struct Branch: Sendable, Codable {
            public var branch = ""
            public var scheme: String?
            public var records = 0, missing = 0
        }
        public var output = ""
        public var records = 0, noBranch = 0
        public var branches: [Branch] = []
    }

    /// Counts for one nation in a qualification step.
    public struct NationSummary: Sendable, Codable {
        public var records = 0, mapped = 0, missing = 0, notInSourceScheme = 0, noLevel = 0
        /// Records whose qualification is not one of this nation's (e.g. National 5 in England).
        public var outsideNation = 0
        /// Records whose level depends on the basis (framework comparison vs survey convention).
        public var basisDependent = 0
        /// Records mapped through a link flagged for verification or resting on an assumption.
        public var needsVerification = 0
        /// Records whose qualification has several values on the target scale (handled by the mode).
        public var oneToMany = 0
        /// Qualification code → records mapped.
        public var byQualification: [String: Int] = [:]
    }

    /// One qualification step's report.
    public struct Education: Sendable, Codable {
        public var qualificationVariable = "", nationVariable: String?, from = "", to = "", basis = "", prefix = ""
        public var mode = ""
        public var source = ""
        /// For a crosswalk keyed by value label: where the labels came from.
        public var labelSource: String?
        /// Codebook codes whose label is not in the crosswalk: code → label.
        public var unmatchedLabels: [String: String] = [:]
        /// The nation code set used, when one was chosen (by `VAR@SET` or the variable's name).
        public var nationCodeSet: String?
        public var records = 0
        /// Rows `split` added; `modal` records whose largest share is shared ("key → a = b" → records).
        public var fanOutRows = 0
        public var ties: [String: Int] = [:]
        /// Weight of records with several values, and the part not on the modal value.
        public var spreadWeight = 0.0, nonModalWeight = 0.0
        public var sentinels: [String: Int] = [:]
        public var notInSourceScheme: [String: Int] = [:]
        public var noLevel: [String: Int] = [:]
        public var unknownNation: [String: Int] = [:]
        /// The nation table used (``CrosswalkRegistry/nationsSource``).
        public var nationTable: String?
        /// Nation (E, W, S, N, or "unknown") → summary.
        public var byNation: [String: NationSummary] = [:]
    }

    public var records = 0
    public var outputRows = 0
    public var weightVariable: String?
    public var inputWeight = 0.0
    public var outputWeight = 0.0
    /// Variable → code → records whose version-specific missing code was set to missing (``MissingSpec``).
    public var missingRecoded: [String: [String: Int]] = [:]
    public var coalesce: [Coalesce] = []
    public var mappings: [Mapping] = []
    public var nssec: [NSSEC] = []
    public var education: [Education] = []

    public init() {}

    /// The audit as pretty-printed JSON with sorted keys.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The audit as readable text.
    public func text() -> String {
        var out: [String] = []
        func counts(_ title: String, _ d: [String: Int]) {
            guard !d.isEmpty else { return }
            let list = d.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(20)
                .map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
            out.append("  \(title): \(d.values.reduce(0, +)) records, \(d.count) codes: \(list)\(d.count > 20 ? ", …" : "")")
        }
        func f(_ x: Double) -> String { String(format: "%.4f", x) }
        out.append("Harmonisation audit: \(records) records in, \(outputRows) rows out")
        if let w = weightVariable { out.append("Weight \(w): \(f(inputWeight)) in, \(f(outputWeight)) out") }
        for (variable, codes) in missingRecoded.sorted(by: { $0.key < $1.key }) {
            counts("\(variable) missing codes set to missing", codes)
        }
        for c in coalesce {
            out.append("")
            out.append("Coalesce → \(c.output), \(c.output)_scheme: \(c.records) records, \(c.noBranch) selected by no branch")
            for b in c.branches {
                out.append("  \(b.branch): \(b.records) records, \(b.missing) with a missing code")
            }
        }
        for m in mappings {
            out.append("")
            out.append("Map \(m.variable) \(m.from)>\(m.to) → \(m.output) [\(m.mode), basis \(m.basis)] via \(m.crosswalk)")
            out.append("  source: \(m.source); issued \(m.issued); sha256 \(m.sha256.prefix(12))…; links: \(m.linkLevel)")
            if m.approximate { out.append("  APPROXIMATE: \(m.approximateNote ?? "links are approximate")") }
            out.append(
                "  records \(m.records): mapped \(m.mapped) (1:1 \(m.oneToOne), 1:many \(m.oneToMany)), missing \(m.missing)")
            if m.mode == "split" { out.append("  split added \(m.fanOutRows) rows") }
            out.append("  non-modal weight \(f(m.nonModalWeight)) of \(f(m.mappedWeight)) (share \(f(m.nonModalShare)))\(m.mode == "modal" ? " lost to the modal target" : "")")
            if m.basisFallback > 0 { out.append("  basis fell back to the default for \(m.basisFallback) records") }
            if m.sexUnknown > 0 { out.append("  sex neither male nor female for \(m.sexUnknown) records (default basis)") }
            counts("missing-value sentinels", m.sentinels)
            counts("codes not in \(m.from)", m.notInSourceScheme)
            counts("codes with no mapping", m.noMapping)
            counts("TIES (equal largest weights; the first in file order was used)", m.ties)
            if m.passedThrough > 0 { out.append("  already \(m.to), passed through: \(m.passedThrough) records") }
            counts("rows of another scheme, not mapped", m.otherScheme)
        }
        for n in nssec {
            out.append("")
            out.append("NS-SEC from \(n.socVariable)\(n.statusVariable.map { ",\($0)" } ?? "") (\(n.scheme), \(n.requestedMethod)) → \(n.prefix)_*")
            out.append("  source: \(n.source)\(n.quality == "user" ? " (a user table, not the official ONS one)" : "")")
            if let coding = n.statusCoding {
                out.append("  status coding: \(coding)")
                let unchecked = n.statusVariables.filter { !n.labelsChecked.contains($0) }
                if !n.labelsChecked.isEmpty { out.append("  status labels checked against the codebook: \(n.labelsChecked.joined(separator: ", "))") }
                if !unchecked.isEmpty { out.append("  status labels NOT checked (no codebook labels): \(unchecked.joined(separator: ", "))") }
            }
            if n.approximate {
                out.append("  APPROXIMATE: \(n.approximateWeight > 0 ? f(n.nonModalWeight / n.approximateWeight) : "0") of the weight sits on SOC2010 sources whose category is not the modal one")
            }
            out.append("  records \(n.records): derived \(n.derived), missing \(n.missing)")
            counts("method used", n.methodUsed)
            counts("fell back", n.fallbacks)
            counts("missing-value sentinels", n.sentinels)
            counts("codes not in \(n.scheme) table", n.notInSourceScheme)
            counts("status codes not in the coding (occupation only)", n.unknownStatus)
            if !n.tableQuirks.isEmpty {
                let q = n.tableQuirks.map { "\($0.socCode) \($0.method) status \($0.status): \($0.operationalCategory) printed \($0.printedClass), derived \($0.derivedClass)" }
                out.append("  ONS table quirks (class taken from the operational category; \(n.quirkRecords) records met one): \(q.joined(separator: "; "))")
            }
        }
        for e in education {
            out.append("")
            out.append("Qualifications \(e.qualificationVariable)\(e.nationVariable.map { ",\($0)" } ?? "") \(e.from)>\(e.to) [\(e.mode), basis \(e.basis)] → \(e.prefix)_\(e.to)")
            out.append("  source: \(e.source)")
            if let l = e.labelSource { out.append("  value labels: \(l)") }
            if !e.unmatchedLabels.isEmpty {
                out.append("  codebook labels not in the crosswalk: " + e.unmatchedLabels.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; "))
            }
            if e.nationVariable != nil {
                out.append("  nation codes: \(e.nationTable ?? "none loaded")\(e.nationCodeSet.map { ", code set \($0)" } ?? "")")
            }
            out.append("  records \(e.records)")
            if e.spreadWeight > 0 {
                out.append("  spread over several \(e.to) values: weight \(f(e.spreadWeight)), of which \(f(e.nonModalWeight)) off the modal value\(e.mode == "modal" ? " (lost to it)" : e.mode == "split" ? " (split rows added: \(e.fanOutRows))" : "")")
            }
            counts("TIES (equal largest shares; the first in file order was used)", e.ties)
            counts("missing-value sentinels", e.sentinels)
            counts("codes not in \(e.from)", e.notInSourceScheme)
            counts("no \(e.to) level (flagged, not imputed)", e.noLevel)
            counts("unknown nation values", e.unknownNation)
            out.append("  nation   records  mapped  no-level  missing  not-in-frame  outside-nation  basis-dependent  verify  one-to-many")
            for (nation, s) in e.byNation.sorted(by: { $0.key < $1.key }) {
                let cols = [s.records, s.mapped, s.noLevel, s.missing, s.notInSourceScheme, s.outsideNation, s.basisDependent, s.needsVerification, s.oneToMany]
                let widths = [7, 6, 8, 7, 12, 14, 15, 6, 11]
                let cells = zip(cols, widths).map { String(repeating: " ", count: max(0, $1 - String($0).count)) + String($0) }
                out.append("  \(nation.padding(toLength: 7, withPad: " ", startingAt: 0))" + cells.map { "  " + $0 }.joined())
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
