/// RAdam exactly as torch.optim.RAdam.
///
///     (x ← x·(1 − lr·λ) decoupled, or g ← g + λ·x: weight decay, applied before the rule)
///     m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;  m̂ = m/(1 − β₁ᵗ)
///     ρ∞ = 2/(1 − β₂) − 1;  ρₜ = ρ∞ − 2t·β₂ᵗ/(1 − β₂ᵗ)
///     ρₜ > 5:  r = √((ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ))
///              x ← x − lr·m̂·r·√(1 − β₂ᵗ)/(√v + ε)      (ε on the raw √v)
///     else:    x ← x − lr·m̂                            (un-adapted momentum step)
///
/// optax.radam differs: m̂·r/(√(v/(1 − β₂ᵗ)) + ε), rectifying when ρₜ ≥ 5.
/// State: m, v, both starting at 0.
///
/// Defaults: torch's, declared once in `Parameters` (the catalogue's and the initialiser's).
public struct RAdam: Optimizer {
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    /// The first and second moments m and v.
    let m: StateVector, v: StateVector
    public let state: [StateVector]

    public init(beta1: Double = Parameters.betas.defaultValue[0], beta2: Double = Parameters.betas.defaultValue[1],
                eps: Double = Parameters.eps.defaultValue) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        var layout = StateLayout()
        m = layout.vector()
        v = layout.vector()
        state = layout.vectors
    }

    public func update(_ tile: OptimizerTile) {
        let b1 = beta1, b2 = beta2, eps = eps, lr = tile.lr, count = tile.count
        let t = Double(tile.step)
        let bc1 = 1 - _pow(b1, t), bc2 = 1 - _pow(b2, t)
        let rhoInfinity = 2 / (1 - b2) - 1
        let rho = rhoInfinity - 2 * t * _pow(b2, t) / bc2
        let rectified = rho > 5
        let rectification = rectified
            ? ((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho)).squareRoot()
            : 0
        let bc2Root = bc2.squareRoot()
        for k in 0..<tile.dimension {
            let x = tile.x(k), g = tile.g(k), m = tile.row(self.m, k), v = tile.row(self.v, k)
            updateMoments(m: m, v: v, gradient: g, count: count, beta1: b1, beta2: b2)
            if rectified {
                for c in 0..<count {
                    x[c] -= m[c] / bc1 * lr * (bc2Root / (v[c].squareRoot() + eps)) * rectification
                }
            } else {
                for c in 0..<count { x[c] -= m[c] / bc1 * lr }
            }
        }
    }
}

extension RAdam {
    /// The parameters as the catalogue declares them: each default, range and meaning is
    /// written here once (the initialiser's defaults are these).
    public enum Parameters {
        public static let betas = Parameter<[Double]>.numbers("betas", count: 2, .value([0.9, 0.999]), each: .interval(0, 1, closedAbove: false), "β₁, β₂")
        public static let eps = Parameter<Double>.number("eps", .value(1e-8), .atLeast(0), "ε, on the raw √v")
        public static let decoupled = Parameter<Bool>.flag("decoupled_weight_decay", false, "decay x ← x·(1 − lr·λ) instead of coupled L2")
    }

    public static let entry: OptimizerEntry = {
        return OptimizerEntry(
            "radam", summary: "torch.optim.RAdam: Adam with the variance rectification r_t when ρ_t > 5, else an un-adapted momentum step",
            parameters: [Parameters.betas.erased, Parameters.eps.erased], weightDecay: .coupled(decoupledBy: Parameters.decoupled)
        ) { p in
            let b = try p(Parameters.betas)
            return RAdam(beta1: b[0], beta2: b[1], eps: try p(Parameters.eps))
        }
    }()
}
