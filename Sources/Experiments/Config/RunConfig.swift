import Simulation
import Statistics

/// A validated config: every value checked, every default filled in (SPEC §3).
public struct RunConfig: Sendable {
    public var name: String
    public var seed: UInt64
    public var objective: ObjectiveSpec
    public var noise: NoiseSpec
    public var initial: InitialDistribution
    public var chains: Int
    public var steps: Int
    public var burnIn: Int
    public var thin: Int
    public var divergenceBound: Double
    public var commonRandomNumbers: Bool
    public var optimizers: [OptimizerSpec]
    public var histogram: HistogramPlan
    /// `statistics.target_loss`: the loss whose first crossing by the ensemble mean is
    /// summary.json's `steps_to_target` (nil: not asked, and the loss path is not recorded).
    public var targetLoss: Double?
    public var samples: SampleStorage
    /// Chains whose every iterate is written to trace.csv.
    public var traceChains: Int
    /// When `run` writes its checkpoint: at least every `checkpointSeconds` seconds [60], and
    /// every `checkpointEvery` steps of the whole ensemble when given (`CheckpointPolicy`).
    public var checkpointSeconds: Double
    public var checkpointEvery: Int?

    public var dimension: Int { objective.dimension }
    public var recording: RecordingPlan { RecordingPlan(steps: steps, burnIn: burnIn, thin: thin) }
}

/// The objective of a run.
public enum ObjectiveSpec: Sendable {
    /// ½(x − x*)ᵀH(x − x*); `form` records how H was given (hessian, diagonal, eigenvalues).
    case quadratic(hessian: [Double], minimum: [Double], form: QuadraticForm)
    /// A non-quadratic landscape of the catalogue, with its resolved parameters.
    case landscape(Landscape, parameters: [(String, JSONValue)])

    public enum QuadraticForm: Sendable, Equatable {
        case hessian
        case diagonal
        case eigenvalues([Double], rotationSeed: UInt64)
    }

    public enum Landscape: Sendable {
        case rosenbrock(Rosenbrock)
        case rastrigin(Rastrigin)
        case styblinskiTang(StyblinskiTang)
        case doubleWell(DoubleWell)
        case gaussianMixture(GaussianMixture)
        case linearNetwork(LinearNetwork)
        case expression(ExpressionObjective)
        case linearRegression(LinearRegression)
        case logisticRegression(LogisticRegression)

        /// For statistics outside the hot loop (Hessian at the cloud mean …).
        public var objective: any Objective {
            switch self {
            case .rosenbrock(let o): return o
            case .rastrigin(let o): return o
            case .styblinskiTang(let o): return o
            case .doubleWell(let o): return o
            case .gaussianMixture(let o): return o
            case .linearNetwork(let o): return o
            case .expression(let o): return o
            case .linearRegression(let o): return o
            case .logisticRegression(let o): return o
            }
        }

        public var type: String {
            switch self {
            case .rosenbrock: return "rosenbrock"
            case .rastrigin: return "rastrigin"
            case .styblinskiTang: return "styblinski-tang"
            case .doubleWell: return "double-well"
            case .gaussianMixture: return "gaussian-mixture"
            case .linearNetwork: return "linear-network"
            case .expression: return "expression"
            case .linearRegression: return "linear-regression"
            case .logisticRegression: return "logistic-regression"
            }
        }
    }

    public var dimension: Int { minimum.count }

    public var minimum: [Double] {
        switch self {
        case .quadratic(_, let minimum, _): return minimum
        case .landscape(let landscape, _): return landscape.objective.minimum
        }
    }

    public var type: String {
        switch self {
        case .quadratic: return "quadratic"
        case .landscape(let landscape, _): return landscape.type
        }
    }

    /// The Hessian where it is constant (row-major d×d).
    public var constantHessian: [Double]? {
        switch self {
        case .quadratic(let h, _, _): return h
        case .landscape(.linearRegression(let o), _): return o.hessian(at: o.minimum)
        case .landscape: return nil
        }
    }

    /// Whether `l2RegularizedMinimum` is computed for this objective.
    public var hasL2RegularizedMinimum: Bool {
        if case .landscape(.logisticRegression, _) = self { return true }
        return constantHessian != nil
    }

