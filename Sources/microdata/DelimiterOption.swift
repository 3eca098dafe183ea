import ArgumentParser
import MicrodataReaders

/// `--delimiter`: the field delimiter of delimited data, sniffed from the header row when not given.
struct DelimiterOption: ParsableArguments {
    @Option(help: "Field delimiter of delimited data: , ; | or tab (default: sniffed from the header row).")
    var delimiter: String?

    func validate() throws {
        if let delimiter, Delimiter.named(delimiter) == nil {
            throw ValidationError("--delimiter must be , ; | or tab, got '\(delimiter)'")
        }
    }

    /// The data format the option asks for: delimited with that byte, or `nil` to detect it.
    var format: ReadOptions.DataFormat? {
        delimiter.flatMap(Delimiter.named).map { .delimited(delimiter: $0) }
    }
}
