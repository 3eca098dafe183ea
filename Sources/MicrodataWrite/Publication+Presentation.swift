import Foundation

extension Publication {
    /// This publication shown to `digits` significant figures in Markdown, text and HTML: records through
    /// ``digits``, and a grid table at the decimal places that give its largest estimate (or SE) that many figures.
    public func showing(_ digits: DisplayDigits) -> Publication {
        var out = self
        out.digits = digits
        for t in out.tables.indices {
            let sizes = out.tables[t].rows.flatMap(\.cells).flatMap { [$0.estimate, $0.standardError] }
                .compactMap { $0.map(abs) }.filter(\.isFinite)
            out.tables[t].decimals = digits.decimals(for: sizes.max() ?? 0)
        }
        return out
    }

    /// The CSVW metadata of this publication's CSV (``Presentation/csvMetadata(csvFileName:columns:extra:)``): title,
    /// source, notes (the marker notes last), the metadata items, the stamp and the perturbation.
    public func csvMetadata(csvFileName: String) throws -> String {
        let presentation = Presentation(title: title, source: source, notes: notes + Publication.markerNotes)
        let extra = metadata.map { ($0.key, $0.value) } + (uncheckedStamp.map { [("stamp", $0)] } ?? [])
            + (perturbation.map { [("perturbation", $0.method), ("ptable", $0.lines.joined(separator: "; "))] } ?? [])
        return try presentation.csvMetadata(csvFileName: csvFileName, columns: records().columns, extra: extra)
    }
}
