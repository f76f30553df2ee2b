import Foundation
import Simulation
import Statistics

/// The frozen-preconditioner prediction (`AdaptiveStationaryTheory`) for one optimizer of a
/// config — theory.json's `adaptive` block — and how far the simulated cloud is from it.
///
/// Applies to adam, adamw, rmsprop (plain, momentum, centered), and nadam/radam once their
/// step schedules have converged when recording starts, on an objective with a constant
/// Hessian, with Gaussian (or no) noise, a constant lr and no clipping. Not to amsgrad (v̂ is
/// the running maximum of v: the largest v of the whole run, transient included), adamax (u
/// is a β₂-discounted running maximum of |g|, an extreme statistic, not a moment), adagrad
/// (the accumulator grows without bound: no stationary law at a constant lr), or the sign
/// methods (lion, signsgd, signum: sign(·) has no linearisation; lion's reference point is
/// summary.json's `decoupled_fixed_point`).
public struct AdaptivePrediction: Sendable {
    /// Why there is no prediction, when there is none (a theory whose self-consistency failed
    /// has one too: `theory.failure`).
    public let unavailableReason: String?
    public let theory: AdaptiveStationaryTheory?
    /// NAdam's or RAdam's t → ∞ limit when their schedule has not converged by the first
    /// recorded step (so `theory` is nil): still the reference for `decoupled_fixed_point`.
    private(set) var stationaryLimit: AdaptiveStationaryTheory? = nil
    /// The rule, in words, for the JSON.
    let ruleName: String?

    static let model = "frozen preconditioner: v held at its stationary E[g²], self-consistent with the cloud; "
        + "(x, m) by the discrete Lyapunov equation"

    /// |μ_t/β₁ − 1| (NAdam) and |r_t − 1| (RAdam) allowed at the first recorded step.
    static let scheduleTolerance = 1e-3

    public init(config: RunConfig, optimizer spec: OptimizerSpec) {
        let d = config.dimension
        let zero = [Double](repeating: 0, count: d)
        let rule: AdaptiveStationaryTheory.Rule, eps: Double, decay: [Double], decoupled: Bool, name: String
        var scheduleReason: String? = nil
        // Typed access to the rule: an optimizer the theory does not name gets no prediction.
        let decayValues = spec.decay?.values ?? zero, isDecoupled = spec.decay?.isDecoupled ?? false
        if let o = spec.optimizer as? Adam {
            guard !o.amsgrad else {
                (unavailableReason, theory, ruleName) = ("AMSGrad's v̂ is the running maximum of v: the largest v of the whole run, "
                    + "transient included, not a stationary moment", nil, nil); return
            }
            (rule, eps, decay, decoupled, name) = (.adam(beta1: o.beta1), o.eps, decayValues, isDecoupled,
                                                   isDecoupled ? "adamw" : "adam")
        } else if let o = spec.optimizer as? RMSprop {
            (rule, eps, decay, decoupled) = (.rmsprop(momentum: o.momentum, centered: o.centered, alpha: o.alpha), o.eps,
                                             decayValues, false)
            name = "rmsprop" + (o.momentum > 0 ? ", momentum" : "") + (o.centered ? ", centered" : "")
        } else if let o = spec.optimizer as? NAdam {
            let t = Double(config.burnIn + 1)
            let mu = o.beta1 * (1 - 0.5 * pow(0.96, t * o.momentumDecay))
            if o.beta1 != 0, Swift.abs(mu / o.beta1 - 1) > Self.scheduleTolerance {
                scheduleReason = "NAdam's momentum schedule μ_t = β₁(1 − ½·0.96^(t·momentum_decay)) is \(Self.short(mu)) at the "
                    + "first recorded step, not yet β₁ = \(Self.short(o.beta1)): the theory is its t → ∞ limit "
                    + "(a longer burn_in or a larger momentum_decay)"
            }
            (rule, eps, decay, decoupled, name) = (.nadam(beta1: o.beta1), o.eps, decayValues, isDecoupled,
                                                   "nadam (μ_t → β₁)")
        } else if let o = spec.optimizer as? RAdam {
            let t = Double(config.burnIn + 1)
            let rhoInfinity = 2 / (1 - o.beta2) - 1
            let rho = rhoInfinity - 2 * t * pow(o.beta2, t) / (1 - pow(o.beta2, t))
            let r = rho > 5 ? ((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho)).squareRoot() : 0
            if Swift.abs(r - 1) > Self.scheduleTolerance || pow(o.beta1, t) > Self.scheduleTolerance {
                scheduleReason = "RAdam's rectification r_t is \(Self.short(r)) at the first recorded step, not yet 1: the theory "
                    + "is its t → ∞ limit, Adam with ε on the raw √v (a longer burn_in)"
            }
            (rule, eps, decay, decoupled, name) = (.adam(beta1: o.beta1), o.eps, decayValues, isDecoupled,
                                                   "radam (r_t → 1)")
        } else if spec.optimizer is Adamax {
            (unavailableReason, theory, ruleName) = ("Adamax's u = max(β₂u, |g| + ε) is a discounted running maximum, an extreme "
                + "statistic of the recent gradients, not a moment that can be held at a stationary value", nil, nil); return
        } else if spec.optimizer is Adagrad {
            (unavailableReason, theory, ruleName) = ("Adagrad's accumulator grows without bound and its step shrinks like 1/√t: "
                + "there is no stationary law at a constant lr", nil, nil); return
        } else if spec.optimizer is Lion || spec.optimizer is SignSGD || spec.optimizer is Signum {
            (unavailableReason, theory, ruleName) = ("the sign update has no linearisation (for lion, summary.json's "
                + "decoupled_fixed_point is where its expected update vanishes)", nil, nil); return
        } else if spec.optimizer is SGD || spec.optimizer is SGLD {
            (unavailableReason, theory, ruleName) = ("not an adaptive optimizer (see `theory`)", nil, nil); return
        } else {
            (unavailableReason, theory, ruleName) = ("no adaptive theory for optimizer \(spec.type)", nil, nil); return
        }
        guard let hessian = config.objective.constantHessian else {
            (unavailableReason, theory, ruleName) = ("needs an objective with a constant Hessian (quadratic, linear regression)", nil, name)
            return
        }
        guard Self.isGaussian(config.noise), let noiseCovariance = config.noise.covariance else {
            (unavailableReason, theory, ruleName) = ("needs Gaussian (or no) noise: the prediction uses only the noise covariance, "
                + "and heavy tails make v fluctuate far from its mean", nil, name); return
        }
        guard spec.schedule.isConstant else {
            (unavailableReason, theory, ruleName) = ("stationary theory needs a constant learning rate", nil, name); return
        }
        guard spec.clip == .none else {
            (unavailableReason, theory, ruleName) = ("clipping makes the dynamics non-linear", nil, name); return
        }
        guard spec.lr > 0 else { (unavailableReason, theory, ruleName) = ("lr = 0: nothing moves", nil, name); return }
        let parameters = AdaptiveStationaryTheory.Parameters(
            hessian: hessian, minimum: config.objective.minimum, noiseCovariance: noiseCovariance, lr: spec.lr, rule: rule,
            eps: eps, coupledDecay: decoupled ? zero : decay, decoupledDecay: decoupled ? decay : zero)
        do {
            let t = try AdaptiveStationaryTheory(parameters)
            if let scheduleReason {
                (unavailableReason, theory, ruleName, stationaryLimit) = (scheduleReason, nil, name, t)
            } else {
                (unavailableReason, theory, ruleName) = (t.failure, t, name)
            }
        } catch {
            (unavailableReason, theory, ruleName) = ("the linear system is singular (\(error))", nil, name)
        }
    }

