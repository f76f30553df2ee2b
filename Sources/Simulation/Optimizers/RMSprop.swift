/// RMSprop exactly as torch.optim.RMSprop.
///
///     (g ← g + λ·x: coupled weight decay, applied before the rule)
///     s ← α·s + (1 − α)·g²                          (no bias correction)
///     centered:  a ← α·a + (1 − α)·g;  den = √(s − a²) + ε
///     otherwise: den = √s + ε                       (ε outside the square root)
///     momentum μ > 0:  b ← μ·b + g/den;  x ← x − lr·b
///     otherwise:       x ← x − lr·g/den
///
/// lr is applied outside the momentum buffer (optax.rmsprop puts it inside, which differs
/// under a schedule). State: s, then a if centered, then b if μ > 0, all starting at 0.
///
/// Defaults: torch's, declared once in `Parameters` (the catalogue's and the initialiser's).
public struct RMSprop: Optimizer {
    public let alpha: Double
    public let eps: Double
    public let momentum: Double
    public let centered: Bool
    /// The mean square s, the mean a (centered) and the momentum buffer b (μ > 0).
    let square: StateVector, average: StateVector?, buffer: StateVector?
    public let state: [StateVector]

    public init(alpha: Double = Parameters.alpha.defaultValue, eps: Double = Parameters.eps.defaultValue,
                momentum: Double = Parameters.momentum.defaultValue, centered: Bool = Parameters.centered.defaultValue) {
        self.alpha = alpha
        self.eps = eps
        self.momentum = momentum
        self.centered = centered
        var layout = StateLayout()
        square = layout.vector()
        average = centered ? layout.vector() : nil
        buffer = momentum > 0 ? layout.vector() : nil
        state = layout.vectors
    }

    public func update(_ tile: OptimizerTile) {
        let alpha = alpha, eps = eps, mu = momentum, lr = tile.lr, count = tile.count
        for k in 0..<tile.dimension {
            let x = tile.x(k), g = tile.g(k), s = tile.row(square, k)
            for c in 0..<count { s[c] = alpha * s[c] + (1 - alpha) * g[c] * g[c] }
            // From here on g holds g/den.
            if let average {
                let a = tile.row(average, k)
                for c in 0..<count {
                    a[c] = alpha * a[c] + (1 - alpha) * g[c]
                    g[c] /= (s[c] - a[c] * a[c]).squareRoot() + eps
                }
            } else {
                for c in 0..<count { g[c] /= s[c].squareRoot() + eps }
            }
            if let buffer {
                let b = tile.row(buffer, k)
                for c in 0..<count {
                    b[c] = mu * b[c] + g[c]
                    x[c] -= lr * b[c]
                }
            } else {
                for c in 0..<count { x[c] -= lr * g[c] }
            }
        }
    }
}

extension RMSprop {
    /// The parameters as the catalogue declares them: each default, range and meaning is
    /// written here once (the initialiser's defaults are these).
    public enum Parameters {
        public static let alpha = Parameter<Double>.number("alpha", .value(0.99), .interval(0, 1), "smoothing constant α")
        public static let eps = Parameter<Double>.number("eps", .value(1e-8), .atLeast(0), "ε, outside the square root")
        public static let momentum = Parameter<Double>.number("momentum", .value(0), .atLeast(0), "μ")
        public static let centered = Parameter<Bool>.flag("centered", false, "divide by √(s − a²) with a the running mean of g")
    }

    public static let entry: OptimizerEntry = {
        let weightDecay = WeightDecayDeclaration.coupled()
        return OptimizerEntry(
            "rmsprop", summary: "torch.optim.RMSprop: s ← αs + (1 − α)g²; x ← x − lr·g/(√s + ε) (momentum: b ← μb + g/(√s + ε); x ← x − lr·b)",
            parameters: [Parameters.alpha.erased, Parameters.eps.erased, weightDecay.decay.erased, Parameters.momentum.erased, Parameters.centered.erased], weightDecay: weightDecay
        ) { p in RMSprop(alpha: try p(Parameters.alpha), eps: try p(Parameters.eps), momentum: try p(Parameters.momentum), centered: try p(Parameters.centered)) }
    }()
}
