/// The catalogue: every objective, noise model, optimizer and schedule with its parameters,
/// defaults, valid ranges and meaning. `optcloud list` prints it, the README's catalogue is
/// generated from it, and the config reader takes its allowed keys from it.
public enum Catalogue {
    public struct Parameter: Sendable {
        public let name: String
        public let defaultValue: String
        public let range: String
        public let meaning: String
    }

    public struct Entry: Sendable {
        public let name: String
        public let summary: String
        public let parameters: [Parameter]
        public var parameterNames: [String] { parameters.map(\.name) }
    }

    public enum Section: String, CaseIterable, Sendable {
        case objectives, noise, optimizers, schedules
    }

    public static func entries(_ section: Section) -> [Entry] {
        switch section {
        case .objectives: return objectives
        case .noise: return noise
        case .optimizers: return optimizers
        case .schedules: return schedules
        }
    }

    public static func entry(_ section: Section, _ name: String) -> Entry? {
        entries(section).first { $0.name == name }
    }

    static func p(_ name: String, _ defaultValue: String, _ range: String, _ meaning: String) -> Parameter {
        Parameter(name: name, defaultValue: defaultValue, range: range, meaning: meaning)
    }

    /// Keys every optimizer takes besides its own hyper-parameters.
    public static let commonOptimizerParameters = [
        p("label", "the type", "letters, digits, - _ .; unique", "name in outputs (samples_<label>.npy, CSV rows)"),
        p("lr", "required", "≥ 0", "base learning rate; lr_t = schedule(t − 1)"),
        p("schedule", "{type: constant}", "a schedule", "learning-rate schedule"),
        p("clip", "none", "{max_norm, norm_type, stage} or {max_value, stage}", "clipping of the raw stochastic gradient (stage: gradient) or of the update (stage: update)"),
    ]

    static let weightDecayCoupled = p("weight_decay", "0", "≥ 0, scalar or one per coordinate", "coupled L2: g ← g + λ·x before the update")

