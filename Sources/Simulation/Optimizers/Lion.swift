/// Lion (Chen et al. 2023) exactly as optax.lion; lion-pytorch agrees to 4e-15.
///
///     (x ← x·(1 − lr·λ): decoupled weight decay, applied before the rule)
///     c ← β₁·m + (1 − β₁)·g
///     x ← x − lr·sign(c)                            (sign(0) = 0)
///     m ← β₂·m + (1 − β₂)·g                         (momentum updated after, with β₂)
///
/// optax computes x·(1 − lr·λ) − lr·sign(c) in one expression: the same two roundings.
/// State: m, starting at 0.
///
/// Defaults: optax's, declared once in `Parameters` (the catalogue's and the initialiser's).
public struct Lion: Optimizer {
    public let beta1: Double
    public let beta2: Double
    /// The momentum m.
    let momentum: StateVector
    public let state: [StateVector]

    public init(beta1: Double = Parameters.betas.defaultValue[0], beta2: Double = Parameters.betas.defaultValue[1]) {
        self.beta1 = beta1
        self.beta2 = beta2
        var layout = StateLayout()
        momentum = layout.vector()
        state = layout.vectors
    }

    public func update(_ tile: OptimizerTile) {
        let b1 = beta1, b2 = beta2, lr = tile.lr, count = tile.count
        for k in 0..<tile.dimension {
            let x = tile.x(k), g = tile.g(k), m = tile.row(momentum, k)
            for c in 0..<count {
                x[c] -= lr * SignSGD.sign(b1 * m[c] + (1 - b1) * g[c])
                m[c] = b2 * m[c] + (1 - b2) * g[c]
            }
        }
    }
}

extension Lion {
    /// The parameters as the catalogue declares them: each default, range and meaning is
    /// written here once (the initialiser's defaults are these).
    public enum Parameters {
        public static let betas = Parameter<[Double]>.numbers("betas", count: 2, .value([0.9, 0.99]), each: .interval(0, 1, closedAbove: false), "β₁, β₂")
    }

    public static let entry: OptimizerEntry = {
        return OptimizerEntry(
            "lion", summary: "optax.lion: c ← β₁m + (1 − β₁)g; x ← x·(1 − lr·λ) − lr·sign(c); m ← β₂m + (1 − β₂)g",
            parameters: [Parameters.betas.erased], weightDecay: .decoupled(default: 0, meaning: "decoupled decay λ, scaled by lr")
        ) { p in
            let b = try p(Parameters.betas)
            return Lion(beta1: b[0], beta2: b[1])
        }
    }()
}
