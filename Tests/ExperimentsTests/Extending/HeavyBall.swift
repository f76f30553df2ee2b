import Simulation

/// Heavy-ball momentum in Polyak's form — the README's worked example of a new optimizer.
///
///     (g ← g + λ·x: coupled weight decay, declared by the entry, applied before the rule)
///     v ← μ·v − lr·g
///     x ← x + v
///
/// With a constant lr this is torch's SGD with momentum μ (v = −lr·b); under a schedule
/// they differ (here lr_t scales g as it enters v, not the whole buffer). State: v, from 0.
public struct HeavyBall: Optimizer {
    public let momentum: Double
    /// The velocity v.
    let velocity: StateVector
    public let state: [StateVector]

    public init(momentum: Double) {
        self.momentum = momentum
        var layout = StateLayout()
        velocity = layout.vector()
        state = layout.vectors
    }

    public func update(_ tile: OptimizerTile) {
        let mu = momentum, lr = tile.lr, count = tile.count
        for k in 0..<tile.dimension {
            let x = tile.x(k), g = tile.g(k), v = tile.row(velocity, k)
            for c in 0..<count {
                v[c] = mu * v[c] - lr * g[c]
                x[c] += v[c]
            }
        }
    }
}

extension HeavyBall {
    /// The catalogue entry: name, summary, typed parameters, weight decay and build.
    public static let entry: OptimizerEntry = {
        let momentum = Parameter<Double>.number("momentum", .value(0.9), .interval(0, 1, closedAbove: false), "μ")
        return OptimizerEntry("heavy-ball", summary: "Polyak's heavy ball: v ← μv − lr·g; x ← x + v",
                              parameters: [momentum.erased], weightDecay: .coupled()) { p in
            HeavyBall(momentum: try p(momentum))
        }
    }()
}
