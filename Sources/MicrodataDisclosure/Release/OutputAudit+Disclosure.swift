import MicrodataWeighting
import MicrodataWrite

extension OutputAudit {
    /// Writes the sidecar of a `tabulate` table: every rule on every cell (``DisclosureRules/outputChecks(_:statuses:complement:)``),
    /// the cells for cross-output differencing and the population. `rules` is `nil` when disclosure
    /// control was turned off: the sidecar then says so and holds one failing check.
    @discardableResult
    public static func write(
        for output: String?, table: EstimateTable, checked: CheckedEstimates, rules: DisclosureRules?,
        complement: SubpopulationComplement? = nil, population: AuditedPopulation? = nil, tool: String,
        command: [String] = CommandLine.arguments
    ) throws -> OutputAudit? {
        guard let rules, checked.stamp == nil else {
            return try uncontrolled(for: output, stamp: checked.stamp ?? CheckedTable.bypassStamp, tool: tool, command: command)
        }
        return try write(
            for: output, tool: tool, command: command, stamp: nil, rules: rules.inForce, threshold: rules.threshold,
            checks: rules.outputChecks(table, statuses: checked.statuses, complement: complement),
            population: population, cells: DisclosureRules.auditedCells(table, statuses: checked.statuses))
    }

    /// Writes the sidecar of a protected table (`check`, `mobility`) from its audit; `nil` audit means
    /// disclosure control was off.
    @discardableResult
    public static func write(
        for output: String?, audit: AuditReport?, tool: String, command: [String] = CommandLine.arguments
    ) throws -> OutputAudit? {
        guard let audit else { return try uncontrolled(for: output, stamp: CheckedTable.bypassStamp, tool: tool, command: command) }
        return try write(
            for: output, tool: tool, command: command, stamp: nil, rules: audit.rules.inForce,
            threshold: audit.rules.threshold, checks: DisclosureRules.outputChecks(audit.publicReport()))
    }
}
