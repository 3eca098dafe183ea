import Foundation
import MicrodataWeighting
import MicrodataWrite

/// The cell-key method for counts (ABS TableBuilder, ONS Census 2021): every published count gets noise looked
/// up in a ptable by the cell's count and its cell key, the sum of its contributors' record keys. The same cell
/// (the same contributors) gets the same noise in every output, so repeated or overlapping queries cannot be
/// averaged or differenced down to an exact count.
///
/// What is perturbed in a `tabulate` table: the unweighted count `n` of every published cell; its weighted count
/// and, for a categorical analysis, the level total (estimate, standard error and interval) scaled by `n′/n` (the
/// ABS approach for weighted tables: perturb the unweighted count, scale the weighted one); a level's proportion
/// is the ratio of the perturbed level and domain counts (clamped to [0, 1]). The `df` and `deff` columns are
/// left empty (per-domain degrees of freedom and design effects give counts away). Means, totals, ratios,
/// quantiles and variances of numeric variables are not perturbed; their `n` is. Suppression runs first, on the
/// true counts.
public struct CellKeyPerturbation: Sendable {
    public let table: PerturbationTable
    public let keys: CellKeyAccumulator

    public init(table: PerturbationTable, keys: CellKeyAccumulator) {
        self.table = table
        self.keys = keys
    }

    /// The published count of a cell of `count` contributors with cell key `key`: `count + noise`, never
    /// negative; 0 stays 0.
    public func perturbed(count: Int, key: UInt64) -> Int {
        count <= 0 ? 0 : max(0, count + table.noise(count: count, cellKey: RecordKeyGenerator.fraction(key)))
    }

    /// The published count and the scale factor `n′/n` of a cell, checked against the count the estimator gave.
    func scale(byValues: [String], level: String?, count: Int, name: String) throws -> (count: Int, factor: Double) {
        let found = keys.cell(byValues: byValues, level: level) ?? (0, 0)
        guard found.count == count else {
            throw CellKeyError.contributorMismatch(cell: name, published: count, keyed: found.count)
        }
        let n = perturbed(count: count, key: found.key)
        return (n, count == 0 ? 0 : Double(n) / Double(count))
    }

    /// `checked` with every published count perturbed (suppressed and withheld fields are left as they are),
    /// its quality flags recomputed from the published values, a `perturbed` column (before `status`) naming the
    /// values of each row that went through perturbation, and ``published`` as its ``CheckedEstimates/perturbation``.
    /// The column depends on the statistic only, never on the noise drawn: a zero noise is not given away.
    ///
    /// - Throws: `CellKeyError.contributorMismatch` when a cell's count is not the number of keyed records.
    public func apply(to checked: CheckedEstimates, rules: DisclosureRules) throws -> CheckedEstimates {
        let result = checked.estimates
        let header = checked.records.columns
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        guard checked.records.rows.count == result.cells.count, let nColumn = column("n") else {
            throw DisclosureError.table(
                source: "cell-key perturbation", line: nil, reason: "the checked table does not match its estimates")
        }
        var rows = checked.records.rows
        var perturbedFields: [TableValue] = rows.map { _ in .missing }
        for (i, cell) in result.cells.enumerated() where rows[i][nColumn].number != nil {
            let name = (zip(result.byVariables, cell.byValues).map { "\($0)=\($1)" } + [cell.level.map { "level=\($0)" } ?? ""])
                .filter { !$0.isEmpty }.joined(separator: ",")
            let perLevel = keys.isCategorical && cell.level != nil
            let own = try scale(
                byValues: cell.byValues, level: perLevel ? cell.level : nil, count: cell.unweightedCount, name: name)
            var factor = own.factor
            var estimate = cell.estimate
            var clamp: ClosedRange<Double>? = nil
            if perLevel && cell.statistic == "proportion" {
                let domainCount = keys.cell(byValues: cell.byValues, level: nil)?.count ?? 0
                let domain = try scale(byValues: cell.byValues, level: nil, count: domainCount, name: name + " (domain)")
                factor = domain.factor > 0 ? own.factor / domain.factor : 0
                clamp = 0...1
            } else if !(perLevel && cell.statistic == "total") {
                factor = 1  // a magnitude: not perturbed
            }
            estimate = cell.estimate * factor
            if let clamp { estimate = min(max(estimate, clamp.lowerBound), clamp.upperBound) }
            let se = cell.standardError * factor
            func set(_ name: String, _ value: TableValue) {
                if let k = column(name) { rows[i][k] = value }
            }
            func setNumber(_ name: String, _ value: Double, clamped: Bool = false) {
                if let k = column(name), rows[i][k].number != nil {
                    var v = value
                    if clamped, let clamp { v = min(max(v, clamp.lowerBound), clamp.upperBound) }
                    rows[i][k] = .number(v)
                }
            }
            let scaled = perLevel && (cell.statistic == "proportion" || cell.statistic == "total")
            var fields = ["n"]
            set("n", .number(Double(own.count)))
            if column("weighted_n").map({ rows[i][$0].number != nil }) == true { fields.append("weighted_n") }
            setNumber("weighted_n", cell.weightedCount * own.factor)
            if scaled {
                fields += ["estimate", "se", "ci_low", "ci_high"].filter { name in column(name).map { rows[i][$0].number != nil } ?? false }
            }
            if factor != 1 {
                setNumber("estimate", estimate)
                setNumber("se", se)
                setNumber("ci_low", cell.ciLow * factor, clamped: true)
                setNumber("ci_high", cell.ciHigh * factor, clamped: true)
            }
            perturbedFields[i] = .text(fields.joined(separator: " "))
            set("df", .missing)
            set("deff", .missing)
            let quality = rules.quality(
                estimate: estimate, standardError: se, sampleSize: own.count,
                isCount: cell.statistic == "total" && cell.level != nil)
            set("cv_band", quality.cvBand.map { .text($0.rawValue) } ?? .missing)
            set("nomis", .text(quality.nomis.rawValue))
        }
        var columns = header
        let at = column("status") ?? columns.count
        columns.insert("perturbed", at: at)
        for i in rows.indices { rows[i].insert(perturbedFields[i], at: at) }
        var out = checked.with(columns: columns, rows: rows)
        out.perturbation = published
        return out
    }

    /// What was done, for the output's metadata: method, ptable and parameters (never the seed).
    public var description: String {
        let identity: String
        switch keys.identity {
        case .columns(let names): identity = "record keys from the identifier \(names.joined(separator: ", "))"
        case .allFields: identity = "record keys from all fields of each row (no --record-id)"
        }
        return "counts perturbed by the cell-key method (ABS/ONS): ptable \(table.label), maximum noise D = "
            + "\(table.maximumNoise), variance V = \(formatted(table.variance)), counts 1–\(table.blockedSmallCounts) "
            + "never published, zeros stay zero; \(identity); weighted counts and level totals scaled by n′/n, "
            + "proportions are ratios of perturbed counts; df and deff withheld; the seed is not shown"
    }

    private func formatted(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }

    /// The perturbation as the publication shows it: ``description`` and the ptable (never the seed).
    public var published: PublishedPerturbation {
        PublishedPerturbation(
            method: description, label: table.label, maximumNoise: table.maximumNoise, variance: table.variance,
            blockedSmallCounts: table.blockedSmallCounts,
            ptable: table.rows.flatMap { $0.map { .init(i: $0.count, j: $0.target, p: $0.probability) } },
            source: table.source, date: table.date, licence: table.licence)
    }
}
