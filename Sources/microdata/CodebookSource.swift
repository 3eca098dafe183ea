import Foundation
import MicrodataCodebook
import MicrodataReaders

/// A codebook from a DDI file or from the metadata of an SPSS, Stata or SAS file (detected by magic bytes).
enum CodebookSource {
    /// A metadata warning from either source.
    typealias Warning = MetadataWarning

    /// The codebook and its warnings.
    static func load(_ url: URL, encoding: String? = nil) throws -> (codebook: Codebook, warnings: [Warning]) {
        if StatFile.isStatFile(url) {
            let (book, warnings) = try StatFile.codebookWithWarnings(url, encoding: encoding)
            return (book, warnings.map { Warning(kind: $0.kind.rawValue, variable: $0.variable, message: $0.message) })
        }
        let (book, warnings) = try DDIParser(limits: Limits.ddi).parseWithWarnings(contentsOf: url)
        return (book, warnings.map { Warning(kind: $0.kind.rawValue, variable: $0.variable, message: $0.message) })
    }

    /// The codebook for a data file: from `codebook` when given, else from the data file itself when it is an
    /// SPSS, Stata or SAS file (which carries its own metadata), else `nil` (delimited text, types inferred).
    static func forData(codebook: String?, data: URL?) throws -> Codebook? {
        if let codebook { return try load(URL(fileURLWithPath: codebook)).codebook }
        if let data, StatFile.isStatFile(data) { return try StatFile.codebook(data) }
        return nil
    }
}
