import CGSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Hill's estimator of the tail index α of a positive sample whose upper tail is
/// Pareto-like, P(X > x) ~ C·x^{−α} (Hill 1975). With X₍₁₎ ≥ X₍₂₎ ≥ … the descending order
/// statistics and k upper order statistics,
///
///     1/α̂ = (1/k) Σ_{i=1}^{k} log X₍ᵢ₎ − log X₍ₖ₊₁₎,     se(α̂) = α̂/√k.
///
/// It is the maximum-likelihood estimate of α for the exceedances over the threshold
/// X₍ₖ₊₁₎; for an exact Pareto tail k·α/α̂ ~ Gamma(k, 1), so α̂ is consistent with
/// asymptotic standard error α/√k. For the cloud of an optimizer use X = |x − x*| per
/// coordinate (or the distance ‖x − x*‖).
///
/// The choice of k trades variance (small k) against bias from the part of the law that is
/// not yet Pareto (large k). The default, `recommendedK`, is k = ⌈√n⌉: k → ∞ and k/n → 0,
/// the conditions for consistency, with little bias for laws whose tail is Pareto up to a
/// correction decaying like a power of x (Student-t, Kesten-type stationary laws, α-stable);
/// n = 10⁶ gives k = 1000 and a 3 % standard error. The sample is sorted by GSL (gsl_sort).
public struct HillEstimator: Sendable {
    /// α̂ (∞ when the k largest values all equal the threshold).
    public let tailIndex: Double
    /// α̂/√k.
    public let standardError: Double
    /// The number of upper order statistics used.
    public let k: Int
    /// X₍ₖ₊₁₎: the tail above it is the part fitted.
    public let threshold: Double
    public let sampleSize: Int

    /// Why no estimate was made.
    public enum Failure: Error, CustomStringConvertible, Sendable, Equatable {
        /// A value is negative, NaN or infinite.
        case invalidValue(Double)
        /// k must satisfy 1 ≤ k < n.
        case invalidK(k: Int, sampleSize: Int)
        /// X₍ₖ₊₁₎ = 0: more than n − k values are 0, the logarithms are undefined.
        case zeroThreshold

        public var description: String {
            switch self {
            case .invalidValue(let x): return "Hill estimator: sample value \(x) is not finite and ≥ 0"
            case .invalidK(let k, let n): return "Hill estimator: k = \(k) is not in 1 … n − 1 = \(n - 1)"
            case .zeroThreshold: return "Hill estimator: the (k+1)-th largest value is 0"
            }
        }
    }

    /// k = ⌈√n⌉, at most n − 1 (0 for n < 2, which the estimator rejects).
    public static func recommendedK(sampleSize n: Int) -> Int {
        guard n >= 2 else { return 0 }
        var k = Int(Double(n).squareRoot().rounded(.up))
        while k * k < n { k += 1 }
        while k > 1 && (k - 1) * (k - 1) >= n { k -= 1 }
        return Swift.min(k, n - 1)
    }

    /// - Parameters:
    ///   - sample: values ≥ 0 (e.g. |x − x*|), finite.
    ///   - k: the number of upper order statistics, 1 ≤ k < n; default `recommendedK`.
    /// - Throws: `Failure` for a negative or non-finite value, a k out of range or a zero
    ///   threshold.
    public init(_ sample: [Double], k: Int? = nil) throws {
        let n = sample.count
        let k = k ?? Self.recommendedK(sampleSize: n)
        if let bad = sample.first(where: { !($0 >= 0 && $0.isFinite) }) { throw Failure.invalidValue(bad) }
        guard k >= 1, k < n else { throw Failure.invalidK(k: k, sampleSize: n) }
        var sorted = sample
        sorted.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress, 1, $0.count) }
        let threshold = sorted[n - k - 1]
        guard threshold > 0 else { throw Failure.zeroThreshold }
        var sum = 0.0
        for x in sorted[(n - k)...] { sum += log(x / threshold) }
        tailIndex = Double(k) / sum
        standardError = tailIndex / Double(k).squareRoot()
        self.k = k
        self.threshold = threshold
        sampleSize = n
    }
}
