#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension VariateStream {
    /// A standard symmetric α-stable variate, E e^{isX} = exp(−|s|^α), α ∈ (0, 2], by
    /// Chambers, Mallows & Stuck (JASA 71, 1976) with β = 0: for V uniform on (−π/2, π/2)
    /// and W standard exponential (one block of (chain, step, index, .alphaStable)),
    ///
    ///     X = sin(αV) / cos(V)^{1/α} · (cos((1 − α)V) / W)^{(1 − α)/α}.
    ///
    /// α = 1 is tan V (Cauchy) and α = 2 is 2·sin(V)·√W ~ N(0, 2) (Box–Muller on a half
    /// circle); both are the formula's own limits, taken directly. Otherwise the formula is
    /// evaluated in logs so that extreme α or V give ±∞ or 0, never NaN.
    @inline(__always)
    public func symmetricStable(alpha: Double, chain: UInt32, step: UInt32, index: UInt32) -> Double {
        let (a, b) = uniforms(chain: chain, step: step, index: index, purpose: .alphaStable)
        // a ≠ ½, so V ≠ 0 and |V| < π/2 strictly: cos V > 0 and sin(αV) ≠ 0.
        let v = 3.141592653589793 * (a - 0.5)
        let w = -_log(b)
        if alpha == 2 { return 2 * _sin(v) * w.squareRoot() }
        if alpha == 1 { return tan(v) }
        let s = _sin(alpha * v)
        let logMagnitude = _log(Swift.abs(s)) - _log(_cos(v)) / alpha
            + (1 - alpha) / alpha * _log(_cos((1 - alpha) * v) / w)
        let magnitude = exp(logMagnitude)
        return s < 0 ? -magnitude : magnitude
    }
}
