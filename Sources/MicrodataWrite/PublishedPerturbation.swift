import Foundation

/// How a publication's counts were perturbed (the cell-key method): the method, the ptable's parameters and its
/// transition probabilities, never the seed. Every writer shows it from here: a `perturbation` object in JSON,
/// lines before the tables in Markdown and text, a section in HTML, cover-sheet lines in XLSX and entries in the
/// CSV's metadata file. Which values of a row were perturbed is in the row's `perturbed` column.
public struct PublishedPerturbation: Sendable, Hashable, Codable {
    /// One transition of the ptable: a cell of count `i` is published as `j` with probability `p`.
    public struct Transition: Sendable, Hashable, Codable {
        public var i: Int
        public var j: Int
        public var p: Double

        public init(i: Int, j: Int, p: Double) {
            self.i = i
            self.j = j
            self.p = p
        }
    }

    /// What was done, in words (method, ptable, parameters, record keys, what is scaled and withheld).
    public var method: String
    /// The ptable's name, such as `D3V200js2`.
    public var label: String
    /// D: the largest absolute noise.
    public var maximumNoise: Int
    /// V: the noise variance.
    public var variance: Double
    /// js: positive counts up to this are never published.
    public var blockedSmallCounts: Int
    /// The last row of the ptable serves every larger count.
    public var lastRowServesLargerCounts = true
    public var ptable: [Transition]
    public var source: String
    public var date: String
    public var licence: String

    public init(
        method: String, label: String, maximumNoise: Int, variance: Double, blockedSmallCounts: Int, ptable: [Transition],
        source: String, date: String, licence: String
    ) {
        self.method = method
        self.label = label
        self.maximumNoise = maximumNoise
        self.variance = variance
        self.blockedSmallCounts = blockedSmallCounts
        self.ptable = ptable
        self.source = source
        self.date = date
        self.licence = licence
    }

    /// The ptable as text, one line per original count: `i: v (p), …` with the noise `v = j − i` (the last
    /// count as `i+`).
    public var lines: [String] {
        let counts = Array(Set(ptable.map(\.i))).sorted()
        return counts.map { i in
            (i == counts.last && lastRowServesLargerCounts ? "\(i)+" : "\(i)") + ": "
                + ptable.filter { $0.i == i }.map { t in
                    let noise = t.j - t.i
                    return "\(noise >= 0 ? "+" : "")\(noise) (\(String(format: "%.4f", t.p)))"
                }.joined(separator: ", ")
        }
    }
}
