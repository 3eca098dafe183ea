/// A covariance matrix kept as diagonal blocks of consecutive estimates; one block is the full matrix.
///
/// Tables that need only each domain's own covariance (``EstimationOptions/fullCovariance`` `false`) keep
/// one block per domain, so memory grows with the number of domains rather than its square.
struct CovarianceBlocks {
    /// Block k holds estimates `bounds[k]..<bounds[k + 1]`.
    private(set) var bounds: [Int]
    private var blockOf: [Int32]
    private var offset: [Int]
    /// Each block's row-major matrix, one after the other.
    var values: [Double]

    /// Blocks starting at `bounds` (ascending, first 0, last the number of estimates), every entry `fill`.
    init(bounds: [Int], fill: Double) {
        precondition(bounds.first == 0, "blocks start at estimate 0")
        self.bounds = bounds
        blockOf = []
        offset = [0]
        for k in 0..<(bounds.count - 1) {
            let n = bounds[k + 1] - bounds[k]
            blockOf.append(contentsOf: repeatElement(Int32(k), count: n))
            offset.append(offset[k] + n * n)
        }
        values = [Double](repeating: fill, count: offset.last!)
    }

    /// One block of `count` estimates.
    init(full count: Int, fill: Double) { self.init(bounds: [0, count], fill: fill) }

    /// Consecutive blocks, each a range of estimates with its row-major matrix, covering estimates
    /// `0..<n`: kept as they are, or (`full`) placed in one `n × n` matrix with `nan` between blocks.
    init(blocks: [(Range<Int>, [Double])], full: Bool) {
        let n = blocks.last?.0.upperBound ?? 0
        self.init(bounds: full ? [0, n] : [0] + blocks.map(\.0.upperBound), fill: .nan)
        for (range, matrix) in blocks {
            for a in range { for b in range { self[a, b] = matrix[(a - range.lowerBound) * range.count + b - range.lowerBound] } }
        }
    }

    var estimateCount: Int { bounds.last! }
    var blockCount: Int { bounds.count - 1 }

    /// The estimates sharing a block with estimate `e`.
    func block(of e: Int) -> Range<Int> {
        let k = Int(blockOf[e])
        return bounds[k]..<bounds[k + 1]
    }

    /// Whether estimates `a` and `b` are in one block (their covariance is kept).
    func shareBlock(_ a: Int, _ b: Int) -> Bool { blockOf[a] == blockOf[b] }

    /// The position of entry (a, b) in `values`; both in one block.
    func position(_ a: Int, _ b: Int) -> Int {
        let k = Int(blockOf[a])
        precondition(blockOf[b] == Int32(k), "estimates \(a) and \(b) are in different covariance blocks")
        let lo = bounds[k]
        return offset[k] + (a - lo) * (bounds[k + 1] - lo) + (b - lo)
    }

    subscript(a: Int, b: Int) -> Double {
        get { values[position(a, b)] }
        set { values[position(a, b)] = newValue }
    }

    /// Block k as a row-major matrix.
    func matrix(_ k: Int) -> [Double] { Array(values[offset[k]..<offset[k + 1]]) }
}
