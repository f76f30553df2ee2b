/// Adamax exactly as torch.optim.Adamax (optax.adamax is the same rule).
///
///     (g ← g + λ·x: coupled weight decay, applied before the rule)
///     m ← β₁·m + (1 − β₁)·g
///     u ← max(β₂·u, |g| + ε)                        (ε inside the max)
///     x ← x − (lr/(1 − β₁ᵗ))·m/u                    (only m is bias-corrected)
///
/// State: m, u, both starting at 0.
///
/// Defaults: torch's, declared once in `Parameters` (the catalogue's and the initialiser's).
public struct Adamax: Optimizer {
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    /// The first moment m and the infinity norm u.
    let m: StateVector, u: StateVector
    public let state: [StateVector]

    public init(beta1: Double = Parameters.betas.defaultValue[0], beta2: Double = Parameters.betas.defaultValue[1],
                eps: Double = Parameters.eps.defaultValue) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        var layout = StateLayout()
        m = layout.vector()
        u = layout.vector()
        state = layout.vectors
    }

    public func update(_ tile: OptimizerTile) {
        let b1 = beta1, b2 = beta2, eps = eps, count = tile.count
        let stepSize = tile.lr / (1 - _pow(b1, Double(tile.step)))
        for k in 0..<tile.dimension {
            let x = tile.x(k), g = tile.g(k), m = tile.row(self.m, k), u = tile.row(self.u, k)
            for c in 0..<count {
                m[c] = b1 * m[c] + (1 - b1) * g[c]
                u[c] = Swift.max(b2 * u[c], Swift.abs(g[c]) + eps)
                x[c] -= stepSize * (m[c] / u[c])
            }
        }
    }
}

extension Adamax {
    /// The parameters as the catalogue declares them: each default, range and meaning is
    /// written here once (the initialiser's defaults are these).
    public enum Parameters {
        public static let betas = Parameter<[Double]>.numbers("betas", count: 2, .value([0.9, 0.999]), each: .interval(0, 1, closedAbove: false), "β₁, β₂")
        public static let eps = Parameter<Double>.number("eps", .value(1e-8), .atLeast(0), "ε, inside the max")
    }

    public static let entry: OptimizerEntry = {
        return OptimizerEntry(
            "adamax", summary: "torch.optim.Adamax: m ← β₁m + (1 − β₁)g; u ← max(β₂u, |g| + ε); x ← x − (lr/bc₁)·m/u",
            parameters: [Parameters.betas.erased, Parameters.eps.erased], weightDecay: .coupled()
        ) { p in
            let b = try p(Parameters.betas)
            return Adamax(beta1: b[0], beta2: b[1], eps: try p(Parameters.eps))
        }
    }()
}
