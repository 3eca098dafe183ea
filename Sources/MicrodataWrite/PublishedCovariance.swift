import Foundation

/// The covariance matrix of published estimates (`tabulate --vcov`), labelled as contrasts name them.
///
/// Built only by the disclosure layer, from the estimates a checked table publishes: a suppressed estimate has
/// no row or column.
public struct PublishedCovariance: Sendable, Hashable, Encodable {
    /// The estimates' labels, in row (and column) order.
    public let labels: [String]
    /// The covariance matrix, `labels.count` square.
    public let covariance: [[Double]]
    /// The NOT DISCLOSURE CONTROLLED stamp, when checks were off.
    public let stamp: String?

    package init(labels: [String], covariance: [[Double]], stamp: String?) {
        self.labels = labels
        self.covariance = covariance
        self.stamp = stamp
    }

    enum CodingKeys: String, CodingKey { case controlled, stamp, labels, covariance }

    /// `controlled`, `stamp`, `labels` and `covariance` (a non-finite value is `null`).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(stamp == nil, forKey: .controlled)
        try c.encode(stamp, forKey: .stamp)
        try c.encode(labels, forKey: .labels)
        try c.encode(covariance.map { $0.map(TableValue.number) }, forKey: .covariance)
    }

    /// CSV: a header of the labels after an empty corner, then one row per label; numbers to full precision.
    public func csv() -> String {
        let rows = zip(labels, covariance).map { [TableValue.text($0)] + $1.map(TableValue.number) }
        return csvText(PublishedRecords(columns: [""] + labels, rows: rows))
    }

    /// The JSON document (pretty-printed, keys sorted).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Writes the matrix to `path` through ``OutputFile``: JSON for a `.json` name, CSV otherwise.
    public func write(to path: String) throws {
        try OutputFile.write(path.lowercased().hasSuffix(".json") ? try json() : csv(), to: path)
    }
}
