#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The tail index of minibatch SGD on 1-D least squares with streamed Gaussian features
/// (Gürbüzbalaban, Şimşekli & Zhu 2021, "The heavy-tail phenomenon in SGD", ICML).
///
/// One step with lr η and batch size B is the random affine recursion
///
///     x_{t+1} = (1 − η·a_t)·x_t + η·b_t,   a_t = (1/B) Σ_{i≤B} z_i²,  z ~ N(0, σ²),
///
/// so a_t = σ²·Y/B with Y ~ χ²_B, independent across steps. By Kesten's theorem (Goldie
/// 1991) the stationary law has power-law tails P(|x| > s) ~ c·s^{−α}, with α > 0 the root of
///
///     E|1 − η·a|^α = 1,
///
/// when the Lyapunov exponent E log|1 − η·a| is negative (the recursion contracts on
/// average) — then the root exists and is unique, since α ↦ log E|1 − η·a|^α is convex, 0 at
/// α = 0 with negative slope there, and → ∞ because Y is unbounded. Moments of order ≥ α
/// of the stationary law are infinite: α ≤ 2 means infinite variance. α decreases as η
/// grows (B fixed) and increases with B (η fixed): larger steps and smaller batches make
/// heavier tails, as the paper proves for Gaussian data (checked on a grid in the tests).
/// Only η·σ² matters. α = 2 exactly at η = 2B/(σ²(B + 2)), where
/// E(1 − η·a)² = 1 − 2ησ² + η²σ⁴(1 + 2/B) = 1.
///
/// The expectations are integrals over the χ²_B density by GSL (gsl_integration_qagp and
/// qagiu), split at the kink y = B/(ησ²) where 1 − η·a changes sign and around the modes
/// of the integrand, evaluated in log space (so large α cannot overflow); the root is found
/// by GSL's Brent solver. Thread-safe.
public enum KestenTailIndex {
    /// Why no tail index was returned.
    public enum Failure: Error, CustomStringConvertible, Sendable, Equatable {
        /// lr, batch size or feature variance outside (0, ∞) (batch size ≥ 1).
        case invalidArgument(String)
        /// E log|1 − η·a| ≥ 0: the recursion does not contract, |x_t| grows without bound
        /// and there is no stationary law (η beyond the stability limit).
        case notContracting(lyapunovExponent: Double)

        public var description: String {
            switch self {
            case .invalidArgument(let what): return "Kesten tail index: \(what)"
            case .notContracting(let lyapunov):
                return "Kesten tail index: E log|1 − lr·a| = \(lyapunov) ≥ 0, the SGD recursion has no stationary law"
            }
        }
    }

    /// α with E|1 − lr·a|^α = 1, a = σ²·χ²_B/B: the tail index of the stationary law of
    /// minibatch SGD on 1-D linear regression with Gaussian features of variance σ².
    ///
    /// - Parameters:
    ///   - lr: > 0.
    ///   - batchSize: B ≥ 1.
    ///   - featureVariance: σ² > 0.
    /// - Returns: α ∈ (0, ∞), to ~1e-12 relative.
    /// - Throws: `Failure.invalidArgument`, `Failure.notContracting` when
    ///   E log|1 − lr·a| ≥ 0 (no stationary law, hence no tail index), or a `GSLError`.
    public static func kestenTailIndex(lr: Double, batchSize: Int, featureVariance: Double) throws -> Double {
        let model = try Multiplier(lr: lr, batchSize: batchSize, featureVariance: featureVariance)
        let lyapunov = try model.lyapunovExponent()
        guard lyapunov < 0 else { throw Failure.notContracting(lyapunovExponent: lyapunov) }

        // Bracket the root of the convex L(α) = log E|A|^α, negative just above 0.
        var low = 1.0, high = 1.0
        if try model.logMoment(1) < 0 {
            repeat {
                low = high
                high *= 2
                guard high < 1e7 else { throw Failure.notContracting(lyapunovExponent: lyapunov) }
            } while try model.logMoment(high) < 0
        } else {
            repeat {
                high = low
                low /= 2
                guard low > 1e-12 else { throw Failure.notContracting(lyapunovExponent: lyapunov) }
            } while try model.logMoment(low) >= 0
        }
        var failure: Error?
        do {
            return try RootFinding.brent({ alpha in
                do { return try model.logMoment(alpha) } catch { failure = error; return .nan }
            }, lower: low, upper: high, relativeTolerance: 1e-13)
        } catch {
            throw failure ?? error
        }
    }

    /// log E|1 − lr·a|^order, a = σ²·χ²_B/B (0 at order 0; the tail index is its positive root).
    public static func logMoment(order: Double, lr: Double, batchSize: Int, featureVariance: Double) throws -> Double {
        guard order >= 0, order.isFinite else { throw Failure.invalidArgument("order \(order) is not in [0, ∞)") }
        return try Multiplier(lr: lr, batchSize: batchSize, featureVariance: featureVariance).logMoment(order)
    }

    /// The Lyapunov exponent E log|1 − lr·a| of the recursion: negative iff SGD has a
    /// stationary law (and then a finite tail index).
    public static func lyapunovExponent(lr: Double, batchSize: Int, featureVariance: Double) throws -> Double {
        try Multiplier(lr: lr, batchSize: batchSize, featureVariance: featureVariance).lyapunovExponent()
    }
}

/// The random multiplier A = 1 − u·Y, Y ~ χ²_B, u = lr·σ²/B.
private struct Multiplier {
    let u: Double
    /// k = B/2: the χ² density is y^{k−1} e^{−y/2} / (2^k Γ(k)).
    let k: Double
    let logNormaliser: Double
    var kink: Double { 1 / u }

