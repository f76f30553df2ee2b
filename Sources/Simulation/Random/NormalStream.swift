/// What a random draw is for; part of the counter, so the streams of one chain never collide.
public enum StreamPurpose: UInt32, Sendable {
    case gradientNoise = 0
    case initialization = 1
    case optimizerNoise = 2
    case resampling = 3
}

/// Standard normal draws addressed by (chain, step, purpose, index).
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

    /// A uniform integer in 0..<bound for (chain, step, purpose): the high word of the
    /// 64×64-bit product of 64 random bits and the bound (Lemire), bias below bound/2⁶⁴.
    @inlinable @inline(__always)
    public func index(below bound: Int, chain: UInt32, step: UInt32, purpose: StreamPurpose) -> Int {
        let r = generator.block(0, step, chain, purpose.rawValue)
        let bits = UInt64(r.1) << 32 | UInt64(r.0)
        return Int(bits.multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// Fills z[k·stride + c] (k < dimension, c < count) with the normals of chains
    /// firstChain + c at `step`: the structure-of-arrays layout of a block.
    @inlinable
    public func fill(
        _ z: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int,
        firstChain: Int, step: UInt32, purpose: StreamPurpose
    ) {
        let pairs = (dimension + 1) / 2
        for c in 0..<count {
            let chain = UInt32(truncatingIfNeeded: firstChain + c)
            for j in 0..<pairs {
                let (z0, z1) = pair(chain: chain, step: step, index: UInt32(j), purpose: purpose)
                z[2 * j * stride + c] = z0
                if 2 * j + 1 < dimension { z[(2 * j + 1) * stride + c] = z1 }
            }
        }
    }
}
