/// Signum (Bernstein et al. 2018) exactly as optax.signum.
///
///     m ← β·m + (1 − β)·g                           (no bias correction)
///     x ← x − lr·sign(m)                            (sign(0) = 0)
///
/// State: m, starting at 0.
///
/// Default: optax's, declared once in `Parameters` (the catalogue's and the initialiser's).
public struct Signum: Optimizer {
    public let beta: Double
    /// The momentum m.
    let momentum: StateVector
    public let state: [StateVector]

    public init(beta: Double = Parameters.beta.defaultValue) {
        self.beta = beta
        var layout = StateLayout()
        momentum = layout.vector()
        state = layout.vectors
    }

    public func update(_ tile: OptimizerTile) {
        let beta = beta, lr = tile.lr, count = tile.count
        for k in 0..<tile.dimension {
            let x = tile.x(k), g = tile.g(k), m = tile.row(momentum, k)
            for c in 0..<count {
                m[c] = beta * m[c] + (1 - beta) * g[c]
                x[c] -= lr * SignSGD.sign(m[c])
            }
        }
    }
}

extension Signum {
    /// The parameters as the catalogue declares them: each default, range and meaning is
    /// written here once (the initialiser's defaults are these).
    public enum Parameters {
        public static let beta = Parameter<Double>.number("beta", .value(0.9), .interval(0, 1, closedAbove: false), "momentum β")
    }

    public static let entry: OptimizerEntry = {
        return OptimizerEntry("signum", summary: "optax.signum: m ← βm + (1 − β)g; x ← x − lr·sign(m)",
                              parameters: [Parameters.beta.erased]) { p in Signum(beta: try p(Parameters.beta)) }
    }()
}
