/// Weight decay as a transformation of its own, applied before the update rule (optax's
/// `add_decayed_weights` in a chain): an optimizer's catalogue entry declares whether it
/// takes one and how it couples, and the engine applies it to the tile.
///
///     coupled:    g ← g + λ_k·x          (torch's `weight_decay`: an L2 term in the gradient)
///     decoupled:  x ← x·(1 − lr_t·λ_k)   (torch AdamW's, at the start of the step, scaled by
///                                         the scheduled learning rate)
///
/// A coordinate with λ_k = 0 is left alone (not g + 0·x, which a non-finite x would spoil).
public struct WeightDecay: Sendable, Equatable {
    public enum Coupling: String, Sendable {
        case coupled, decoupled
    }

    /// λ per coordinate.
    public let values: [Double]
    public let coupling: Coupling

    public init(_ values: [Double], coupling: Coupling) {
        self.values = values
        self.coupling = coupling
    }

    public static func coupled(_ values: [Double]) -> WeightDecay { WeightDecay(values, coupling: .coupled) }
    public static func decoupled(_ values: [Double]) -> WeightDecay { WeightDecay(values, coupling: .decoupled) }

    public var isZero: Bool { values.allSatisfy { $0 == 0 } }
    public var isDecoupled: Bool { coupling == .decoupled }

    /// Decays every coordinate of a tile.
    @inline(__always)
    public func apply(_ tile: OptimizerTile) {
        values.withUnsafeBufferPointer { decay in
            for k in 0..<tile.dimension where decay[k] != 0 {
                let x = tile.x(k), count = tile.count
                switch coupling {
                case .coupled:
                    let g = tile.g(k), lambda = decay[k]
                    for c in 0..<count { g[c] += lambda * x[c] }
                case .decoupled:
                    let factor = 1 - tile.lr * decay[k]
                    for c in 0..<count { x[c] *= factor }
                }
            }
        }
    }
}
