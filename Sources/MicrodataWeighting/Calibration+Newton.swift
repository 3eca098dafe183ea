import Foundation

// MARK: - Distance functions (R `cal.linear`, `cal.raking`, `cal.logit`)

extension Calibration.Distance {
    /// `g − 1` at `u = x'λ` within the bounds `[lower, upper]` (R `calfun$Fm1`).
    @inline(__always)
    func gMinusOne(_ u: Double, lower: Double, upper: Double) -> Double {
        if u.isNaN { return .nan }
        switch self {
        case .linear:
            return min(max(u + 1, lower), upper) - 1
        case .raking:
            return min(max(exp(u), lower), upper) - 1
        case .logit:
            let a = (upper - lower) / ((upper - 1) * (1 - lower))
            let e = exp(a * u)
            return (lower * (upper - 1) + upper * (1 - lower) * e) / (upper - 1 + (1 - lower) * e) - 1
        }
    }

    /// `dg/du` (R `calfun$dF`). For linear and raking R zeroes it when `u ∉ (lower − 1, upper − 1)`; for
    /// raking that tests u, not `exp(u)`, against the bounds, and it is kept so the iterates match R's.
    @inline(__always)
    func derivative(_ u: Double, lower: Double, upper: Double) -> Double {
        if u.isNaN { return .nan }
        switch self {
        case .linear:
            return u < upper - 1 && u > lower - 1 ? 1 : 0
        case .raking:
            return u < upper - 1 && u > lower - 1 ? exp(u) : 0
        case .logit:
            let a = (upper - lower) / ((upper - 1) * (1 - lower))
            let e = exp(a * u)
            let den = upper - 1 + (1 - lower) * e
            return upper * (1 - lower) * e * a / den
                - ((lower * (upper - 1) + upper * (1 - lower) * e) * ((1 - lower) * e * a)) / (den * den)
        }
    }
}

// MARK: - Newton iterations (R `grake`)

/// R `grake()`: Newton iterations on the Lagrange multipliers of a calibration with a distance and bounds.
///
/// Starting from `λ = 0` (g = 1), each step solves `T Δλ = misfit` with `T = Σ d F'(u) x x'`,
/// `misfit = T_x − Σ d g x` and the Moore–Penrose inverse of T (R `MASS::ginv`, tolerance 256 ε); a step that
/// makes any g or F' non-finite is halved. Converged when every `|misfit_j| / (1 + |T_x,j|) < epsilon`. When
/// every `T_x,j / Σ d x_j` exceeds 20, d is first scaled by their mean (and the bounds apply to g after that
/// scaling), as in R.
struct NewtonCalibration {
    var distance: Calibration.Distance
    var lower: Double
    var upper: Double
    var epsilon: Double
    var maxIterations: Int
    /// Term names, for errors.
    var names: [String]

    init(_ calibration: Calibration) throws {
        distance = calibration.distance
        lower = calibration.bounds.lowerBound
        upper = calibration.bounds.upperBound
        epsilon = calibration.epsilon
        maxIterations = calibration.maxIterations
        names = calibration.terms.map(\.name)
        let bounded = lower != -.infinity || upper != .infinity
        if lower.isNaN || upper.isNaN || (bounded && !(lower < 1 && upper > 1)) {
            throw WeightingError.invalidDesign(
                "calibration bounds [\(lower), \(upper)] must contain 1 in their interior (L < 1 < U)")
        }
        if distance == .logit && !(lower.isFinite && upper.isFinite) {
            throw WeightingError.invalidDesign("logit calibration requires finite bounds L < 1 < U")
        }
        if !(epsilon > 0) || maxIterations < 1 {
            throw WeightingError.invalidDesign(
                "calibration needs epsilon > 0 and at least one iteration (got \(epsilon), \(maxIterations))")
        }
    }