    public static let objectives: [Entry] = [
        Entry(name: "quadratic", summary: "f(x) = ½ (x − x*)ᵀ H (x − x*)", parameters: [
            p("hessian", "—", "symmetric, positive semi-definite d×d", "H as a list of rows"),
            p("diagonal", "—", "≥ 0 each", "H = diag(values)"),
            p("eigenvalues", "—", "≥ 0 each", "H = Q diag(λ) Qᵀ with Q a Haar-random rotation"),
            p("rotation_seed", "0", "integer ≥ 0", "seed of the rotation Q (with eigenvalues)"),
            p("minimum", "zeros", "d numbers", "x*"),
        ]),
        Entry(name: "rosenbrock", summary: "f = Σ_{i<d−1} b(x_{i+1} − x_i²)² + (a − x_i)²: a curved, narrow valley", parameters: [
            p("dim", "2", "integer ≥ 2", "d"), p("a", "1", "|a| ≤ 1e6", "a (x* = 1 for a = 1)"), p("b", "100", "(0, 1e10]", "valley steepness b"),
        ]),
        Entry(name: "rastrigin", summary: "f = A·d + Σ (x_i² − A·cos(2πx_i)): many local minima, global minimum 0 at 0", parameters: [
            p("dim", "2", "integer ≥ 1", "d"), p("amplitude", "10", "≥ 0", "A"),
        ]),
        Entry(name: "styblinski-tang", summary: "f = ½ Σ (x_i⁴ − 16x_i² + 5x_i): 2^d local minima, global at x_i ≈ −2.9035", parameters: [
            p("dim", "2", "integer ≥ 1", "d"),
        ]),
        Entry(name: "double-well", summary: "f = barrier·(x₀² − 1)² + tilt·x₀ + ½ Σ_{i≥1} curvature_i·x_i²: two basins in x₀", parameters: [
            p("dim", "2 (or 1 + the curvature list's length)", "integer ≥ 1", "d"), p("barrier", "1", "> 0", "barrier height between the wells at x₀ = ±1"),
            p("tilt", "0", "a number", "tilt > 0 deepens the left well"), p("curvature", "1", "≥ 0, scalar or d − 1 values", "curvatures of x₁ … x_{d−1}"),
        ]),
        Entry(name: "gaussian-mixture", summary: "f = −log Σ_k w_k·N(x; μ_k, Σ_k): basins of chosen depth and sharpness", parameters: [
            p("weights", "required", "> 0 each", "w_k (depth of basin k)"), p("means", "required", "one d-vector per component", "μ_k"),
            p("covariances", "required", "per component a variance > 0 (isotropic) or an SPD d×d matrix", "Σ_k (sharpness of basin k)"),
        ]),
        Entry(name: "linear-network", summary: "f = ½ (Π_i x_i − target)²: a manifold of minima whose sharpness varies along it", parameters: [
            p("depth", "2", "integer ≥ 1", "number of scalar factors (d)"), p("target", "1", "a number", "the product to reach"),
        ]),
        Entry(name: "linear-regression", summary: "f = E ½(zᵀx − y)², y = zᵀw + noise_std·ε, on n synthetic examples (or a fresh example per draw)", parameters: [
            p("dim", "2", "integer ≥ 1", "d"), p("n", "1000", "integer ≥ 1, or stream", "number of examples; stream: a fresh example at every draw (the population objective)"),
            p("weights", "drawn N(0, 1) from data_seed", "d numbers", "the true weights w"),
            p("feature_scales", "1", "> 0, scalar or one per coordinate", "standard deviation of each feature"),
            p("condition_number", "—", "≥ 1 (instead of feature_scales)", "feature variances log-spaced from 1 down to 1/κ"),
            p("noise_std", "0.5", "≥ 0", "label noise of the data"),
            p("data_seed", "the run's seed", "integer ≥ 0", "seed of the data set"),
        ]),
        Entry(name: "logistic-regression", summary: "f = (1/n) Σ ω_{s_i}·log(1 + exp(−s_i z_iᵀx)), labels s = ±1 from class-conditional Gaussians: imbalance, margin, label flips, class weights", parameters: [
            p("dim", "2", "integer ≥ 1", "d"), p("n", "1000", "integer in 1...1000000, n·dim² ≤ 1e7 (no stream)", "number of examples"),
            p("weights", "drawn N(0, 1) from data_seed", "d numbers", "w: the Bayes classifier is σ(wᵀz + log(π/(1 − π)))"),
            p("feature_scales", "1", "> 0, scalar or one per coordinate", "within-class standard deviation of each feature"),
            p("condition_number", "—", "≥ 1 (instead of feature_scales)", "within-class variances log-spaced from 1 down to 1/κ"),
            p("positive_fraction", "0.5", "(0, 1)", "π: probability of class +1 (before label flips); z | s ~ N(s·½Sw, S)"),
            p("margin", "none", "> 0", "separable data: each example conditioned on s·wᵀz ≥ margin"),
            p("label_flip", "0", "[0, 0.5)", "probability that a label is flipped (label noise)"),
            p("class_weights", "[1, 1]", "balanced, or [ω₋, ω₊] each > 0", "loss weight of classes −1 and +1; balanced: n/(2·n_c) as sklearn"),
            p("data_seed", "the run's seed", "integer ≥ 0", "seed of the data set"),
        ]),
        Entry(name: "expression", summary: "f written as a formula of x[0] … x[d−1]; gradient and Hessian by automatic differentiation", parameters: [
            p("f", "required", "+ - * / ^, ( ), exp log sin cos tanh sqrt abs, pi, e, numbers, x[i]", "the formula, e.g. \"(x[0]^2 - 1)^2 + 0.3*x[0] + 0.5*x[1]^2\""),
            p("dim", "required", "integer ≥ 1", "d"),
            p("minimum", "found by Newton's method", "d numbers", "x*, the point bias is measured from"),
        ]),
    ]

    public static let noise: [Entry] = [
        Entry(name: "none", summary: "ξ = 0: full-batch gradient descent", parameters: []),
        Entry(name: "gaussian", summary: "ξ ~ N(0, Σ), additive, independent per chain and step", parameters: [
            p("std", "—", "≥ 0, scalar or one per coordinate", "Σ = diag(std²)"),
            p("covariance", "—", "symmetric, positive semi-definite d×d", "full Σ"),
        ]),
        Entry(name: "hessian", summary: "ξ ~ N(0, scale²·H₊(x)/B), H₊ the Hessian at the iterate with negative eigenvalues clamped to 0: curvature-shaped, state-dependent noise", parameters: [
            p("scale", "1", "≥ 0", "scale"),
            p("batch_size", "1", "≥ 1", "B: the covariance divided by B (the noisy quadratic model's C = H/B); resolved into scale/√B"),
        ]),
        Entry(name: "student-t", summary: "ξ_k = scale_k·T_k, T_k ~ Student-t(df): heavy tails (variance scale²·df/(df − 2) for df > 2)", parameters: [
            p("df", "required", "> 0", "degrees of freedom"), p("scale", "1", "≥ 0, scalar or one per coordinate", "scale_k"),
        ]),
        Entry(name: "alpha-stable", summary: "symmetric α-stable ξ_k with E exp(itξ_k) = exp(−|scale_k·t|^α) (Chambers–Mallows–Stuck)", parameters: [
            p("alpha", "required", "(0, 2]", "tail index α (2: Gaussian with variance 2·scale²)"), p("scale", "1", "≥ 0, scalar or one per coordinate", "scale_k"),
        ]),
        Entry(name: "minibatch", summary: "the stochastic gradient is the minibatch gradient (1/B) Σ_{i∈batch} ∇ℓ_i(x) of a data objective (linear or logistic regression)", parameters: [
            p("batch_size", "required", "integer in 1...n", "B"),
            p("replacement", "false", "bool", "sample the batch with replacement (default: B distinct examples, fresh each step)"),
        ]),
        Entry(name: "label-noise", summary: "regression: fresh label noise on the sampled examples each step (full batch unless batch_size)", parameters: [
            p("std", "required", "≥ 0", "standard deviation of the fresh label noise"),
            p("batch_size", "n (required for n: stream)", "integer in 1...n", "B"),
        ]),
        Entry(name: "recorded", summary: "ξ from a file of recorded noise vectors, e.g. minibatch noise of a real model", parameters: [
            p("file", "required", ".npy (float64/float32, [rows, d]) or .csv (rows of d numbers, optional header)", "the noise vectors; a relative path is relative to the config file"),
            p("mode", "sequential", "sequential | bootstrap", "sequential: row (t − 1) mod rows at step t in every chain (exact replay); bootstrap: a row drawn uniformly per chain and step"),
        ]),
    ]

