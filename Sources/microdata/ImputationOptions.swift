import ArgumentParser
import Foundation
import MicrodataReaders
import MicrodataWeighting

/// Multiply imputed data, shared by `tabulate`, `mobility` and `model`: the same analysis on each completed
/// dataset, combined by Rubin's rules (R `mitools::MIcombine`).
struct ImputationOptions: ParsableArguments {
    @Option(name: .customLong("imputation-id"), help: """
        Multiply imputed data in one long file (--data): the column numbering the imputations (R mice .imp, \
        Stata mi flong _mi_m). Imputation 0, the original data with missing values, is left out.
        """)
    var imputationID: String?
    @Option(help: "Multiply imputed data, one complete file per imputation: FILE,FILE,... (at least 2; replaces --data).")
    var imputations: String?
    @Option(help: "With imputations: an id column that must hold the same ids in the same order in every imputation.")
    var id: String?

    /// One completed dataset: a file, and the imputation number selecting its rows in a long file.
    struct Dataset {
        var path: String
        var imputation: String?
        /// "imputation 3" (long file) or "imputation 3 (B.csv)".
        var label: String
    }

    var isRequested: Bool { imputationID != nil || imputations != nil }

    /// The files of `--imputations`.
    var files: [String] { commaList(imputations) }

    /// The data file: `--data`, else the first imputation's file.
    ///
    /// - Throws: `ValidationError` for neither, both `--data` and `--imputations`, or `--id` alone.
    func dataPath(_ data: String?) throws -> String {
        if imputationID != nil && imputations != nil { throw ValidationError("give --imputation-id or --imputations, not both") }
        if id != nil && !isRequested { throw ValidationError("--id checks imputations: give it with --imputation-id or --imputations") }
        if imputations != nil {
            guard data == nil else { throw ValidationError("--imputations replaces --data: give one or the other") }
            guard files.count >= 2 else {
                throw ValidationError("--imputations needs at least 2 files (m = \(files.count)): Rubin's rules need 2 or more imputations")
            }
            return files[0]
        }
        guard let data else { throw ValidationError("Missing expected argument '--data <data>' (or give --imputations FILE,FILE,...)") }
        if imputationID != nil && data == "-" {
            throw ValidationError("--imputation-id reads the data once per imputation: give a file, not standard input")
        }
        return data
    }

    /// Refuses the options whose results cannot be combined across imputations (`names` of those given).
    func refuse(_ names: [String?]) throws {
        guard isRequested, let name = names.compactMap({ $0 }).first else { return }
        throw ValidationError("\(name) is not available with multiply imputed data (--imputation-id, --imputations)")
    }

    /// The completed datasets: `data` alone without imputations; the files of `--imputations`; or one per
    /// imputation number (but 0) of a long file, which is read once here for them.
    ///
    /// - Throws: `ValidationError` for fewer than 2 imputations.
    func datasets(data: String, open: (String, [String]) throws -> any BatchSource) throws -> [Dataset] {
        if imputations != nil {
            return files.enumerated().map {
                Dataset(path: $1, imputation: nil, label: "imputation \($0 + 1) (\(URL(fileURLWithPath: $1).lastPathComponent))")
            }
        }
        guard let column = imputationID else { return [Dataset(path: data, imputation: nil, label: data)] }
        var found = try CompletedDataSource.imputations(in: open(data, [column]), column: column)
        if let zero = found.first(where: { Double($0.value) == 0 }) {
            FileHandle.standardError.write(Data(
                "note: imputation 0 of \(column) (the original data with missing values, \(zero.rows) rows) is left out\n".utf8))
            found.removeAll { Double($0.value) == 0 }
        }
        guard found.count >= 2 else {
            throw ValidationError("\(column) numbers \(found.count) imputation(s) besides 0: Rubin's rules need 2 or more")
        }
        return found.map { Dataset(path: data, imputation: $0.value, label: "imputation \($0.value)") }
    }

    /// The columns to read besides the analysis's: the imputation number and the id.
    var columns: [String] { [imputationID, id].compactMap { $0 } }

    /// The columns that must be the same in every imputation: the design's (weight, strata, clusters, FPCs) and the id.
    func checkedColumns(_ design: SurveyDesign) -> [String] {
        guard isRequested else { return [] }
        var names = [id, design.weight, design.strata].compactMap { $0 } + design.clusters + design.fpc
        var seen = Set<String>()
        names = names.filter { seen.insert($0.lowercased()).inserted }
        return names
    }

    /// `source` (dataset `d`'s rows, read whole) keeping only `d`'s imputation and recording the checked columns.
    func select(_ source: any BatchSource, _ d: Dataset, design: SurveyDesign) -> CompletedDataSource {
        CompletedDataSource(source, imputationColumn: imputationID, imputation: d.imputation, checked: checkedColumns(design))
    }

    /// After the passes: every imputation must have the rows, ids and design variables of the first.
    func check(_ recorders: [CompletedDataRecorder], _ datasets: [Dataset]) throws {
        guard isRequested else { return }
        try CompletedDataCheck.check(recorders.map(\.record), labels: datasets.map(\.label), id: id)
    }

    /// The note on stderr of what was combined.
    func report(_ datasets: [Dataset]) {
        guard isRequested else { return }
        FileHandle.standardError.write(Data(
            "multiple imputation: \(RubinsRules.designText(imputations: datasets.count)) (R mitools::MIcombine)\n".utf8))
    }
}
