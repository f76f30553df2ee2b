/// Stochastic gradient descent exactly as torch.optim.SGD.
///
///     (g ← g + λ·x: coupled weight decay, applied before the rule)
///     b ← g  at t = 1,  else  b ← μ·b + (1 − τ)·g   (μ = momentum, τ = dampening)
///     d ← g + μ·b  (nesterov)  or  b  or  g  (μ = 0)
///     x ← x − lr·d
///
/// lr multiplies the buffer when it is used and is never stored in it. State: the momentum
/// buffer b when μ ≠ 0.
public struct SGD: Optimizer {
    public let momentum: Double
    public let dampening: Double
    public let nesterov: Bool
    /// The momentum buffer b.
    let buffer: StateVector?
    public let state: [StateVector]

    /// Defaults as torch (`Parameters`): momentum 0, dampening 0, nesterov false.
    public init(momentum: Double = Parameters.momentum.defaultValue, dampening: Double = Parameters.dampening.defaultValue,
                nesterov: Bool = Parameters.nesterov.defaultValue) {
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        var layout = StateLayout()
        buffer = momentum == 0 ? nil : layout.vector()
        state = layout.vectors
    }

    public func update(_ tile: OptimizerTile) {
        let lr = tile.lr, count = tile.count
        guard let buffer else {
            for k in 0..<tile.dimension {
                let x = tile.x(k), g = tile.g(k)
                for c in 0..<count { x[c] -= lr * g[c] }
            }
            return
        }
        let mu = momentum, keep = 1 - dampening
        for k in 0..<tile.dimension {
            let x = tile.x(k), g = tile.g(k), b = tile.row(buffer, k)
            if tile.step == 1 {
                for c in 0..<count { b[c] = g[c] }
            } else {
                for c in 0..<count { b[c] = mu * b[c] + keep * g[c] }
            }
            if nesterov {
                for c in 0..<count { x[c] -= lr * (g[c] + mu * b[c]) }
            } else {
                for c in 0..<count { x[c] -= lr * b[c] }
            }
        }
    }
}

extension SGD {
    /// The parameters as the catalogue declares them: each default, range and meaning is
    /// written here once (the initialiser's defaults are these).
    public enum Parameters {
        public static let momentum = Parameter<Double>.number("momentum", .value(0), .atLeast(0), "μ")
        public static let dampening = Parameter<Double>.number("dampening", .value(0), .any, "τ")
        public static let nesterov = Parameter<Bool>.flag("nesterov", false, "Nesterov momentum", valid: "true needs momentum > 0, dampening 0")
    }

    public static let entry: OptimizerEntry = {
        return OptimizerEntry(
            "sgd", summary: "torch.optim.SGD: b ← g (t = 1) else μb + (1 − τ)g; x ← x − lr·(nesterov ? g + μb : b)",
            parameters: [Parameters.momentum.erased, Parameters.dampening.erased, Parameters.nesterov.erased], weightDecay: .coupled()
        ) { p in
            let sgd = SGD(momentum: try p(Parameters.momentum), dampening: try p(Parameters.dampening), nesterov: try p(Parameters.nesterov))
            if sgd.nesterov, sgd.momentum <= 0 || sgd.dampening != 0 {
                throw p.error(at: "nesterov", "Nesterov momentum requires a momentum and zero dampening",
                              expected: "momentum > 0 and dampening 0")
            }
            return sgd
        }
    }()
}
