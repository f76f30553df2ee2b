import Simulation
import Statistics

/// The exact transient theory (`SGDTransientTheory`) of one optimizer of a config, where it
/// applies: SGD (any momentum, dampening, coupled L2) or SGLD on a quadratic, with additive
/// noise of known finite covariance (Gaussian, Student-t, constant-Hessian), no clipping,
/// any schedule (lr_t from the schedule exactly as the engine takes it).
public struct TransientComparison: Sendable {
    /// Why there is no transient theory, when there is none.
    public let unavailableReason: String?
    public let theory: SGDTransientTheory?

    static let model = "SGD/SGLD on a quadratic: mean and covariance propagated step by step from the initial law"

    public init(config: RunConfig, optimizer spec: OptimizerSpec) {
        (unavailableReason, theory) = Self.make(config: config, optimizer: spec)
    }

    private static func make(config: RunConfig, optimizer spec: OptimizerSpec) -> (String?, SGDTransientTheory?) {
        guard let (hessian, minimum) = config.objective.quadratic else {
            return ("no closed form for this objective", nil)
        }
        guard spec.clip == .none else { return ("clipping makes the dynamics non-linear", nil) }
        guard config.steps <= SGDTransientTheory.maximumSteps else {
            return ("the transient theory is kept for at most \(SGDTransientTheory.maximumSteps) steps", nil)
        }
        let d = minimum.count
        guard let noiseCovariance = config.noise.covariance, noiseCovariance.allSatisfy(\.isFinite) else {
            return ("the noise has no finite closed-form covariance", nil)
        }
        let (momentum, dampening, nesterov, decay, temperature): (Double, Double, Bool, [Double], Double)
        let coupledDecay = spec.decay?.values ?? [Double](repeating: 0, count: d)
        if let sgd = spec.optimizer as? SGD {
            (momentum, dampening, nesterov, decay, temperature) = (sgd.momentum, sgd.dampening, sgd.nesterov, coupledDecay, 0)
        } else if let sgld = spec.optimizer as? SGLD {
            (momentum, dampening, nesterov, decay, temperature) = (0, 0, false, coupledDecay, sgld.temperature)
        } else {
            return ("no closed form for optimizer \(spec.type)", nil)
        }
        let mean: [Double], covariance: [Double]
        switch config.initial {
        case .point(let x):
            (mean, covariance) = (x, [Double](repeating: 0, count: d * d))
        case .gaussian(let m, let std):
            var c = [Double](repeating: 0, count: d * d)
            for k in 0..<d { c[k * d + k] = std[k] * std[k] }
            (mean, covariance) = (m, c)
        }
        let schedule = spec.schedule.make(baseLR: spec.lr)
        let parameters = SGDTransientTheory.Parameters(
            hessian: hessian, minimum: minimum, noiseCovariance: noiseCovariance, momentum: momentum, dampening: dampening,
            nesterov: nesterov, weightDecay: decay, temperature: temperature, initialMean: mean, initialCovariance: covariance,
            learningRates: (1...config.steps).map { schedule.learningRate(update: $0) })
        do {
            return (nil, try SGDTransientTheory(parameters))
        } catch let error as SGDTransientTheory.TooCostly {
            return (error.description, nil)
        } catch {
            return ("the linear system is singular (\(error))", nil)
        }
    }

    /// E f(x_t) of the theory, where it is finite.
    public func lossMean(step t: Int) -> Double? {
        guard let theory, t < theory.lossMean.count, theory.lossMean[t].isFinite else { return nil }
        return theory.lossMean[t]
    }

    /// tr Cov(x_t) of the theory, where it is finite.
    public func covarianceTrace(step t: Int) -> Double? {
        guard let theory, t < theory.covarianceTrace.count, theory.covarianceTrace[t].isFinite else { return nil }
        return theory.covarianceTrace[t]
    }

    /// (L̄(t) − E f(x_t)) / se(L̄(t)) at each of the given (step, mean, stderr); nil where the
    /// theory or the standard error is missing (a cloud of identical chains has none).
    public func zScores(_ rows: [(step: Int, mean: Double, stderr: Double)]) -> [Double?] {
        rows.map { row in
            guard let predicted = lossMean(step: row.step), row.stderr > 0, row.mean.isFinite else { return nil }
            return (row.mean - predicted) / row.stderr
        }
    }

    /// The largest |z| over the rows (nil when there is none).
    public func maxAbsZ(_ rows: [(step: Int, mean: Double, stderr: Double)]) -> Double? {
        zScores(rows).compactMap { $0.map(Swift.abs) }.max()
    }

    /// theory.json's `transient` entry.
    func json(rows: [(step: Int, mean: Double, stderr: Double)], targetLoss: Double?) -> JSONValue {
        guard let theory else { return .object([("available", .bool(false)), ("reason", .string(unavailableReason ?? ""))]) }
        let z = zScores(rows)
        var entries: [(String, JSONValue)] = [
            ("available", .bool(true)), ("model", .string(Self.model)),
            ("recursion", .string(theory.isDiagonal ? "diagonal (per coordinate)" : "dense")),
            ("steps", .array(rows.map { .integer($0.step) })),
            ("theory_loss_mean", .array(rows.map { row in lossMean(step: row.step).map { .number($0) } ?? .null })),
            ("simulated_loss_mean", .numbers(rows.map(\.mean))),
            ("simulated_loss_mean_stderr", .numbers(rows.map(\.stderr))),
            ("z_scores", .array(z.map { $0.map { .number($0) } ?? .null })),
        ]
        if let targetLoss { entries.append(("theory_steps_to_target", theory.firstStep(atOrBelow: targetLoss).map { .integer($0) } ?? .null)) }
        return .object(entries)
    }
}
