import MicrodataWrite

/// Differencing between the outputs of one release, from the cells their audits record.
///
/// Two rules, for outputs on the same data file:
/// - **A domain and its complement**: a variable in one domain (any statistic: a mean and a total rest on
///   the same rows) published for two populations (different `--subpop` filters, or one without) whose
///   unit counts differ by 1 to `threshold − 1`. Subtracting one from the other publishes that small
///   group; both outputs are flagged.
/// - **Shared cells and margins**: the same cell, for the same population, withheld in one output and
///   published in another. The publishing output undoes the other's suppression and is flagged.
public struct ReleaseDifferencing: Sendable {
    public var threshold: Int

    public init(threshold: Int) { self.threshold = threshold }

    /// The reasons to flag, by position in `outputs` (name and audit).
    public func flags(_ outputs: [(name: String, audit: OutputAudit)]) -> [Int: [String]] {
        var out: [Int: [String]] = [:]
        for a in outputs.indices {
            for b in outputs.indices where b > a {
                guard let pa = outputs[a].audit.population, let pb = outputs[b].audit.population, pa.data == pb.data,
                    let ca = outputs[a].audit.cells, let cb = outputs[b].audit.cells
                else { continue }
                let limit = min(threshold, outputs[a].audit.threshold ?? threshold, outputs[b].audit.threshold ?? threshold)
                let nameA = outputs[a].name, nameB = outputs[b].name
                if pa.filter != pb.filter {
                    var units: [String: Int] = [:]
                    for c in cb { if let u = c.units { units[c.unitsIdentity] = u } }
                    var seen = Set<String>()
                    for x in ca {
                        guard let ux = x.units, let uy = units[x.unitsIdentity], seen.insert(x.unitsIdentity).inserted
                        else { continue }
                        let d = abs(ux - uy)
                        if d >= 1 && d < limit {
                            let text = "\(Self.subject(x)) is published by \(nameA) (\(Self.population(pa))) and "
                                + "\(nameB) (\(Self.population(pb))) on populations that differ by \(d) units, fewer "
                                + "than \(limit): their difference publishes that group"
                            out[a, default: []].append(text)
                            out[b, default: []].append(text)
                        }
                    }
                    continue
                }
                var byIdentity: [String: AuditedCell] = [:]
                for c in cb { byIdentity[c.identity] = c }
                for x in ca {
                    guard let y = byIdentity[x.identity] else { continue }
                    let subject = Self.subject(x)
                    if (x.units == nil) != (y.units == nil) {
                        let (publisher, withholder) = x.units == nil ? (b, a) : (a, b)
                        out[publisher, default: []].append(
                            "\(subject) is published here but withheld by \(outputs[withholder].name) for the same "
                                + "population: publishing it undoes that output's suppression")
                    }
                }
            }
        }
        return out
    }

    static func subject(_ c: AuditedCell) -> String {
        (c.domain.isEmpty ? ["all"] : c.domain).joined(separator: " ") + " \(c.statistic) \(c.variable)"
            + (c.level.map { " \($0)" } ?? "")
    }

    static func population(_ p: AuditedPopulation) -> String { p.filter.map { "--subpop \($0)" } ?? "every row" }
}
