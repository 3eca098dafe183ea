import Foundation

/// The result of a pass: the table of estimates plus the covariance between them.
public struct Estimates: Sendable {
    /// One block of cells per analysis, with the covariance among its cells.
    public struct Block: Sendable {
        public var analysis: Analysis
        /// The block's cells in ``Estimates/table``.
        public var cells: Range<Int>
        /// Row-major covariance among the block's cells; `nan` where not available (quantiles, and
        /// between domains when the lonely-PSU rule is applied per domain).
        public var covariance: [Double]
        /// A categorical analysis of several variables: each level's value of every variable, keyed by the
        /// level label (the values joined by `.`).
        public var levelComponents: [String: [String]] = [:]
    }

    public var table: EstimateTable
    public var blocks: [Block]
    /// Degrees of freedom of the whole design.
    public var degreesOfFreedom: Double
    /// Kish's weighting effect over all rows (of the input weights when the design is calibrated).
    public var kish: KishWeighting
    /// Every row read, whatever its weight or domain (R's `nrow` of the design).
    public var rowsInDesign: Int = 0
    /// Rows left out of every domain because a by-variable was missing.
    public var rowsWithMissingDomain: Int
    /// Rows whose weight was negative (accepted only with ``SurveyDesign/allowNegativeWeights``).
    public var negativeWeightRows: Int = 0
    /// The iterations and g-weight range of an iterative calibration (a distance or bounds); `nil` otherwise.
    public var calibration: CalibrationSummary? = nil
    /// Whether variances come from replicates (replicate weights or `--jackknife`) rather than linearisation.
    public var usesReplicates = false

    /// The covariance between two cells of the table, or `nil` when they are in different blocks.
    public func covariance(_ i: Int, _ j: Int) -> Double? {
        guard let b = blocks.first(where: { $0.cells.contains(i) }), b.cells.contains(j) else { return nil }
        let n = b.cells.count
        return b.covariance[(i - b.cells.lowerBound) * n + (j - b.cells.lowerBound)]
    }

    /// The covariance matrix of the cells `indices` (all in one block).
    public func covarianceMatrix(_ indices: [Int]) throws -> [[Double]] {
        try indices.map { i in
            try indices.map { j in
                guard let c = covariance(i, j) else {
                    throw WeightingError.invalidRequest("cells \(i) and \(j) are from different analyses")
                }
                return c
            }
        }
    }

    /// A linear contrast Σ c_k θ_k of cells and its standard error (R `svycontrast`).
    public func contrast(_ coefficients: [Int: Double]) throws -> (estimate: Double, standardError: Double) {
        let keys = Array(coefficients.keys)
        return try deltaMethod(cells: keys, value: keys.reduce(0) { $0 + coefficients[$1]! * table.cells[$1].estimate },
                               gradient: keys.map { coefficients[$0]! })
    }

    /// A smooth function g of cells, with its value and gradient at the estimates (delta method).
    public func deltaMethod(cells: [Int], value: Double, gradient: [Double]) throws
        -> (estimate: Double, standardError: Double)
    {
        let v = try covarianceMatrix(cells)
        var s = 0.0
        for a in cells.indices { for b in cells.indices { s += gradient[a] * v[a][b] * gradient[b] } }
        return (value, s.squareRoot())
    }

    /// The log odds ratio log(θ_a θ_d / (θ_b θ_c)) of four cells (for example weighted counts of a 2×2
    /// table) and its delta-method standard error.
    public func logOddsRatio(_ a: Int, _ b: Int, _ c: Int, _ d: Int) throws -> (estimate: Double, standardError: Double) {
        let t = [a, b, c, d].map { table.cells[$0].estimate }
        return try deltaMethod(cells: [a, b, c, d], value: log(t[0]) + log(t[3]) - log(t[1]) - log(t[2]),
                               gradient: [1 / t[0], -1 / t[1], -1 / t[2], 1 / t[3]])
    }

    /// The index of the cell with these by-values, statistic variable and level.
    public func cellIndex(variable: String, byValues: [String] = [], level: String? = nil, statistic: String? = nil) -> Int? {
        table.cells.firstIndex {
            $0.variable == variable && $0.byValues == byValues && $0.level == level
                && (statistic == nil || $0.statistic == statistic)
        }
    }
}

/// Kish's design effect due to weighting, `n Σw² / (Σw)²`, and the effective sample size `(Σw)²/Σw²`.
public struct KishWeighting: Sendable, Hashable, Codable {
    /// Rows with a non-zero weight.
    public var n: Int
    public var sumWeights: Double
    public var sumSquaredWeights: Double
    public var designEffect: Double { Double(n) * sumSquaredWeights / (sumWeights * sumWeights) }
    public var effectiveSampleSize: Double { sumWeights * sumWeights / sumSquaredWeights }

    public init(n: Int, sumWeights: Double, sumSquaredWeights: Double) {
        self.n = n
        self.sumWeights = sumWeights
        self.sumSquaredWeights = sumSquaredWeights
    }
}
