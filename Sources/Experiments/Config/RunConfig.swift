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

extension ObjectiveSpec {
    /// The Hessian where it is constant (row-major d×d): quadratics, linear regression.
    public var constantHessian: [Double]? { objective.constantHessian }

    /// H and x* when the objective is a quadratic (the stationary theory's landscape).
    public var quadratic: (hessian: [Double], minimum: [Double])? {
        guard objective is any QuadraticObjective, let h = objective.constantHessian else { return nil }
        return (h, minimum)
    }

    /// Whether `l2RegularizedMinimum` is computed for this objective.
    public var hasL2RegularizedMinimum: Bool {
        objective is LogisticRegression || constantHessian != nil
    }

    /// The minimiser of f + ½Σλ_k x_k² where it is computed (quadratics, linear and logistic
    /// regression), else nil. `reference` is x*, `decay` λ per coordinate.
    public func l2RegularizedMinimum(decay: [Double], reference: [Double]) -> [Double]? {
        if let logistic = objective as? LogisticRegression { return logistic.regularizedMinimum(decay: decay) }
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
    public var basinCount: Int { objective.basinMinima.count }

    /// f at a point (for statistics outside the hot loop: the cloud's mean loss).
    public func value(at x: [Double]) -> Double { objective.value(at: x) }

    /// The Hessian at a point (row-major d×d).
    public func hessian(at x: [Double]) -> [Double] { objective.hessian(at: x) }

    /// Floating-point operations of one `value(at:)`, roughly: a pass over the examples for
    /// data objectives with a finite data set, d² otherwise.
    public var valueCost: Double {
        let d = Double(dimension)
        if let o = objective as? LogisticRegression { return Double(o.data.count) * d }
        if let o = objective as? LinearRegression { return Double(o.data.count ?? 1) * d + d * d }
        return d * d
    }
}

/// One optimizer of a run: its label, catalogue type, update rule, weight decay, learning
/// rate, schedule and clipping.
///
/// Code that depends on the kind of optimizer asks the rule for its type and reads its typed
/// hyper-parameters: `spec.optimizer as? SGD` (momentum, dampening, nesterov), `as? Adam`
/// (betas, eps, amsgrad; AdamW is Adam with `decay?.coupling == .decoupled`), `as? RMSprop`,
/// `as? SGLD` …; the weight decay is `decay` (λ per coordinate and its coupling) for every rule.
public struct OptimizerSpec: Sendable {
    public var label: String
    /// The catalogue name (sgd, adamw …).
    public var type: String
    /// The update rule, without weight decay.
    public var optimizer: any Optimizer
    /// The weight decay the engine applies before the rule; nil for rules without one.
    public var decay: WeightDecay?
    public var lr: Double
    public var schedule: ScheduleSpec
    public var clip: GradientClip
    public var clipStage: ClipStage
    /// The resolved hyper-parameters, in catalogue order, for summary.json and validate.
    public var parameters: [(String, JSONValue)]

    /// The weight decay λ per coordinate (coupled or decoupled); nil for rules without one.
    public var weightDecay: [Double]? { decay?.values }
}
