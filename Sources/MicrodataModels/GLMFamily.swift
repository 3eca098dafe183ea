import Foundation

/// The model family and its canonical link (the quasi families have the same estimates and, under a design,
/// the same sandwich variance).
public enum GLMFamily: String, Sendable, CaseIterable {
    /// Identity link.
    case gaussian
    /// Logit link; the response is 0/1 or a proportion (R `quasibinomial`).
    case binomial
    /// Log link (R `quasipoisson`).
    case poisson

    /// Parses a name; `quasibinomial`, `logit`, `quasipoisson` and `linear` are accepted.
    public init?(name: String) {
        switch name.lowercased() {
        case "gaussian", "linear", "identity": self = .gaussian
        case "binomial", "quasibinomial", "logit", "logistic": self = .binomial
        case "poisson", "quasipoisson", "log": self = .poisson
        default: return nil
        }
    }

    func inverseLink(_ eta: Double) -> Double {
        switch self {
        case .gaussian: return eta
        case .binomial:
            // R's logit_linkinv: exp(η) bounded to [ε, 1/ε] beyond |η| = 30.
            let e = eta < -30 ? Double.ulpOfOne : (eta > 30 ? 1 / Double.ulpOfOne : exp(eta))
            return e / (1 + e)
        case .poisson: return max(exp(eta), Double.ulpOfOne)
        }
    }

    /// `inverseLink(eta)` and `muEta(eta)` with one `exp` (the same values as the two calls).
    @inline(__always)
    func meanAndSlope(_ eta: Double) -> (mu: Double, muEta: Double) {
        switch self {
        case .gaussian: return (eta, 1)
        case .binomial:
            if abs(eta) > 30 { return (inverseLink(eta), Double.ulpOfOne) }
            let e = exp(eta)
            return (e / (1 + e), e / ((1 + e) * (1 + e)))
        case .poisson:
            let e = max(exp(eta), Double.ulpOfOne)
            return (e, e)
        }
    }

    func link(_ mu: Double) -> Double {
        switch self {
        case .gaussian: return mu
        case .binomial: return log(mu / (1 - mu))
        case .poisson: return log(mu)
        }
    }

    /// dμ/dη.
    func muEta(_ eta: Double) -> Double {
        switch self {
        case .gaussian: return 1
        case .binomial:
            // R's logit_mu_eta: ε beyond |η| = 30.
            if abs(eta) > 30 { return Double.ulpOfOne }
            let e = exp(eta)
            return e / ((1 + e) * (1 + e))
        case .poisson: return max(exp(eta), Double.ulpOfOne)
        }
    }

    func variance(_ mu: Double) -> Double {
        switch self {
        case .gaussian: return 1
        case .binomial: return mu * (1 - mu)
        case .poisson: return mu
        }
    }

    /// R's starting mean (`family$initialize`).
    func start(_ y: Double, weight: Double) -> Double {
        switch self {
        case .gaussian: return y
        case .binomial: return (weight * y + 0.5) / (weight + 1)
        case .poisson: return y + 0.1
        }
    }

    /// A row's contribution to the deviance.
    func deviance(_ y: Double, _ mu: Double, weight: Double) -> Double {
        func ylogy(_ a: Double, _ b: Double) -> Double { a == 0 ? 0 : a * log(a / b) }
        switch self {
        case .gaussian: return weight * (y - mu) * (y - mu)
        case .binomial: return 2 * weight * (ylogy(y, mu) + ylogy(1 - y, 1 - mu))
        case .poisson: return 2 * weight * (ylogy(y, mu) - (y - mu))
        }
    }

    func check(_ y: Double) -> Bool {
        switch self {
        case .gaussian: return true
        case .binomial: return y >= 0 && y <= 1
        case .poisson: return y >= 0
        }
    }
}
