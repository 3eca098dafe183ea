import Foundation
import MicrodataReaders

/// Absolute mobility as a per-person class: each row's move between an origin and a destination class code,
/// `upward`, `downward` or `immobile`, so a small-area model can estimate the upward, downward and immobile
/// rates as proportions of one derived variable.
///
/// Codes are compared as numbers by rank (every change of class is a move up or down); with `highFirst` (as
/// `mobility --class-order high-to-low`, the default) code 1 is the highest class, so a smaller destination code
/// is a move up. A row with either code missing or not a number has no move (missing). The derived column
/// replaces a column of the data with the same name.
public struct MobilityMoves: BatchSource {
    /// The rates, in the order they are published.
    public static let rates = ["upward", "downward", "immobile"]

    var base: any BatchSource
    public let origin: String
    public let destination: String
    /// The name of the derived column.
    public let name: String
    public let highFirst: Bool

    public init(_ base: any BatchSource, origin: String, destination: String, name: String = "move", highFirst: Bool = true) {
        self.base = base
        self.origin = origin
        self.destination = destination
        self.name = name
        self.highFirst = highFirst
    }

    /// The move from `origin` to `destination` codes.
    public static func move(origin: Double?, destination: Double?, highFirst: Bool = true) -> String? {
        guard let o = origin, let d = destination else { return nil }
        if o == d { return "immobile" }
        return (d < o) == highFirst ? "upward" : "downward"
    }

    public mutating func nextBatch() throws -> Batch? {
        guard var batch = try base.nextBatch() else { return nil }
        var columns: [Column] = []
        for variable in [origin, destination] {
            guard let c = batch.column(named: variable) else { throw SmallAreaError.missingColumn(column: variable, file: "the data") }
            columns.append(c)
        }
        let moves = (0..<batch.rowCount).map {
            Self.move(origin: columns[0].double(at: $0), destination: columns[1].double(at: $0), highFirst: highFirst)
        }
        batch.columns.removeAll { $0.name.lowercased() == name.lowercased() }
        batch.columns.append(Column(name: name, storage: .text(moves)))
        return batch
    }

    public var statistics: ReadStatistics { base.statistics }
}
