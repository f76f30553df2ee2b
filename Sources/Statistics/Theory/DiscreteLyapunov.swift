/// The stationary covariance of a stable linear recursion s_t = A s_{t−1} + B ξ_t with
/// Cov ξ = C: the discrete Lyapunov equation Σ = A Σ Aᵀ + Q, Q = B C Bᵀ.
///
/// A is a general (not necessarily symmetric) n×n matrix — preconditioned dynamics P·H are
/// not symmetric. Σ = Σ_k A^k Q (Aᵀ)^k is summed by Smith's doubling, Σ ← Σ + A Σ Aᵀ,
/// A ← A², with GSL's BLAS; it converges quadratically when the spectral radius ρ(A) < 1
/// (`LinearAlgebra.spectralRadius`, gsl_eigen_nonsymm), which the caller checks first.
public enum DiscreteLyapunov {
    /// Q = B C Bᵀ (n×n) for B an n×d matrix and C a d×d matrix, all row-major.
    public static func input(b: [Double], noise c: [Double], n: Int, d: Int) -> [Double] {
        // Padded to n×n with zeros, for `LinearAlgebra.multiply`'s square matrices.
        var bPadded = [Double](repeating: 0, count: n * n), cPadded = bPadded
        for i in 0..<n { for j in 0..<d { bPadded[i * n + j] = b[i * d + j] } }
        for i in 0..<d { for j in 0..<d { cPadded[i * n + j] = c[i * d + j] } }
        return LinearAlgebra.multiply(LinearAlgebra.multiply(bPadded, cPadded, n: n), bPadded, n: n, transposeB: true)
    }

    /// Σ = Σ_k A^k Q (Aᵀ)^k by doubling; converges quadratically when ρ(A) < 1.
    public static func smithDoubling(a: [Double], q: [Double], n: Int) -> [Double] {
        var power = a, sigma = q
        for _ in 0..<200 {
            let spread = LinearAlgebra.multiply(LinearAlgebra.multiply(power, sigma, n: n), power, n: n, transposeB: true)
            var change = 0.0, size = 0.0
            for i in sigma.indices {
                sigma[i] += spread[i]
                change = Swift.max(change, Swift.abs(spread[i]))
                size = Swift.max(size, Swift.abs(sigma[i]))
            }
            if change <= 1e-17 * size { break }
            power = LinearAlgebra.multiply(power, power, n: n)
        }
        return sigma
    }
}