    static func short(_ x: Double) -> String { String(format: "%.4g", x) }

    /// Noise whose law is Gaussian: the model's assumption.
    static func isGaussian(_ noise: NoiseSpec) -> Bool {
        // Hessian noise on a constant Hessian is built as a Gaussian with the factor computed once.
        switch noise.noise {
        case is NoNoise, is GaussianNoise, is DiagonalGaussianNoise: return true
        case let stable as AlphaStableNoise: return stable.alpha == 2
        default: return false
        }
    }

    /// The predicted stationary covariance, when there is a stable self-consistent solution.
    public var covariance: [Double]? { theory?.covariance }

    /// The prediction alone: `optcloud theory` and the first half of theory.json's block.
    public func predictionEntries(dimension d: Int) -> [(String, JSONValue)] {
        guard let theory else {
            return [("available", .bool(false)), ("reason", .string(unavailableReason ?? ""))]
        }
        var entries: [(String, JSONValue)] = [("available", .bool(theory.covariance != nil)), ("model", .string(Self.model))]
        if let ruleName { entries.append(("rule", .string(ruleName))) }
        if let reason = unavailableReason { entries.append(("reason", .string(reason))) }
        entries += [
            ("mean", .numbers(theory.mean)),
            ("covariance", theory.covariance.map { .matrix($0, d) } ?? .null),
            ("preconditioner", .numbers(theory.preconditioner)),
            ("second_moment", .numbers(theory.secondMoment)),
            ("gradient_mean", .numbers(theory.gradientMean)),
            ("spectral_radius", .number(theory.spectralRadius)),
            ("self_consistency_iterations", .integer(theory.iterations)),
            ("stability_limit", .optional(theory.stabilityLimit)),
            ("stability_limit_method", .string(theory.stabilityMethod.rawValue)),
        ]
        if theory.stabilityLimit == nil {
            entries.append(("stability_note", .string(
                "no finite limit: the noise excites every mode, so v grows with the cloud and the preconditioner shrinks "
                + "as the linearised map nears instability")))
        }
        return entries
    }

    /// theory.json's `adaptive`: the prediction, and the simulated cloud against it.
    func json(estimate: CloudEstimate) -> JSONValue {
        let d = estimate.dimension
        var entries = predictionEntries(dimension: d)
        guard let theory, let predicted = theory.covariance else { return .object(entries) }
        let meanZ = zip(zip(estimate.mean, theory.mean), estimate.stderrMean).map { ($0.0 - $0.1) / $1 }
        let z = TheoryComparison.zScores(estimate.covariance, predicted, stderr: estimate.covarianceStderr)
        entries += [
            ("simulated_mean", .numbers(estimate.mean)),
            ("mean_z_scores", .numbers(meanZ)),
            ("max_abs_mean_z", .number(meanZ.map(Swift.abs).max() ?? .nan)),
            ("simulated_covariance", .matrix(estimate.covariance, d)),
            ("simulated_covariance_stderr", .matrix(estimate.covarianceStderr, d)),
            ("relative_error", .number(TheoryComparison.relativeError(estimate.covariance, predicted))),
            ("z_scores", .matrix(z, d)),
            ("max_abs_z", .number(z.map(Swift.abs).max() ?? .nan)),
        ]
        return .object(entries)
    }
}