    /// The minimiser of f + ½Σλ_k x_k² where it is computed (quadratics, linear and logistic
    /// regression), else nil. `reference` is x*, `decay` λ per coordinate.
    public func l2RegularizedMinimum(decay: [Double], reference: [Double]) -> [Double]? {
        if case .landscape(.logisticRegression(let o), _) = self { return o.regularizedMinimum(decay: decay) }
        guard let h = constantHessian else { return nil }
        let d = reference.count
        // ∇ = H(x − x*) + λx = 0: (H + diag λ) x = H x*.
        var regularized = h
        for k in 0..<d { regularized[k * d + k] += decay[k] }
        var hx = [Double](repeating: 0, count: d)
        for i in 0..<d { for j in 0..<d { hx[i] += h[i * d + j] * reference[j] } }
        return try? LinearAlgebra.solve(regularized, hx, n: d)
    }

    /// How many basins runs track (`Objective.basinMinima`; 0 for single-basin landscapes).
    public var basinCount: Int {
        switch self {
        case .quadratic: return 0
        case .landscape(let landscape, _): return landscape.objective.basinMinima.count
        }
    }

    /// f at a point (for statistics outside the hot loop: the cloud's mean loss).
    public func value(at x: [Double]) -> Double {
        switch self {
        case .quadratic(let h, let minimum, _): return Quadratic(hessian: h, minimum: minimum).value(at: x)
        case .landscape(let landscape, _): return landscape.objective.value(at: x)
        }
    }

    /// Floating-point operations of one `value(at:)`, roughly: a pass over the examples for
    /// data objectives with a finite data set, d² otherwise.
    public var valueCost: Double {
        let d = Double(dimension)
        switch self {
        case .landscape(.logisticRegression(let o), _): return Double(o.data.count) * d
        case .landscape(.linearRegression(let o), _): return Double(o.data.count ?? 1) * d + d * d
        default: return d * d
        }
    }

    /// The Hessian at a point (row-major d×d).
    public func hessian(at x: [Double]) -> [Double] {
        switch self {
        case .quadratic(let h, _, _): return h
        case .landscape(let landscape, _): return landscape.objective.hessian(at: x)
        }
    }
}

/// The gradient-noise model of a run.
public enum NoiseSpec: Sendable {
    case none
    /// Additive N(0, covariance); `factor` is a square root (covariance = factor·factorᵀ).
    case gaussian(covariance: [Double], factor: [Double], diagonal: Bool)
    /// Rows of recorded noise vectors ([rows × d], row-major), replayed or resampled.
    case recorded(values: [Double], rows: Int, mode: RecordedNoise.Mode, file: String)
    /// The minibatch gradient of a data objective (label-noise: with fresh label noise).
    case minibatch(batchSize: Int, replacement: Bool, labelNoiseStd: Double)
    /// scale_k·T_k with T_k ~ Student-t(df), independent coordinates.
    case studentT(df: Double, scale: [Double])
    /// Symmetric α-stable with characteristic function exp(−|scale_k·t|^α).
    case alphaStable(alpha: Double, scale: [Double])
    /// N(0, scale²·H₊(x)), H₊ the positive semi-definite part of the Hessian at the iterate;
    /// `constant` holds the covariance and a factor when the Hessian is constant.
    case hessian(scale: Double, constant: ConstantHessianNoise?)

    /// Hessian noise on an objective with a constant Hessian H: covariance scale²·H₊ and a
    /// square root of it, computed once.
    public struct ConstantHessianNoise: Sendable {
        public let covariance: [Double]
        public let factor: [Double]
        public let diagonal: Bool
    }

    /// The covariance where it is constant, known and finite (nil for recorded noise, whose
    /// population covariance is what the file holds, for infinite-variance tails, and for
    /// state-dependent minibatch and Hessian noise; Hessian noise on a constant Hessian has one).
    public func covariance(dimension d: Int) -> [Double]? {
        switch self {
        case .none: return [Double](repeating: 0, count: d * d)
        case .gaussian(let c, _, _): return c
        case .recorded, .minibatch: return nil
        case .studentT(let df, let scale): return StudentTNoise(df: df, scale: scale).covariance
        case .alphaStable(let alpha, let scale): return AlphaStableNoise(alpha: alpha, scale: scale).covariance
        case .hessian(_, let constant): return constant?.covariance
        }
    }
}

/// One optimizer of a run, with its label, rule, learning rate, schedule and clipping.
public struct OptimizerSpec: Sendable {
    public var label: String
    public var type: String
    public var rule: Rule
    public var lr: Double
    public var schedule: ScheduleSpec
    public var clip: GradientClip
    public var clipStage: ClipStage
    /// The resolved hyper-parameters, in catalogue order, for summary.json and validate.
    public var parameters: [(String, JSONValue)]

