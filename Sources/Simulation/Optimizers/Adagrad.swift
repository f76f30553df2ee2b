/// Adagrad exactly as torch.optim.Adagrad.
///
///     (g ← g + λ·x: coupled weight decay, applied before the rule)
///     clr = lr/(1 + (t − 1)·lr_decay)
///     S ← S + g²                                    (S starts at initial_accumulator_value)
///     x ← x − clr·g/(√S + ε)                        (ε outside the square root)
///
/// optax.adagrad differs: g/√(S + ε), initial accumulator 0.1, ε = 1e-7, no lr_decay.
///
/// Defaults: torch's, declared once in `Parameters` (the catalogue's and the initialiser's).
public struct Adagrad: Optimizer {
    public let lrDecay: Double
    public let initialAccumulatorValue: Double
    public let eps: Double
    /// The sum of squared gradients S.
    let sum: StateVector
    public let state: [StateVector]

    public init(lrDecay: Double = Parameters.lrDecay.defaultValue, initialAccumulatorValue: Double = Parameters.initial.defaultValue,
                eps: Double = Parameters.eps.defaultValue) {
        self.lrDecay = lrDecay
        self.initialAccumulatorValue = initialAccumulatorValue
        self.eps = eps
        var layout = StateLayout()
        sum = layout.vector(startingAt: initialAccumulatorValue)
        state = layout.vectors
    }

    public func update(_ tile: OptimizerTile) {
        let eps = eps, count = tile.count
        let clr = tile.lr / (1 + Double(tile.step - 1) * lrDecay)
        for k in 0..<tile.dimension {
            let x = tile.x(k), g = tile.g(k), s = tile.row(sum, k)
            for c in 0..<count {
                s[c] += g[c] * g[c]
                x[c] -= clr * (g[c] / (s[c].squareRoot() + eps))
            }
        }
    }
}

extension Adagrad {
    /// The parameters as the catalogue declares them: each default, range and meaning is
    /// written here once (the initialiser's defaults are these).
    public enum Parameters {
        public static let lrDecay = Parameter<Double>.number("lr_decay", .value(0), .atLeast(0), "learning-rate decay")
        public static let initial = Parameter<Double>.number("initial_accumulator_value", .value(0), .atLeast(0), "S at the start")
        public static let eps = Parameter<Double>.number("eps", .value(1e-10), .atLeast(0), "ε, outside the square root")
    }

    public static let entry: OptimizerEntry = {
        let weightDecay = WeightDecayDeclaration.coupled()
        return OptimizerEntry(
            "adagrad", summary: "torch.optim.Adagrad: S ← S + g²; x ← x − lr/(1 + (t − 1)·lr_decay)·g/(√S + ε)",
            parameters: [Parameters.lrDecay.erased, weightDecay.decay.erased, Parameters.initial.erased, Parameters.eps.erased], weightDecay: weightDecay
        ) { p in Adagrad(lrDecay: try p(Parameters.lrDecay), initialAccumulatorValue: try p(Parameters.initial), eps: try p(Parameters.eps)) }
    }()
}
