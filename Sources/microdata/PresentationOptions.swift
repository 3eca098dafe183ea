import ArgumentParser
import MicrodataWrite

/// `--title`, `--source`, `--note` and `--digits`: what a reader sees around a table, in every format.
struct PresentationOptions: ParsableArguments {
    @Option(help: "The output's title (default: what was estimated).")
    var title: String?
    @Option(help: "The source line (default: the input file's name, the weight and the design).")
    var source: String?
    @Option(help: "A note printed under the table (CSV: in FILE.csv-metadata.json); repeatable.")
    var note: [String] = []
    @Option(help: "Significant figures in text, Markdown and HTML (1-15, default 4); CSV, JSON and XLSX keep full precision.")
    var digits: Int?

    func validate() throws {
        if let digits, !(1...15).contains(digits) { throw ValidationError("--digits must be between 1 and 15, got \(digits)") }
    }

    /// The presentation, with `title` and `source` as defaults for what was not given.
    func presentation(title defaultTitle: String, source defaultSource: String) -> Presentation {
        Presentation(title: title ?? defaultTitle, source: source ?? defaultSource, notes: note,
                     digits: digits.map(DisplayDigits.init) ?? .standard)
    }

    /// Sets `publication`'s title and source (the given ones, else these defaults), adds the notes, and with
    /// `--digits` shows its numbers to that many significant figures.
    func apply(to publication: inout Publication, title defaultTitle: String, source defaultSource: String) {
        publication.title = title ?? defaultTitle
        publication.source = source ?? defaultSource
        publication.notes += note
        if let digits { publication = publication.showing(DisplayDigits(digits)) }
    }
}
