import Foundation

/// A Gaussian fit N(mean, covariance) of a cloud: d means and a d×d row-major covariance.
public struct GaussianFit: Sendable, Equatable {
    public let mean: [Double]
    public let covariance: [Double]
    public var dimension: Int { mean.count }

    /// `covariance` must hold mean.count² values.
    public init(mean: [Double], covariance: [Double]) {
        precondition(covariance.count == mean.count * mean.count, "covariance must be d×d")
        self.mean = mean
        self.covariance = covariance
    }

    /// True when every mean and covariance value is finite.
    public var isFinite: Bool { mean.allSatisfy(\.isFinite) && covariance.allSatisfy(\.isFinite) }

    /// tr Σ.
    public var trace: Double { (0..<dimension).reduce(0) { $0 + covariance[$1 * dimension + $1] } }

    /// ln det Σ from the eigenvalues of the symmetrised covariance: −inf when Σ is singular
    /// (an eigenvalue ≤ 0), NaN when it holds a non-finite value.
    public var logDeterminant: Double {
        guard let values = GaussianDistances.eigen(covariance, dimension)?.values else { return .nan }
        if values.contains(where: { $0 <= 0 }) { return -.infinity }
        return values.reduce(0) { $0 + Foundation.log($1) }
    }
}

/// Distances and shape comparisons between Gaussian fits. Every function returns NaN for a
/// non-finite input instead of handing it to GSL.
public enum GaussianDistances {
    /// The 2-Wasserstein distance between N(m₁, S₁) and N(m₂, S₂) (Dowson & Landau 1982):
    ///     W₂² = |m₁ − m₂|² + tr S₁ + tr S₂ − 2 tr (S₁^½ S₂ S₁^½)^½,
    /// symmetric square roots from the eigen-decomposition (negative round-off eigenvalues
    /// clamped to 0); W₂² is clamped at 0 before the square root. NaN when a covariance is
    /// not positive semi-definite beyond round-off.
    public static func wasserstein2(_ a: GaussianFit, _ b: GaussianFit) -> Double {
        let d = a.dimension
        guard b.dimension == d, a.isFinite, b.isFinite, isPositiveSemidefinite(a.covariance, d), isPositiveSemidefinite(b.covariance, d),
              let rootA = symmetricSquareRoot(a.covariance, d) else { return .nan }
        let middle = multiply(multiply(rootA, b.covariance, d), rootA, d)
        guard let values = eigen(middle, d)?.values else { return .nan }
        let crossTerm = values.reduce(0) { $0 + Swift.max($1, 0).squareRoot() }
        var meanDistance = 0.0
        for k in 0..<d { meanDistance += (a.mean[k] - b.mean[k]) * (a.mean[k] - b.mean[k]) }
        return Swift.max(meanDistance + a.trace + b.trace - 2 * crossTerm, 0).squareRoot()
    }

    /// The Kullback–Leibler divergence KL(N(m₁, S₁) ‖ N(m₂, S₂)) in nats:
    ///     ½ [tr(S₂⁻¹S₁) + (m₂ − m₁)ᵀ S₂⁻¹ (m₂ − m₁) − d + ln det S₂ − ln det S₁],
    /// with S₂⁻¹ applied through its Cholesky factor (GSL) and both log-determinants from the
    /// Cholesky diagonals. +inf when either covariance is not positive definite (a degenerate
    /// Gaussian is not absolutely continuous with respect to the other).
    public static func kullbackLeibler(_ p: GaussianFit, _ q: GaussianFit) -> Double {
        let d = p.dimension
        guard q.dimension == d, p.isFinite, q.isFinite else { return .nan }
        guard let lp = try? LinearAlgebra.cholesky(symmetrised(p.covariance, d), n: d),
              let lq = try? LinearAlgebra.cholesky(symmetrised(q.covariance, d), n: d) else { return .infinity }
        var traceTerm = 0.0
        for column in 0..<d {
            // S₂⁻¹ times the column of S₁, then its entry on the diagonal.
            let x = choleskySolve(lq, (0..<d).map { p.covariance[$0 * d + column] }, d)
            traceTerm += x[column]
        }
        let difference = (0..<d).map { q.mean[$0] - p.mean[$0] }
        let whitened = forwardSubstitute(lq, difference, d)
        let mahalanobis = whitened.reduce(0) { $0 + $1 * $1 }
        let logDetQ = (0..<d).reduce(0) { $0 + 2 * Foundation.log(lq[$1 * d + $1]) }
        let logDetP = (0..<d).reduce(0) { $0 + 2 * Foundation.log(lp[$1 * d + $1]) }
        return Swift.max(0.5 * (traceTerm + mahalanobis - Double(d) + logDetQ - logDetP), 0)
    }

