import MicrodataWrite

extension CheckedEstimates {
    /// The checked Lorenz ordinates (rows whose `statistic` is `lorenz`) as a publication: one table, a row
    /// per population share and a column per domain, which the XLSX writer puts on its own sheet and the
    /// HTML writer also draws as Lorenz curves. Suppressed ordinates stay `[c]`; `nil` without Lorenz rows.
    public func lorenzPublication(source: String, design: String) -> Publication? {
        guard let statistic = header.firstIndex(of: "statistic"), let level = header.firstIndex(of: "level"),
            let estimate = header.firstIndex(of: "estimate"), let variable = header.firstIndex(of: "variable")
        else { return nil }
        let lorenz = rows.filter { $0[statistic] == "lorenz" }
        guard let first = lorenz.first else { return nil }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        func number(_ row: [String], _ name: String) -> Double? { column(name).flatMap { Double(row[$0]) } }
        // By-columns come before `statistic`.
        func domain(_ row: [String]) -> String {
            statistic == 0 ? "All" : (0..<statistic).map { "\(header[$0]) = \(row[$0])" }.joined(separator: ", ")
        }
        var domains: [String] = []
        for row in lorenz where !domains.contains(domain(row)) { domains.append(domain(row)) }
        var shares: [Double] = []
        for row in lorenz { if let p = Double(row[level]), !shares.contains(p) { shares.append(p) } }
        shares.sort()
        let cells = shares.map { p in
            domains.map { d -> PublishedCell in
                guard let row = lorenz.first(where: { Double($0[level]) == p && domain($0) == d }) else {
                    return .notAvailable
                }
                if row[estimate] == CheckedTable.marker { return .suppressed }
                guard let value = Double(row[estimate]) else { return .notAvailable }
                return PublishedCell(
                    estimate: value, standardError: number(row, "se"), ciLow: number(row, "ci_low"),
                    ciHigh: number(row, "ci_high"), unweightedCount: column("n").flatMap { Int(row[$0]) },
                    lowReliability: column("cv_band").map { row[$0] == "unreliable" } ?? false)
            }
        }
        var metadata = [MetadataItem("design", design)]
        if let audit {
            metadata.append(MetadataItem("disclosure rules", audit.rules.inForce))
            metadata.append(MetadataItem("disclosure audit", audit.summary))
        }
        let name = first[variable]
        return Publication(
            title: "Lorenz curve of \(name)", source: source,
            tables: [Publication.lorenzTable(shares: shares, domains: domains, cells: cells, variable: name)],
            notes: ["L(p) is the share of the total of \(name) held by the poorest p of the population (R convey "
                + "svylorenz). An ordinate is published only with at least the threshold of units on each side of "
                + "its quantile."],
            metadata: metadata, charts: [.lorenz(tableID: "lorenz")], uncheckedStamp: stamp)
    }
}
