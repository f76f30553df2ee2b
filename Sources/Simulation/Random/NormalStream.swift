/// What a random draw is for; part of the counter, so the streams of one chain never collide.
public enum StreamPurpose: UInt32, Sendable, CaseIterable {
    case gradientNoise = 0
    case initialization = 1
    case optimizerNoise = 2
    case resampling = 3
}

/// Standard normal draws addressed by (chain, step, purpose, index), one Philox block per pair:
/// for draws made once, outside the hot loop (random rotations, data sets). The chains' own
/// draws come from `NormalSource`, which is several times faster.
///
/// Pair j of chain c at step t comes from Philox block (j, t, c, purpose): the 128 output bits
/// give u₁ ∈ (0, 1] and u₂ ∈ [0, 1) with 53 bits each, and the Box–Muller transform gives
/// z₂ⱼ = √(−2 ln u₁)·cos(2πu₂), z₂ⱼ₊₁ = √(−2 ln u₁)·sin(2πu₂). Our own transform, so results
/// do not depend on the standard library's random API. Chains are limited to 2³² and steps
/// to 2³² − 1.
@frozen
public struct NormalStream: Sendable, Equatable {
    public let generator: Philox4x32

    @inlinable
    public init(generator: Philox4x32) { self.generator = generator }

    @inlinable @inline(__always)
    public func pair(chain: UInt32, step: UInt32, index j: UInt32, purpose: StreamPurpose) -> (Double, Double) {
        let r = generator.block(j, step, chain, purpose.rawValue)
        let a = UInt64(r.1) << 32 | UInt64(r.0)
        let b = UInt64(r.3) << 32 | UInt64(r.2)
        let u1 = Double((a >> 11) &+ 1) * 0x1.0p-53
        let u2 = Double(b >> 11) * 0x1.0p-53
        let radius = (-2.0 * _log(u1)).squareRoot()
        let theta = 6.283185307179586 * u2
        let (sine, cosine) = _sincos(theta)
        return (radius * cosine, radius * sine)
    }
}