    public static let optimizers: [Entry] = [
        Entry(name: "sgd", summary: "torch.optim.SGD: b ← g (t = 1) else μb + (1 − τ)g; x ← x − lr·(nesterov ? g + μb : b)", parameters: commonOptimizerParameters + [
            p("momentum", "0", "≥ 0", "μ"), p("dampening", "0", "any", "τ"),
            p("nesterov", "false", "true needs momentum > 0, dampening 0", "Nesterov momentum"), weightDecayCoupled,
        ]),
        Entry(name: "adam", summary: "torch.optim.Adam: m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; x ← x − (lr/bc₁)·m/(√v/√bc₂ + ε)", parameters: commonOptimizerParameters + [
            p("betas", "[0.9, 0.999]", "each in [0, 1)", "β₁, β₂"), p("eps", "1e-8", "≥ 0", "ε, added after the bias correction of √v"),
            weightDecayCoupled, p("amsgrad", "false", "bool", "use the running max of the raw v"),
        ]),
        Entry(name: "adamw", summary: "torch.optim.AdamW: x ← x·(1 − lr·λ), then the Adam step", parameters: commonOptimizerParameters + [
            p("betas", "[0.9, 0.999]", "each in [0, 1)", "β₁, β₂"), p("eps", "1e-8", "≥ 0", "ε"),
            p("weight_decay", "0.01", "≥ 0, scalar or one per coordinate", "decoupled decay λ, scaled by the scheduled lr"),
            p("amsgrad", "false", "bool", "use the running max of the raw v"),
        ]),
        Entry(name: "rmsprop", summary: "torch.optim.RMSprop: s ← αs + (1 − α)g²; x ← x − lr·g/(√s + ε) (momentum: b ← μb + g/(√s + ε); x ← x − lr·b)", parameters: commonOptimizerParameters + [
            p("alpha", "0.99", "[0, 1]", "smoothing constant α"), p("eps", "1e-8", "≥ 0", "ε, outside the square root"),
            weightDecayCoupled, p("momentum", "0", "≥ 0", "μ"), p("centered", "false", "bool", "divide by √(s − a²) with a the running mean of g"),
        ]),
        Entry(name: "adagrad", summary: "torch.optim.Adagrad: S ← S + g²; x ← x − lr/(1 + (t − 1)·lr_decay)·g/(√S + ε)", parameters: commonOptimizerParameters + [
            p("lr_decay", "0", "≥ 0", "learning-rate decay"), weightDecayCoupled,
            p("initial_accumulator_value", "0", "≥ 0", "S at the start"), p("eps", "1e-10", "≥ 0", "ε, outside the square root"),
        ]),
        Entry(name: "adamax", summary: "torch.optim.Adamax: m ← β₁m + (1 − β₁)g; u ← max(β₂u, |g| + ε); x ← x − (lr/bc₁)·m/u", parameters: commonOptimizerParameters + [
            p("betas", "[0.9, 0.999]", "each in [0, 1)", "β₁, β₂"), p("eps", "1e-8", "≥ 0", "ε, inside the max"), weightDecayCoupled,
        ]),
        Entry(name: "nadam", summary: "torch.optim.NAdam: Adam with Dozat's momentum schedule μ_t = β₁(1 − ½·0.96^(tψ))", parameters: commonOptimizerParameters + [
            p("betas", "[0.9, 0.999]", "each in [0, 1)", "β₁, β₂"), p("eps", "1e-8", "≥ 0", "ε"), weightDecayCoupled,
            p("momentum_decay", "0.004", "≥ 0", "ψ"), p("decoupled_weight_decay", "false", "bool", "decay x ← x·(1 − lr·λ) instead of coupled L2"),
        ]),
        Entry(name: "radam", summary: "torch.optim.RAdam: Adam with the variance rectification r_t when ρ_t > 5, else an un-adapted momentum step", parameters: commonOptimizerParameters + [
            p("betas", "[0.9, 0.999]", "each in [0, 1)", "β₁, β₂"), p("eps", "1e-8", "≥ 0", "ε, on the raw √v"), weightDecayCoupled,
            p("decoupled_weight_decay", "false", "bool", "decay x ← x·(1 − lr·λ) instead of coupled L2"),
        ]),
        Entry(name: "lion", summary: "optax.lion: c ← β₁m + (1 − β₁)g; x ← x·(1 − lr·λ) − lr·sign(c); m ← β₂m + (1 − β₂)g", parameters: commonOptimizerParameters + [
            p("betas", "[0.9, 0.99]", "each in [0, 1)", "β₁, β₂"),
            p("weight_decay", "0", "≥ 0, scalar or one per coordinate", "decoupled decay λ, scaled by lr"),
        ]),
        Entry(name: "signsgd", summary: "optax.sign_sgd: x ← x − lr·sign(g) (sign(0) = 0)", parameters: commonOptimizerParameters),
        Entry(name: "signum", summary: "optax.signum: m ← βm + (1 − β)g; x ← x − lr·sign(m)", parameters: commonOptimizerParameters + [
            p("beta", "0.9", "[0, 1)", "momentum β"),
        ]),
        Entry(name: "sgld", summary: "stochastic gradient Langevin dynamics: x ← x − lr·g + √(2·lr·T)·N(0, I)", parameters: commonOptimizerParameters + [
            p("temperature", "1", "≥ 0", "T: the Gibbs density exp(−f/T) is the small-lr limit"), weightDecayCoupled,
        ]),
    ]