    /// The g-weights of rows with calibration vectors `x` (n × p, row-major) and input weights `d`.
    ///
    /// - Returns: g per row and the number of Newton iterations taken.
    /// - Throws: ``WeightingError/infeasibleCalibrationBounds(term:total:lowest:highest:lower:upper:)`` when a
    ///   term whose x is of one sign cannot reach its total with g within the bounds, and
    ///   ``WeightingError/calibrationDidNotConverge(iterations:term:gap:relativeGap:epsilon:)`` when the totals
    ///   are not met after `maxIterations` iterations.
    func solve(x: [Double], d: [Double], totals: [Double]) throws -> (g: [Double], iterations: Int) {
        let n = d.count
        let p = totals.count
        var ww = d
        var sampleTotal = [Double](repeating: 0, count: p)
        for k in 0..<n where ww[k] != 0 {
            for j in 0..<p { sampleTotal[j] += x[k * p + j] * ww[k] }
        }
        var scale: Double? = nil
        let scales = (0..<p).map { totals[$0] / sampleTotal[$0] }
        if !scales.contains(where: \.isNaN), let smallest = scales.min(), smallest > 20 {
            let s = scales.reduce(0, +) / Double(p)
            for k in 0..<n { ww[k] *= s }
            for j in 0..<p { sampleTotal[j] *= s }
            scale = s
        }
        try checkFeasible(x: x, ww: ww, totals: totals)

        var eta = [Double](repeating: 0, count: p)
        var xeta = [Double](repeating: 0, count: n)
        var fm1 = [Double](repeating: 0, count: n)
        var deriv = [Double](repeating: 0, count: n)
        func update() -> Bool {
            var finite = true
            for k in 0..<n {
                var u = 0.0
                for j in 0..<p { u += x[k * p + j] * eta[j] }
                xeta[k] = u
                fm1[k] = distance.gMinusOne(u, lower: lower, upper: upper)
                deriv[k] = distance.derivative(u, lower: lower, upper: upper)
                if !(fm1[k] + 1).isFinite || !deriv[k].isFinite { finite = false }
            }
            return finite
        }
        func misfit() -> [Double] {
            var fitted = [Double](repeating: 0, count: p)
            for k in 0..<n where ww[k] != 0 {
                for j in 0..<p { fitted[j] += x[k * p + j] * ww[k] * fm1[k] }
            }
            return (0..<p).map { totals[$0] - sampleTotal[$0] - fitted[$0] }
        }
        _ = update()
        var iteration = 1
        while true {
            var t = [Double](repeating: 0, count: p * p)
            for k in 0..<n where ww[k] != 0 && deriv[k] != 0 {
                let c = ww[k] * deriv[k]
                for a in 0..<p where x[k * p + a] != 0 {
                    let ca = c * x[k * p + a]
                    for b in 0..<p { t[a * p + b] += ca * x[k * p + b] }
                }
            }
            let m = misfit()
            let inverse = pseudoInverse(symmetric: t, p)
            var step = [Double](repeating: 0, count: p)
            for a in 0..<p {
                var s = 0.0
                for b in 0..<p { s += inverse[a * p + b] * m[b] }
                step[a] = s
            }
            for j in 0..<p { eta[j] += step[j] }
            var finite = update()
            while iteration < maxIterations && !finite {
                iteration += 1
                for j in 0..<p {
                    step[j] /= 2
                    eta[j] -= step[j]
                }
                finite = update()
            }
            let gap = misfit()
            let relative = (0..<p).map { abs(gap[$0]) / (1 + abs(totals[$0])) }
            if relative.allSatisfy({ $0 < epsilon }) { break }
            iteration += 1
            if iteration > maxIterations {
                // R stops with max(|misfit|/(1+|T|)) after `iteration` (one more than the steps taken).
                var worst = 0
                for j in 0..<p where !(relative[j] <= relative[worst]) { worst = j }
                throw WeightingError.calibrationDidNotConverge(
                    iterations: iteration - 1, term: names[worst], gap: gap[worst], relativeGap: relative[worst],
                    epsilon: epsilon)
            }
        }
        var g = fm1.map { $0 + 1 }
        if let scale { for k in 0..<n { g[k] *= scale } }
        return (g, iteration)
    }

    /// A term whose x has one sign on every row reaches at most `Σ d x · [L, U]`.
    private func checkFeasible(x: [Double], ww: [Double], totals: [Double]) throws {
        let p = totals.count
        let n = ww.count
        for j in 0..<p {
            var positive = 0.0, negative = 0.0
            for k in 0..<n where ww[k] > 0 {
                let v = x[k * p + j] * ww[k]
                if v > 0 { positive += v } else if v < 0 { negative += v }
            }
            if positive > 0 && negative < 0 { continue }
            let s = positive > 0 ? positive : negative
            func times(_ b: Double) -> Double { s == 0 ? 0 : b * s }
            let lowest = min(times(lower), times(upper))
            let highest = max(times(lower), times(upper))
            if totals[j] < lowest || totals[j] > highest {
                throw WeightingError.infeasibleCalibrationBounds(
                    term: names[j], total: totals[j], lowest: lowest, highest: highest, lower: lower, upper: upper)
            }
        }
    }
}

/// The Moore–Penrose inverse of a symmetric p × p matrix (row-major), as R `MASS::ginv(tol = 256 ε)`:
/// eigenvalues whose magnitude is at most 256 ε times the largest are dropped.
func pseudoInverse(symmetric a: [Double], _ p: Int) -> [Double] {
    var m = a
    var v = [Double](repeating: 0, count: p * p)
    for i in 0..<p { v[i * p + i] = 1 }
    // Cyclic Jacobi sweeps; an element is rotated away unless it is negligible against its diagonal
    // (the relative test keeps the small eigenvalues of badly scaled matrices accurate).
    for _ in 0..<100 {
        var rotated = false
        for r in 0..<p {
            for c in (r + 1)..<p {
                let arc = m[r * p + c]
                if arc == 0 || abs(arc) <= Double.ulpOfOne * (abs(m[r * p + r]) * abs(m[c * p + c])).squareRoot() { continue }
                rotated = true
                let theta = (m[c * p + c] - m[r * p + r]) / (2 * m[r * p + c])
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let cs = 1 / (t * t + 1).squareRoot()
                let sn = t * cs
                for k in 0..<p {
                    let mkr = m[k * p + r], mkc = m[k * p + c]
                    m[k * p + r] = cs * mkr - sn * mkc
                    m[k * p + c] = sn * mkr + cs * mkc
                }
                for k in 0..<p {
                    let mrk = m[r * p + k], mck = m[c * p + k]
                    m[r * p + k] = cs * mrk - sn * mck
                    m[c * p + k] = sn * mrk + cs * mck
                }
                m[r * p + c] = 0
                m[c * p + r] = 0
                for k in 0..<p {
                    let vkr = v[k * p + r], vkc = v[k * p + c]
                    v[k * p + r] = cs * vkr - sn * vkc
                    v[k * p + c] = sn * vkr + cs * vkc
                }
            }
        }
        if !rotated { break }
    }
    let values = (0..<p).map { m[$0 * p + $0] }
    let largest = values.map(abs).max() ?? 0
    let tolerance = max(256 * Double.ulpOfOne * largest, 0)
    var out = [Double](repeating: 0, count: p * p)
    for e in 0..<p where abs(values[e]) > tolerance {
        let inv = 1 / values[e]
        for i in 0..<p {
            let vi = v[i * p + e] * inv
            if vi == 0 { continue }
            for j in 0..<p { out[i * p + j] += vi * v[j * p + e] }
        }
    }
    return out
}