    init(lr: Double, batchSize: Int, featureVariance: Double) throws {
        guard lr > 0, lr.isFinite else { throw KestenTailIndex.Failure.invalidArgument("lr \(lr) is not in (0, ∞)") }
        guard batchSize >= 1 else { throw KestenTailIndex.Failure.invalidArgument("batch size \(batchSize) is below 1") }
        guard featureVariance > 0, featureVariance.isFinite else {
            throw KestenTailIndex.Failure.invalidArgument("feature variance \(featureVariance) is not in (0, ∞)")
        }
        u = lr * featureVariance / Double(batchSize)
        k = Double(batchSize) / 2
        logNormaliser = k * log(2.0) + Self.logGamma(halfOf: batchSize)
    }

    /// log Γ(n/2) by the recurrences Γ(x + 1) = xΓ(x), Γ(1) = 1, Γ(1/2) = √π: exact up to
    /// rounding, and free of lgamma's global `signgam`.
    static func logGamma(halfOf n: Int) -> Double {
        var x = n % 2 == 0 ? 1.0 : 0.5
        var sum = n % 2 == 0 ? 0.0 : 0.5 * log(Double.pi)
        while x < Double(n) / 2 {
            sum += log(x)
            x += 1
        }
        return sum
    }

    /// log f(y) for y > 0 (the y^{k−1} factor is 1 for B = 2, also at y = 0).
    func logDensity(_ y: Double) -> Double { (k == 1 ? 0 : (k - 1) * log(y)) - y / 2 - logNormaliser }

    /// Where the χ² density has its mass: the mode max(B − 2, 0) and ±(1, 5, 20) standard
    /// deviations √(2B) around it.
    var densityPoints: [Double] {
        let mode = Swift.max(2 * (k - 1), 0), width = (4 * k).squareRoot()
        return [mode] + [1.0, 5, 20].flatMap { [mode - $0 * width, mode + $0 * width] }
    }

    /// log E|1 − uY|^α = log(∫₀^{1/u} (1 − uy)^α f + ∫_{1/u}^∞ (uy − 1)^α f), each piece
    /// integrated relative to its largest value.
    func logMoment(_ alpha: Double) throws -> Double {
        if alpha == 0 { return 0 }
        let g: (Double) -> Double = { y in alpha * log(Swift.abs(1 - self.u * y)) + self.logDensity(y) }
        // Stationary points of g solve u y² − (2u(α + k − 1) + 1) y + 2(k − 1) = 0: the smaller
        // root is the mode below the kink (when k > 1), the larger the mode above it.
        let s = 2 * u * (alpha + k - 1) + 1
        let root = (s * s - 8 * u * (k - 1)).squareRoot()
        let upperMode = (s + root) / (2 * u)
        let lowerMode = k > 1 ? 4 * (k - 1) / (s + root) : nil
        let curvature: (Double) -> Double = { y in
            let w = 1 - self.u * y
            return alpha * self.u * self.u / (w * w) + (self.k - 1) / (y * y)
        }
        let below = try logIntegralOfExp(g, from: 0, to: kink, mode: lowerMode, curvature: curvature)
        let above = try logIntegralOfExp(g, from: kink, to: .infinity, mode: upperMode, curvature: curvature)
        return logSumExp(below, above)
    }

    /// E log|1 − uY|; the logarithmic singularity at the kink is an endpoint of both pieces.
    func lyapunovExponent() throws -> Double {
        let integrand: (Double) -> Double = { y in log(Swift.abs(1 - self.u * y)) * exp(self.logDensity(y)) }
        let points = densityPoints
        var options = Integration.Options()
        options.absoluteTolerance = 1e-15
        let below = try Integration.integrate(integrand, from: 0, to: kink, breakpoints: points, options: options)
        let cut = Swift.max(kink, 2 * Swift.max(k - 1, 0) + 60 * (4 * k).squareRoot())
        let middle = try Integration.integrate(integrand, from: kink, to: cut, breakpoints: points, options: options)
        let tail = try Integration.integrate(integrand, from: cut, options: options)
        return below + middle + tail
    }

    /// log ∫ exp(g) over [lower, upper] (upper may be +∞): the integrand is scaled by
    /// exp(−g(mode)), and the subdivision starts at the mode and at mode ± (1, 5, 20)·width
    /// with width = 1/√(−g″(mode)) (`curvature` returns −g″), and at the density's bulk, so a
    /// peak narrow compared with the interval cannot be missed. −∞ for an integral that is 0.
    private func logIntegralOfExp(_ g: @escaping (Double) -> Double, from lower: Double, to upper: Double,
                                  mode: Double?, curvature: (Double) -> Double) throws -> Double {
        var points = densityPoints
        var reference = 0.0
        var width = 0.0
        if let mode, mode > lower, mode < upper {
            reference = g(mode)
            let c = curvature(mode)
            width = c > 0 ? 1 / c.squareRoot() : 0
            points += [mode] + [1.0, 5, 20].flatMap { [mode - $0 * width, mode + $0 * width] }
        }
        guard reference.isFinite else { return reference }
        let scaled: (Double) -> Double = { y in exp(g(y) - reference) }
        var total: Double
        if upper.isFinite {
            total = try Integration.integrate(scaled, from: lower, to: upper, breakpoints: points)
        } else {
            let cut = Swift.max(lower, points.max() ?? lower) + 40 * Swift.max(width, 1)
            total = try Integration.integrate(scaled, from: lower, to: cut, breakpoints: points)
            total += try Integration.integrate(scaled, from: cut)
        }
        return reference + log(total)
    }

    private func logSumExp(_ a: Double, _ b: Double) -> Double {
        let m = Swift.max(a, b)
        guard m.isFinite else { return m }
        return m + log(exp(a - m) + exp(b - m))
    }
}
