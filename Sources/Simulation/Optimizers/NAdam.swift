/// NAdam exactly as torch.optim.NAdam (Dozat's momentum schedule).
///
///     (x ← x·(1 − lr·λ) decoupled, or g ← g + λ·x: weight decay, applied before the rule)
///     μₜ = β₁·(1 − ½·0.96^(t·ψ)),  μₜ₊₁ = β₁·(1 − ½·0.96^((t+1)·ψ))     (ψ = momentum_decay)
///     P ← P·μₜ                                      (P starts at 1: P = ∏_{i≤t} μᵢ)
///     m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²
///     den = √(v/(1 − β₂ᵗ)) + ε
///     x ← x − lr·(1 − μₜ)/(1 − P)·g/den − lr·μₜ₊₁/(1 − P·μₜ₊₁)·m/den
///
/// P is kept as a third state vector (one copy per coordinate, all equal) and multiplied in
/// float64 step by step, as torch does under `set_default_dtype(float64)`; a float32 P moves
/// trajectories by ~2e-10. optax.nadam is a different algorithm (no μₜ schedule).
/// State: m, v (start 0), P (starts at 1).
///
/// One departure from torch's stored value, invisible in every iterate: once |P| < 2⁻⁶⁰ it
/// is held at 0. Below 2⁻⁵⁴ both 1 − P and 1 − P·μₜ₊₁ round to exactly 1, and P only decreases
/// (μ < 1), so x, m and v stay bit-identical to torch; but torch's P goes on into the
/// subnormal range (from t ≈ 976 with the defaults) and stays there, since μₜ > ½ rounds the
/// smallest subnormal back up, which makes every later step ~10× slower on x86.
///
/// Defaults: torch's, declared once in `Parameters` (the catalogue's and the initialiser's).
public struct NAdam: Optimizer {
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let momentumDecay: Double
    /// P is held at 0 below this; 0 gives torch's literal product (for tests).
    var productFloor = 0x1p-60
    /// The moments m and v, and the product P of the momentum schedule.
    let m: StateVector, v: StateVector, product: StateVector
    public let state: [StateVector]

    public init(beta1: Double = Parameters.betas.defaultValue[0], beta2: Double = Parameters.betas.defaultValue[1],
                eps: Double = Parameters.eps.defaultValue, momentumDecay: Double = Parameters.momentumDecay.defaultValue) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.momentumDecay = momentumDecay
        var layout = StateLayout()
        m = layout.vector()
        v = layout.vector()
        product = layout.vector(startingAt: 1)
        state = layout.vectors
    }

    public func update(_ tile: OptimizerTile) {
        let b1 = beta1, b2 = beta2, eps = eps, count = tile.count
        let t = Double(tile.step)
        let bc2 = 1 - _pow(b2, t)
        let mu = b1 * (1 - 0.5 * _pow(0.96, t * momentumDecay))
        let muNext = b1 * (1 - 0.5 * _pow(0.96, (t + 1) * momentumDecay))
        let gradientRate = tile.lr * (1 - mu), momentumRate = tile.lr * muNext, floor = productFloor
        for k in 0..<tile.dimension {
            let x = tile.x(k), g = tile.g(k), m = tile.row(self.m, k), v = tile.row(self.v, k), p = tile.row(product, k)
            for c in 0..<count {
                let product = p[c] * mu
                p[c] = Swift.abs(product) < floor ? 0 : product
                m[c] = b1 * m[c] + (1 - b1) * g[c]
                v[c] = b2 * v[c] + (1 - b2) * g[c] * g[c]
                let den = (v[c] / bc2).squareRoot() + eps
                x[c] -= gradientRate / (1 - p[c]) * (g[c] / den)
                x[c] -= momentumRate / (1 - p[c] * muNext) * (m[c] / den)
            }
        }
    }
}

extension NAdam {
    /// The parameters as the catalogue declares them: each default, range and meaning is
    /// written here once (the initialiser's defaults are these).
    public enum Parameters {
        public static let betas = Parameter<[Double]>.numbers("betas", count: 2, .value([0.9, 0.999]), each: .interval(0, 1, closedAbove: false), "β₁, β₂")
        public static let eps = Parameter<Double>.number("eps", .value(1e-8), .atLeast(0), "ε")
        public static let momentumDecay = Parameter<Double>.number("momentum_decay", .value(4e-3), .atLeast(0), "ψ")
        public static let decoupled = Parameter<Bool>.flag("decoupled_weight_decay", false, "decay x ← x·(1 − lr·λ) instead of coupled L2")
    }

    public static let entry: OptimizerEntry = {
        let weightDecay = WeightDecayDeclaration.coupled(decoupledBy: Parameters.decoupled)
        return OptimizerEntry(
            "nadam", summary: "torch.optim.NAdam: Adam with Dozat's momentum schedule μ_t = β₁(1 − ½·0.96^(tψ))",
            parameters: [Parameters.betas.erased, Parameters.eps.erased, weightDecay.decay.erased, Parameters.momentumDecay.erased, Parameters.decoupled.erased],
            weightDecay: weightDecay
        ) { p in
            let b = try p(Parameters.betas)
            return NAdam(beta1: b[0], beta2: b[1], eps: try p(Parameters.eps), momentumDecay: try p(Parameters.momentumDecay))
        }
    }()
}
