import CGSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Cumulative distribution functions (GSL's gsl_cdf_*) and the Kolmogorov–Smirnov test.
///
/// Arguments outside a function's domain (df ≤ 0, n < 1, NaN) give NaN rather than a GSL
/// error, so a report shows the hole instead of stopping.
public enum Distributions {
    /// P(T ≤ x) for T ~ Student-t(df), df > 0 (gsl_cdf_tdist_P).
    public static func studentTCDF(_ x: Double, df: Double) -> Double {
        guard df > 0, !x.isNaN else { return .nan }
        _ = GSL.setUp
        return gsl_cdf_tdist_P(x, df)
    }

    /// P(Z ≤ x) for Z ~ N(0, 1) (gsl_cdf_ugaussian_P).
    public static func normalCDF(_ x: Double) -> Double {
        guard !x.isNaN else { return .nan }
        _ = GSL.setUp
        return gsl_cdf_ugaussian_P(x)
    }

    /// The upper tail P(V > x) for V ~ χ²(df), df > 0 (gsl_cdf_chisq_Q): the p-value of a
    /// chi-square statistic x.
    public static func chiSquaredQ(_ x: Double, df: Double) -> Double {
        guard df > 0, !x.isNaN else { return .nan }
        if x <= 0 { return 1 }
        _ = GSL.setUp
        return gsl_cdf_chisq_Q(x, df)
    }

    /// The χ²(df) quantiles with lower-tail probability p and upper-tail probability q, df > 0:
    /// x with P(V ≤ x) = p (gsl_cdf_chisq_Pinv) and y with P(V > y) = q (gsl_cdf_chisq_Qinv),
    /// each accurate in its own tail, so p = q = 2.9e-7 gives the 5σ-equivalent interval of a
    /// sample variance, (n − 1)·s²/σ² ~ χ²(n − 1). NaN for df ≤ 0 or a probability outside (0, 1).
    public static func chiSquaredQuantiles(lower p: Double, upper q: Double, df: Double) -> (lower: Double, upper: Double) {
        guard df > 0, p > 0, p < 1, q > 0, q < 1 else { return (.nan, .nan) }
        _ = GSL.setUp
        return (gsl_cdf_chisq_Pinv(p, df), gsl_cdf_chisq_Qinv(q, df))
    }

    /// The p-value of a one-sample Kolmogorov–Smirnov statistic D = sup|F_n − F| of n draws
    /// against a continuous F, by the asymptotic distribution with Stephens' small-sample
    /// correction (Stephens 1970; Numerical Recipes §14.3.3):
    ///
    ///     p = Q_KS((√n + 0.12 + 0.11/√n)·D),  Q_KS(λ) = 2 Σ_{j≥1} (−1)^{j−1} e^{−2j²λ²}.
    ///
    /// Accurate to about 1% in p for n ≥ 35 — ample for tests that compare p with a small
    /// threshold. For λ < 1.18 the alternating series converges slowly, so the equivalent
    /// Jacobi-theta form 1 − (√(2π)/λ) Σ_{j≥1} e^{−(2j−1)²π²/(8λ²)} is summed instead.
    public static func kolmogorovSmirnovPValue(statistic D: Double, n: Int) -> Double {
        guard n >= 1, !D.isNaN else { return .nan }
        if D <= 0 { return 1 }
        let root = Double(n).squareRoot()
        return kolmogorovQ((root + 0.12 + 0.11 / root) * D)
    }

    /// D = sup_x |F_n(x) − F(x)| of a sample against a continuous CDF F: the largest of
    /// i/n − F(x₍ᵢ₎) and F(x₍ᵢ₎) − (i − 1)/n over the sorted sample. NaN for an empty sample
    /// or one containing NaN.
    public static func kolmogorovSmirnovStatistic(_ sample: [Double], cdf: (Double) -> Double) -> Double {
        guard !sample.isEmpty, !sample.contains(where: \.isNaN) else { return .nan }
        let sorted = sample.sorted()
        let n = Double(sorted.count)
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            let f = cdf(x)
            d = Swift.max(d, Double(i + 1) / n - f, f - Double(i) / n)
        }
        return d
    }

    /// Q_KS(λ) = P(K > λ) of the Kolmogorov distribution.
    static func kolmogorovQ(_ lambda: Double) -> Double {
        if lambda <= 0 { return 1 }
        return lambda < 1.18 ? 1 - kolmogorovCDFTheta(lambda) : kolmogorovQAlternating(lambda)
    }

    /// 2 Σ_{j≥1} (−1)^{j−1} e^{−2j²λ²}; terms fall below 10⁻¹⁹ of the first by j = 4 for λ ≥ 1.18.
    static func kolmogorovQAlternating(_ lambda: Double) -> Double {
        var sum = 0.0, sign = 1.0
        for j in 1...100 {
            let term = exp(-2 * Double(j * j) * lambda * lambda)
            sum += sign * term
            if term < 1e-20 * sum { break }
            sign = -sign
        }
        return Swift.min(1, Swift.max(0, 2 * sum))
    }

    /// P(K ≤ λ) = (√(2π)/λ) Σ_{j≥1} e^{−(2j−1)²π²/(8λ²)}, fast for small λ.
    static func kolmogorovCDFTheta(_ lambda: Double) -> Double {
        let base = -Double.pi * Double.pi / (8 * lambda * lambda)
        var sum = 0.0
        for j in 1...100 {
            let odd = Double(2 * j - 1)
            let term = exp(odd * odd * base)
            sum += term
            if term <= 1e-20 * sum || term == 0 { break }
        }
        return Swift.min(1, Swift.max(0, (2 * Double.pi).squareRoot() / lambda * sum))
    }
}
