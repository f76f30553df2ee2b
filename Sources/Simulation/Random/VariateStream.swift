/// What a non-Gaussian draw is for. The raw value is the low byte of Philox's fourth
/// counter word; 0–3 belong to `StreamPurpose` (gradientNoise 0, initialization 1,
/// optimizerNoise 2, resampling 3) and 16–19 to `NormalSource`'s seeds, so these streams never meet theirs.
public enum VariatePurpose: UInt32, Sendable, CaseIterable {
    case studentT = 4
    case alphaStable = 5
}

/// Uniform and heavy-tailed draws addressed by (chain, step, index, purpose), like `NormalStream` and `NormalSource`.
///
/// Draw `index` (a coordinate) of chain c at step t, attempt a, comes from Philox block
/// (index, t, c, purpose + 256·a). Rejection samplers consume a variable number of blocks:
/// attempt a of one draw is a counter inside that draw's own block range, so every value
/// depends only on its address, never on how many blocks other draws used, on the tiling
/// of chains or on threads. The low byte of the fourth word is the purpose (≥ 4), so no
/// attempt number can reach a `StreamPurpose` block; attempts wrap after 2²⁴, which a
/// sampler accepting with probability p reaches with probability (1 − p)^(2²⁴).
public struct VariateStream: Sendable, Equatable {
    public let generator: Philox4x32

    public init(generator: Philox4x32) { self.generator = generator }

    /// The draws of the run whose Gaussian draws are `normals`: the same key, other counters.
    public init(_ normals: NormalSource) { self.generator = normals.generator }

    /// Philox block (index, step, chain, purpose + 256·attempt).
    @inline(__always)
    public func block(
        chain: UInt32, step: UInt32, index: UInt32, purpose: VariatePurpose, attempt: UInt32 = 0
    ) -> (UInt32, UInt32, UInt32, UInt32) {
        generator.block(index, step, chain, purpose.rawValue | attempt << 8)
    }

    /// Two independent uniforms on the open interval (0, 1), one from each 64-bit half of
    /// the block: u = (k + ½)·2⁻⁵² with k the top 52 bits. Exact in binary64, never 0 or 1,
    /// never exactly ½, and symmetric (k ↦ 2⁵² − 1 − k maps u to 1 − u).
    @inline(__always)
    public func uniforms(
        chain: UInt32, step: UInt32, index: UInt32, purpose: VariatePurpose, attempt: UInt32 = 0
    ) -> (Double, Double) {
        let r = block(chain: chain, step: step, index: index, purpose: purpose, attempt: attempt)
        let a = UInt64(r.1) << 32 | UInt64(r.0)
        let b = UInt64(r.3) << 32 | UInt64(r.2)
        return (VariateStream.openUniform(a), VariateStream.openUniform(b))
    }

    /// (top 52 bits + ½)·2⁻⁵² ∈ (0, 1).
    @inline(__always)
    static func openUniform(_ bits: UInt64) -> Double {
        (Double(bits >> 12) + 0.5) * 0x1.0p-52
    }
}

extension VariateStream {
    /// g[k·stride + c] += scale_k · draw(chain, k) for a tile: the shared loop of the
    /// independent-coordinate noise models (coordinates with scale 0 are skipped, as 0·∞ is NaN).
    @inline(__always)
    func addScaledDraws(
        to g: UnsafeMutablePointer<Double>, scale: [Double], stride: Int, count: Int, firstChain: Int,
        draw: (_ chain: UInt32, _ coordinate: UInt32) -> Double
    ) {
        for k in 0..<scale.count {
            let s = scale[k]
            if s == 0 { continue }
            let gk = g + k * stride
            for c in 0..<count {
                gk[c] += s * draw(UInt32(truncatingIfNeeded: firstChain + c), UInt32(k))
            }
        }
    }
}
