import ArgumentParser
import MicrodataCodebook

/// `--allow-csv-formulas`: by default CSV outputs prefix labels that a spreadsheet would run as a formula.
struct CSVSafetyOptions: ParsableArguments {
    @Flag(name: .customLong("allow-csv-formulas"),
          help: "Write labels starting with = + - @ tab or CR as they are in CSV (default: prefixed with ', as OWASP advises, so a spreadsheet shows them instead of running them).")
    var allowFormulas = false

    /// Makes the choice the one every CSV writer of this process uses.
    func apply() { LabelText.guardsCSVFormulas = !allowFormulas }
}
