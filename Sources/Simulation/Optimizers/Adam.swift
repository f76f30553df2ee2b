/// Adam exactly as torch.optim.Adam; with decoupled weight decay it is torch.optim.AdamW.
///
///     (g ← g + λ·x for Adam, x ← x·(1 − lr·λ) for AdamW: weight decay, applied before the rule)
///     m ← β₁·m + (1 − β₁)·g
///     v ← β₂·v + (1 − β₂)·g²
///     amsgrad:    v̂ ← max(v̂, v) and v̂ replaces v below (max of the raw v, as torch)
///     x ← x − (lr/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε)
///
/// ε is added after the bias correction of √v (m̂/(√v̂ + ε), not m̂/√(v̂ + ε)).
/// State: m, v, and v̂ with AMSGrad, all starting at 0.
///
/// Defaults: torch's, declared once in `Parameters` (the catalogue's and the initialiser's).
public struct Adam: Optimizer {
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let amsgrad: Bool
    /// The first and second moments m and v, and AMSGrad's running max v̂ of v.
    let m: StateVector, v: StateVector, maxV: StateVector?
    public let state: [StateVector]

    public init(beta1: Double = Parameters.betas.defaultValue[0], beta2: Double = Parameters.betas.defaultValue[1],
                eps: Double = Parameters.eps.defaultValue, amsgrad: Bool = Parameters.amsgrad.defaultValue) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.amsgrad = amsgrad
        var layout = StateLayout()
        m = layout.vector()
        v = layout.vector()
        maxV = amsgrad ? layout.vector() : nil
        state = layout.vectors
    }

    public func update(_ tile: OptimizerTile) {
        let b1 = beta1, b2 = beta2, eps = eps, count = tile.count
        let stepSize = tile.lr / (1 - _pow(b1, Double(tile.step)))
        let bc2Root = (1 - _pow(b2, Double(tile.step))).squareRoot()
        for k in 0..<tile.dimension {
            let x = tile.x(k), g = tile.g(k), m = tile.row(self.m, k), v = tile.row(self.v, k)
            updateMoments(m: m, v: v, gradient: g, count: count, beta1: b1, beta2: b2)
            if let maxV {
                let vMax = tile.row(maxV, k)
                for c in 0..<count {
                    vMax[c] = Swift.max(vMax[c], v[c])
                    x[c] -= stepSize * (m[c] / (vMax[c].squareRoot() / bc2Root + eps))
                }
            } else {
                for c in 0..<count { x[c] -= stepSize * (m[c] / (v[c].squareRoot() / bc2Root + eps)) }
            }
        }
    }
}

extension Adam {
    /// torch.optim.Adam: coupled weight decay.
    public static let entry = makeEntry("adam", summary: "torch.optim.Adam: m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; x ← x − (lr/bc₁)·m/(√v/√bc₂ + ε)",
                                    weightDecay: .coupled())
    /// torch.optim.AdamW: the same rule after decoupled weight decay.
    public static let decoupledEntry = makeEntry("adamw", summary: "torch.optim.AdamW: x ← x·(1 − lr·λ), then the Adam step",
                                             weightDecay: .decoupled(default: 0.01))

    /// The parameters of Adam and AdamW as the catalogue declares them: each default, range
    /// and meaning is written here once (the initialiser's defaults are these).
    public enum Parameters {
        public static let betas = Parameter<[Double]>.numbers("betas", count: 2, .value([0.9, 0.999]), each: .interval(0, 1, closedAbove: false), "β₁, β₂")
        public static let eps = Parameter<Double>.number("eps", .value(1e-8), .atLeast(0), "ε, added after the bias correction of √v")
        public static let amsgrad = Parameter<Bool>.flag("amsgrad", false, "use the running max of the raw v")
    }

    static func makeEntry(_ name: String, summary: String, weightDecay: WeightDecayDeclaration) -> OptimizerEntry {
        let (betas, eps, amsgrad) = (Parameters.betas, Parameters.eps, Parameters.amsgrad)
        return OptimizerEntry(name, summary: summary, parameters: [betas.erased, eps.erased, weightDecay.decay.erased, amsgrad.erased],
                              weightDecay: weightDecay) { p in
            let b = try p(betas)
            return Adam(beta1: b[0], beta2: b[1], eps: try p(eps), amsgrad: try p(amsgrad))
        }
    }
}
