/// What clipping applies to: the raw stochastic gradient before any optimizer state sees it
/// (SPEC §4, the default), or the optimizer's final update Δx, so the two orders can be
/// compared.
public enum ClipStage: String, Sendable, CaseIterable {
    case gradient, update
}

/// Clipping of the raw stochastic gradient, before any optimizer state sees it (SPEC §4).
public enum GradientClip: Sendable, Equatable {
    case none
    /// torch.nn.utils.clip_grad_norm_: g ← g·min(1, max_norm/(‖g‖ + 1e-6)); norm type 1, 2 or ∞.
    case norm(maxNorm: Double, normType: Double)
    /// torch.nn.utils.clip_grad_value_: g_i ← min(max(g_i, −v), v).
    case value(Double)

    /// Clips each chain's gradient in a block; `scratch` holds `count` doubles.
    @inline(__always)
    func apply(
        _ g: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int,
        scratch: UnsafeMutablePointer<Double>
    ) {
        switch self {
        case .none:
            return
        case .value(let v):
            for k in 0..<dimension {
                let gk = g + k * stride
                for c in 0..<count { gk[c] = Swift.min(Swift.max(gk[c], -v), v) }
            }
        case .norm(let maxNorm, let normType):
            for c in 0..<count { scratch[c] = 0 }
            for k in 0..<dimension {
                let gk = g + k * stride
                if normType == .infinity {
                    for c in 0..<count { scratch[c] = Swift.max(scratch[c], Swift.abs(gk[c])) }
                } else if normType == 1 {
                    for c in 0..<count { scratch[c] += Swift.abs(gk[c]) }
                } else {
                    for c in 0..<count { scratch[c] += gk[c] * gk[c] }
                }
            }
            for c in 0..<count {
                let norm = normType == 2 ? scratch[c].squareRoot() : scratch[c]
                let coefficient = maxNorm / (norm + 1e-6)
                scratch[c] = coefficient < 1 ? coefficient : 1
            }
            for k in 0..<dimension {
                let gk = g + k * stride
                for c in 0..<count { gk[c] *= scratch[c] }
            }
        }
    }
}
