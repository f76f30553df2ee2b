import Simulation
import Statistics

/// The analytic prediction for one optimizer of a config, where theory has one, and how far
/// the simulated cloud is from it.
public struct TheoryComparison: Sendable {
    /// Why there is no prediction, when there is none.
    public let unavailableReason: String?
    public let theory: SGDStationaryTheory?
    /// The tail index of SGD on streamed 1-D least squares, where the model applies.
    let kesten: KestenPrediction?
    /// The optimizer's base learning rate.
    public let lr: Double
    /// The frozen-preconditioner prediction for adaptive optimizers (theory.json's `adaptive`).
    public let adaptive: AdaptivePrediction
    /// Where the optimizer's expected update vanishes, for decoupled weight decay
    /// (summary.json's `decoupled_fixed_point`; nil where it is not computed).
    public let decoupledFixedPoint: [Double]?

    /// The prediction for SGD (any momentum, coupled L2) or SGLD on a quadratic with additive
    /// Gaussian (or no) noise, constant lr and no clipping; and Kesten's tail index for SGD
    /// on streamed 1-D linear regression with minibatch noise.
    public init(config: RunConfig, optimizer spec: OptimizerSpec) {
        kesten = KestenPrediction(config: config, optimizer: spec)
        lr = spec.lr
        adaptive = AdaptivePrediction(config: config, optimizer: spec)
        decoupledFixedPoint = DecoupledReference.point(config: config, optimizer: spec, adaptive: adaptive)
        (unavailableReason, theory) = Self.lyapunov(config: config, optimizer: spec)
    }

    /// The SGD/SGLD Lyapunov theory alone (without the adaptive and Kesten predictions, which
    /// cost far more for adaptive optimizers): what a sweep's stability check and its
    /// figure's theory curve need. Returns why there is none, or the theory (with a reason
    /// when it is unstable).
    public static func lyapunov(config: RunConfig, optimizer spec: OptimizerSpec) -> (String?, SGDStationaryTheory?) {
        guard let (hessian, minimum) = config.objective.quadratic else {
            return ("no closed form for this objective", nil)
        }
        guard spec.schedule.isConstant else { return ("stationary theory needs a constant learning rate", nil) }
        guard spec.clip == .none else { return ("clipping makes the dynamics non-linear", nil) }
        guard let noiseCovariance = config.noise.covariance else {
            return ("recorded noise has no closed-form covariance", nil)
        }
        let parameters: SGDStationaryTheory.Parameters
        let decay = spec.decay?.values ?? [Double](repeating: 0, count: minimum.count)
        if let sgd = spec.optimizer as? SGD {
            parameters = .init(hessian: hessian, minimum: minimum, noiseCovariance: noiseCovariance, lr: spec.lr,
                               momentum: sgd.momentum, dampening: sgd.dampening, nesterov: sgd.nesterov,
                               weightDecay: decay)
        } else if let sgld = spec.optimizer as? SGLD {
            parameters = .init(hessian: hessian, minimum: minimum, noiseCovariance: noiseCovariance, lr: spec.lr,
                               momentum: 0, dampening: 0, nesterov: false, weightDecay: decay,
                               temperature: sgld.temperature)
        } else {
            return ("no closed form for optimizer \(spec.type)", nil)
        }
        do {
            let t = try SGDStationaryTheory(parameters)
            return (t.covariance == nil ? "unstable: spectral radius \(t.spectralRadius) ≥ 1, no stationary law" : nil, t)
        } catch {
            return ("the linear system is singular (\(error))", nil)
        }
    }

    static let model = "SGD/SGLD on a quadratic with additive Gaussian noise: discrete Lyapunov equation"

    /// The stationary mean and covariance of whichever model applies (SGD/SGLD's Lyapunov
    /// theory or the adaptive one), when it has a stationary law: the run table's theory
    /// columns, the figures' theory ellipses and summary.json's relative error.
    public var prediction: (mean: [Double], covariance: [Double])? {
        if let theory, let covariance = theory.covariance { return (theory.mean, covariance) }
        if let theory = adaptive.theory, let covariance = adaptive.covariance { return (theory.mean, covariance) }
        return nil
    }

    /// ‖Ĉ − C‖_F / ‖C‖_F.
    public static func relativeError(_ simulated: [Double], _ predicted: [Double]) -> Double {
        var difference = 0.0, size = 0.0
        for i in simulated.indices {
            difference += (simulated[i] - predicted[i]) * (simulated[i] - predicted[i])
            size += predicted[i] * predicted[i]
        }
        return (difference / size).squareRoot()
    }

    /// (Ĉ_ij − C_ij) / se(Ĉ_ij) per entry.
    public static func zScores(_ simulated: [Double], _ predicted: [Double], stderr: [Double]) -> [Double] {
        simulated.indices.map { (simulated[$0] - predicted[$0]) / stderr[$0] }
    }

    /// The prediction alone (what `optcloud theory` prints): availability, stability,
    /// stationary mean, exact and continuous-time covariance; the Kesten tail index.
    public func predictionEntries(dimension d: Int) -> [(String, JSONValue)] {
        lyapunovEntries(dimension: d) + (kesten?.predictionEntries ?? [])
    }

    private func lyapunovEntries(dimension d: Int) -> [(String, JSONValue)] {
        guard let theory else {
            return [("available", .bool(false)), ("reason", .string(unavailableReason ?? ""))]
        }
        var entries: [(String, JSONValue)] = [("available", .bool(theory.covariance != nil)), ("model", .string(Self.model))]
        if let reason = unavailableReason { entries.append(("reason", .string(reason))) }
        entries += [
            ("spectral_radius", .number(theory.spectralRadius)),
            ("stability_limit_lr", .optional(theory.stabilityLimit)),
            ("mean", .numbers(theory.mean)),
            ("covariance", theory.covariance.map { .matrix($0, d) } ?? .null),
            ("continuous_covariance", theory.continuousCovariance.map { .matrix($0, d) } ?? .null),
        ]
        if let exact = theory.covariance, let continuous = theory.continuousCovariance {
            entries.append(("continuous_vs_exact_relative_error", .number(Self.relativeError(continuous, exact))))
        }
        return entries
    }

    /// The prediction and the simulated cloud's distance to it (theory.json), with the tail
    /// indices of its final iterates.
    func json(estimate: CloudEstimate, tails: TailIndexReport) -> JSONValue {
        let d = estimate.dimension
        var entries = predictionEntries(dimension: d)
        if let kesten { entries += kesten.comparisonEntries(tails) }
        guard let theory else { return .object(entries) }
        entries += [
            ("simulated_mean", .numbers(estimate.mean)),
            ("mean_z_scores", .numbers(zip(zip(estimate.mean, theory.mean), estimate.stderrMean).map { ($0.0 - $0.1) / $1 })),
            ("simulated_covariance", .matrix(estimate.covariance, d)),
            ("simulated_covariance_stderr", .matrix(estimate.covarianceStderr, d)),
        ]
        for (prefix, predicted) in [("", theory.covariance), ("continuous_", theory.continuousCovariance)] {
            guard let predicted else { continue }
            let z = Self.zScores(estimate.covariance, predicted, stderr: estimate.covarianceStderr)
            entries += [
                ("\(prefix)relative_error", .number(Self.relativeError(estimate.covariance, predicted))),
                ("\(prefix)z_scores", .matrix(z, d)),
                ("\(prefix)max_abs_z", .number(z.map(Swift.abs).max() ?? .nan)),
            ]
        }
        return .object(entries)
    }
}
