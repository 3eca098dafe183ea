import Foundation
import MicrodataCodebook
import MicrodataReaders

/// Where a right column of a join came from.
struct ColumnOrigin: Hashable {
    /// The name written (with the right file's stem when the name was taken).
    var output: String
    /// The column's name in the right file, or the aggregate's name.
    var original: String
    /// The aggregate that made the column, if any.
    var aggregate: Aggregate?
}

/// The codebooks of the files of a chain of joins: the left's, then one per `--with` file (`nil`: no codebook).
public struct LinkCodebooks: Sendable {
    public var left: Codebook?
    public var rights: [Codebook?]

    public init(left: Codebook? = nil, rights: [Codebook?] = []) {
        self.left = left
        self.rights = rights
    }

    /// The codebook of the linked output: each output column described by its variable in the codebook of the
    /// side it came from, renamed as written, with the layout of the source file (positions, implied decimals,
    /// record types) dropped. An aggregate's column is labelled by its function; `first` keeps the value labels and
    /// missing codes of its variable.
    ///
    /// - Parameters:
    ///   - source: the chain built by ``Linker/chain(left:steps:auditBy:leftName:log:)``, read to the end.
    ///   - columns: the output columns (a batch's columns, for their names and text or number storage).
    ///   - file: the output file's name, for the codebook's file description.
    public func linked(_ source: any BatchSource, columns: [Column], rows: Int, file: String, format: String) -> Codebook {
        let steps = (source as? JoinSource)?.stepOrigins ?? []
        var variables: [Variable] = []
        for (i, column) in columns.enumerated() {
            var v: Variable
            if let (k, origin) = Self.origin(of: column.name, in: steps) {
                let book = k < rights.count ? rights[k] : nil
                if let a = origin.aggregate {
                    v = Self.describe(a, book?.variable(named: a.variable), name: column.name)
                } else {
                    v = book?.variable(named: origin.original) ?? Variable(name: column.name)
                }
            } else {
                v = left?.variable(named: column.name) ?? Variable(name: column.name)
            }
            v.name = column.name
            v.id = "V\(i + 1)"
            v.files = ["F1"]
            (v.start, v.end, v.width, v.recordSegment, v.recordTypes, v.decimals) = (nil, nil, nil, nil, [], 0)
            if case .text = column.storage { v.type = .character } else { v.type = .numeric }
            v.summaryStatistics = []
            variables.append(v)
        }
        var study = left?.study ?? Study()
        let titles = ([left] + rights).compactMap { $0?.study.title }
        study.title = titles.isEmpty ? "Linked data" : "Linked: " + titles.joined(separator: " + ")
        let description = DataFile(id: "F1", name: file, format: format, caseCount: rows, variableCount: columns.count)
        return Codebook(study: study, files: [description], variables: variables)
    }

    /// The step (0-based `--with` index) and origin of an output column, searching the last join first (a later
    /// join's columns are written after the earlier ones, never under the same name).
    static func origin(of name: String, in steps: [[ColumnOrigin]]) -> (Int, ColumnOrigin)? {
        for k in steps.indices.reversed() {
            if let o = steps[k].first(where: { $0.output == name }) { return (k, o) }
        }
        return nil
    }

    /// The variable an aggregate makes: labelled by what it computes; `first` keeps its variable's categories.
    static func describe(_ a: Aggregate, _ source: Variable?, name: String) -> Variable {
        let what = a.text.map { String($0.drop { $0 != "=" }.dropFirst()).trimmingCharacters(in: .whitespaces) }
            ?? "\(a.function.rawValue)(\(a.variable))"
        let label = source?.label.map { "\(what): \($0)" } ?? what
        guard a.function == .first, var v = source else {
            return Variable(name: name, labels: [LocalizedText(label)])
        }
        v.labels = [LocalizedText(label)]
        return v
    }
}
