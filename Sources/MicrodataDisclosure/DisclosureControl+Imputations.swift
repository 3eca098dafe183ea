import MicrodataWeighting

extension DisclosureControl {
    /// Checks estimates combined from multiply imputed data (``EstimateTable/combiningImputations(_:)``).
    ///
    /// A cell is safe only if it is safe in every imputation: each completed dataset's cell goes through the
    /// primary rules, and a cell that fails in any imputation is a primary of the combined table (its status
    /// names the rule and the imputation, e.g. `threshold@imputation3`). The union of those primaries and the
    /// combined cells' own (whose evidence is already the worst case over the imputations) then gets secondary
    /// suppression on the combined table, as ``check(_:complement:imposed:)`` does for one dataset. So an
    /// imputation that puts a few people in a cell cannot be used to publish it, even if the others do not.
    public func checkImputations(_ combined: EstimateTable, imputations: [EstimateTable]) throws -> CheckedEstimates {
        struct Key: Hashable { var by: [String], statistic: String, variable: String, level: String? }
        func key(_ c: CellEstimate) -> Key { Key(by: c.byValues, statistic: c.statistic, variable: c.variable, level: c.level) }
        let indexed = imputations.map { t in Dictionary(t.cells.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a }) }
        var imposed: [Int: PrimaryAssessment] = [:]
        for (i, cell) in combined.cells.enumerated() {
            var why: [String] = []
            var requirements: [ProtectionRequirement] = []
            for (k, index) in indexed.enumerated() {
                guard let c = index[key(cell)] else { continue }
                let assessment = rules.assess(c)
                guard case let .primary(rule) = assessment.status else { continue }
                why += rule.split(separator: "+").map { "\($0)@imputation\(k + 1)" }
                requirements += assessment.requirements
            }
            if !why.isEmpty {
                imposed[i] = PrimaryAssessment(status: .primary(why.joined(separator: "+")), requirements: requirements)
            }
        }
        return try check(combined, imposed: imposed)
    }
}