    public static let schedules: [Entry] = [
        Entry(name: "constant", summary: "lr_t = lr", parameters: []),
        Entry(name: "linear", summary: "torch LinearLR: lr·(s + (e − s)·min(k, n)/n), k = t − 1", parameters: [
            p("start_factor", "1/3", "(0, 1]", "s"), p("end_factor", "1", "[0, 1]", "e"), p("total_iters", "5", "integer ≥ 0", "n"),
        ]),
        Entry(name: "cosine", summary: "torch CosineAnnealingLR: η_min + (lr − η_min)·(1 + cos(πk/T_max))/2", parameters: [
            p("T_max", "required", "integer ≥ 1", "half period"), p("eta_min", "0", "≥ 0", "η_min"),
        ]),
        Entry(name: "cosine-warm-restarts", summary: "torch CosineAnnealingWarmRestarts: cosine over periods T_0·T_mult^i, restarting at lr", parameters: [
            p("T_0", "required", "integer ≥ 1", "first period"), p("T_mult", "1", "integer ≥ 1", "period growth"), p("eta_min", "0", "≥ 0", "η_min"),
        ]),
        Entry(name: "step", summary: "torch StepLR: lr·γ^⌊k/step_size⌋", parameters: [
            p("step_size", "required", "integer ≥ 1", "steps between decays"), p("gamma", "0.1", "> 0", "γ"),
        ]),
        Entry(name: "multistep", summary: "torch MultiStepLR: lr·γ^(number of milestones ≤ k)", parameters: [
            p("milestones", "required", "increasing integers ≥ 0", "scheduler steps at which lr decays"), p("gamma", "0.1", "> 0", "γ"),
        ]),
        Entry(name: "exponential", summary: "torch ExponentialLR: lr·γ^k", parameters: [
            p("gamma", "required", "> 0", "γ"),
        ]),
        Entry(name: "inverse-sqrt", summary: "transformers' inverse square root: lr·k/w for k < w, then lr/√((k + τ − w)/τ)", parameters: [
            p("warmup_steps", "0", "integer ≥ 0", "w"), p("timescale", "warmup_steps, or 10000 without warm-up", "integer ≥ 1", "τ"),
        ]),
        Entry(name: "sequential", summary: "torch SequentialLR: schedule i from milestone i − 1 on, its step count restarted there", parameters: [
            p("schedules", "required", "≥ 2 schedules (not sequential)", "the pieces, each sharing the optimizer's lr"),
            p("milestones", "required", "increasing integers ≥ 1, one fewer than schedules", "where each next piece starts"),
        ]),
    ]

    /// Names of SPEC §3 that this version does not implement yet.
    public static let notYetImplemented: [Section: [String]] = [:]
}