    /// The weight decay λ per coordinate (coupled or decoupled); nil for rules without one.
    public var weightDecay: [Double]? {
        switch rule {
        case .sgd(let o): return o.weightDecay.values
        case .adam(let o): return o.weightDecay.values
        case .rmsprop(let o): return o.weightDecay.values
        case .adagrad(let o): return o.weightDecay.values
        case .adamax(let o): return o.weightDecay.values
        case .nadam(let o): return o.weightDecay.values
        case .radam(let o): return o.weightDecay.values
        case .lion(let o): return o.weightDecay.values
        case .sgld(let o): return o.weightDecay.values
        case .signsgd, .signum: return nil
        }
    }

    public enum Rule: Sendable {
        case sgd(SGD)
        case adam(Adam)
        case rmsprop(RMSprop)
        case adagrad(Adagrad)
        case adamax(Adamax)
        case nadam(NAdam)
        case radam(RAdam)
        case lion(Lion)
        case signsgd(SignSGD)
        case signum(Signum)
        case sgld(SGLD)
    }
}

/// A learning-rate schedule of the catalogue, with its parameters.
public indirect enum ScheduleSpec: Sendable, Equatable {
    case constant
    case linear(startFactor: Double, endFactor: Double, totalIters: Int)
    case cosine(tMax: Int, etaMin: Double)
    case cosineWarmRestarts(t0: Int, tMult: Int, etaMin: Double)
    case step(stepSize: Int, gamma: Double)
    case multistep(milestones: [Int], gamma: Double)
    case exponential(gamma: Double)
    case inverseSqrt(warmupSteps: Int, timescale: Int?)
    case sequential(schedules: [ScheduleSpec], milestones: [Int])

    public func make(baseLR: Double) -> any Schedule {
        switch self {
        case .constant: return ConstantSchedule(baseLR: baseLR)
        case let .linear(s, e, n): return LinearSchedule(baseLR: baseLR, startFactor: s, endFactor: e, totalIters: n)
        case let .cosine(tMax, etaMin): return CosineSchedule(baseLR: baseLR, tMax: tMax, etaMin: etaMin)
        case let .cosineWarmRestarts(t0, tMult, etaMin): return CosineWarmRestartsSchedule(baseLR: baseLR, t0: t0, tMult: tMult, etaMin: etaMin)
        case let .step(size, gamma): return StepSchedule(baseLR: baseLR, stepSize: size, gamma: gamma)
        case let .multistep(milestones, gamma): return MultiStepSchedule(baseLR: baseLR, milestones: milestones, gamma: gamma)
        case let .exponential(gamma): return ExponentialSchedule(baseLR: baseLR, gamma: gamma)
        case let .inverseSqrt(warmup, timescale): return InverseSqrtSchedule(baseLR: baseLR, warmupSteps: warmup, timescale: timescale)
        case let .sequential(pieces, milestones):
            return SequentialSchedule(schedules: pieces.map { $0.make(baseLR: baseLR) }, milestones: milestones)
        }
    }

    public var type: String {
        switch self {
        case .constant: return "constant"
        case .linear: return "linear"
        case .cosine: return "cosine"
        case .cosineWarmRestarts: return "cosine-warm-restarts"
        case .step: return "step"
        case .multistep: return "multistep"
        case .exponential: return "exponential"
        case .inverseSqrt: return "inverse-sqrt"
        case .sequential: return "sequential"
        }
    }

    /// The resolved schedule as JSON.
    public var resolved: JSONValue {
        var entries: [(String, JSONValue)] = [("type", .string(type))]
        switch self {
        case .constant: break
        case let .linear(s, e, n): entries += [("start_factor", .number(s)), ("end_factor", .number(e)), ("total_iters", .integer(n))]
        case let .cosine(tMax, etaMin): entries += [("T_max", .integer(tMax)), ("eta_min", .number(etaMin))]
        case let .cosineWarmRestarts(t0, tMult, etaMin): entries += [("T_0", .integer(t0)), ("T_mult", .integer(tMult)), ("eta_min", .number(etaMin))]
        case let .step(size, gamma): entries += [("step_size", .integer(size)), ("gamma", .number(gamma))]
        case let .multistep(milestones, gamma): entries += [("milestones", .array(milestones.map { .integer($0) })), ("gamma", .number(gamma))]
        case let .exponential(gamma): entries += [("gamma", .number(gamma))]
        case let .inverseSqrt(warmup, timescale):
            entries += [("warmup_steps", .integer(warmup)), ("timescale", .integer(timescale ?? (warmup > 0 ? warmup : 10_000)))]
        case let .sequential(pieces, milestones):
            entries += [("schedules", .array(pieces.map(\.resolved))), ("milestones", .array(milestones.map { .integer($0) }))]
        }
        return .object(entries)
    }
}
