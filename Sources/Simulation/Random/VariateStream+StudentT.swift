#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension VariateStream {
    /// A Student-t(df) variate by Bailey's polar method (Math. Comp. 62, 1994), exact for
    /// every df > 0: draw (u, v) uniform on the square (−1, 1)², keep it when
    /// w = u² + v² < 1 (probability π/4), and return t = u·√(df·(w^(−2/df) − 1)/w).
    /// As df → ∞ this is Marsaglia's polar normal. Attempt a uses block attempt a of
    /// (chain, step, index, .studentT); expected blocks per variate 4/π ≈ 1.27.
    ///
    /// w^(−2/df) − 1 is formed as expm1 of −(2/df)·ln w (accurate for large df); beyond
    /// exp(700) it is taken in logs, so only variates whose magnitude exceeds the largest
    /// double (possible for df ≲ 0.1) come out as ±∞.
    @inline(__always)
    public func studentT(df: Double, chain: UInt32, step: UInt32, index: UInt32) -> Double {
        var attempt: UInt32 = 0
        while true {
            let (a, b) = uniforms(chain: chain, step: step, index: index, purpose: .studentT, attempt: attempt)
            // 2a − 1 is exact: an odd multiple of 2⁻⁵² in (−1, 1), never 0, so w > 0.
            let u = 2 * a - 1, v = 2 * b - 1
            let w = u * u + v * v
            if w < 1 {
                let e = -2 / df * _log(w)
                if e < 700 { return u * (df * expm1(e) / w).squareRoot() }
                return u * exp(0.5 * (e + _log(df / w)))
            }
            attempt &+= 1
        }
    }
}