    /// The angle in degrees, in [0, 90], between the leading eigenvectors (largest
    /// eigenvalue) of two covariances: acos |u·v|, the sign of an eigenvector being arbitrary.
    /// 0 in one dimension. Ill-conditioned when a covariance's two largest eigenvalues are
    /// (nearly) equal, as its principal axis then is.
    public static func principalAngleDegrees(_ a: [Double], _ b: [Double], dimension d: Int) -> Double {
        guard a.count == d * d, b.count == d * d, let ea = eigen(a, d), let eb = eigen(b, d) else { return .nan }
        // Eigenvalues ascend: the leading eigenvector is the last column.
        var dot = 0.0
        for k in 0..<d { dot += ea.vectors[k * d + d - 1] * eb.vectors[k * d + d - 1] }
        return Foundation.acos(Swift.min(Swift.abs(dot), 1)) * 180 / .pi
    }

    // MARK: Helpers

    /// The eigen-decomposition of (S + Sᵀ)/2 (GSL), or nil for a non-finite matrix or a GSL error.
    static func eigen(_ s: [Double], _ d: Int) -> (values: [Double], vectors: [Double])? {
        guard d > 0, s.count == d * d, s.allSatisfy(\.isFinite) else { return nil }
        return try? LinearAlgebra.symmetricEigen(symmetrised(s, d), n: d)
    }

    /// True when the smallest eigenvalue is ≥ −1e-10 times the largest modulus (round-off).
    static func isPositiveSemidefinite(_ s: [Double], _ d: Int) -> Bool {
        guard let values = eigen(s, d)?.values, let low = values.min() else { return false }
        let scale = values.map { Swift.abs($0) }.max() ?? 0
        return low >= -1e-10 * scale
    }

    /// The symmetric positive semi-definite square root V diag(√max(λ, 0)) Vᵀ.
    static func symmetricSquareRoot(_ s: [Double], _ d: Int) -> [Double]? {
        guard let (values, vectors) = eigen(s, d) else { return nil }
        var root = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0..<d {
                var sum = 0.0
                for k in 0..<d { sum += vectors[i * d + k] * Swift.max(values[k], 0).squareRoot() * vectors[j * d + k] }
                root[i * d + j] = sum
            }
        }
        return root
    }

    static func symmetrised(_ s: [Double], _ d: Int) -> [Double] {
        var out = s
        for i in 0..<d { for j in 0..<d { out[i * d + j] = 0.5 * (s[i * d + j] + s[j * d + i]) } }
        return out
    }

    static func multiply(_ a: [Double], _ b: [Double], _ d: Int) -> [Double] {
        var c = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for k in 0..<d { let x = a[i * d + k]; for j in 0..<d { c[i * d + j] += x * b[k * d + j] } } }
        return c
    }

    /// Solves L y = b for lower-triangular L.
    static func forwardSubstitute(_ l: [Double], _ b: [Double], _ d: Int) -> [Double] {
        var y = b
        for i in 0..<d {
            for k in 0..<i { y[i] -= l[i * d + k] * y[k] }
            y[i] /= l[i * d + i]
        }
        return y
    }

    /// Solves (L Lᵀ) x = b.
    static func choleskySolve(_ l: [Double], _ b: [Double], _ d: Int) -> [Double] {
        var x = forwardSubstitute(l, b, d)
        for i in stride(from: d - 1, through: 0, by: -1) {
            for k in (i + 1)..<Swift.max(i + 1, d) { x[i] -= l[k * d + i] * x[k] }
            x[i] /= l[i * d + i]
        }
        return x
    }
}
