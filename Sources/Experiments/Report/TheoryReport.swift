import Foundation
import Simulation
import Statistics

/// The analytic predictions of a config, without simulating (`optcloud theory`).
public struct TheoryReport {
    public let config: RunConfig

    public init(_ config: RunConfig) { self.config = config }

    /// The gradient-noise covariance at x*, where it is known.
    var noiseCovarianceAtMinimum: [Double]? {
        switch (config.noise, config.objective) {
        case (.minibatch(let batch, let replacement, let labelNoise), .landscape(.linearRegression(let data), _)):
            return MinibatchNoise(objective: data, batchSize: batch, replacement: replacement, labelNoiseStd: labelNoise)
                .gradientCovariance(at: data.minimum)
        case (.minibatch(let batch, let replacement, _), .landscape(.logisticRegression(let data), _)):
            return MinibatchNoise(objective: data, batchSize: batch, replacement: replacement)
                .gradientCovariance(at: data.minimum)
        case (.hessian(let scale, nil), .landscape(let landscape, _)):
            return Self.hessianNoiseCovariance(landscape.objective, scale: scale)
        default:
            return config.noise.covariance(dimension: config.dimension)
        }
    }

    static func hessianNoiseCovariance<O: Objective>(_ objective: O, scale: Double) -> [Double] {
        HessianNoise(objective: objective, scale: scale).covariance(at: objective.minimum)
    }

    /// What the gradient-noise covariance at x* is, in words.
    var noiseNote: String {
        switch config.noise {
        case .none: return "no gradient noise"
        case .gaussian: return "additive Gaussian: the configured covariance, the same at every x"
        case .studentT(let df, _):
            return df > 2 ? "Student-t: scale²·df/(df − 2) per coordinate" : "Student-t with df ≤ 2: infinite variance"
        case .alphaStable(let alpha, _):
            return alpha == 2 ? "α-stable with α = 2: Gaussian with variance 2·scale²" : "α-stable with α < 2: infinite variance"
        case .recorded: return "recorded: the covariance of the file's rows (not computed)"
        case .minibatch(_, let replacement, _):
            return "minibatch: the population covariance of per-example gradients at x* divided by B"
                + (replacement ? "" : ", times (n − B)/(n − 1) without replacement")
        case .hessian(_, let constant):
            return "hessian: scale²·H₊ with H₊ the positive semi-definite part of the Hessian"
                + (constant == nil ? " at x* (state dependent)" : ", the same at every x")
        }
    }

    public var json: JSONValue {
        let d = config.dimension
        return .object([
            ("optcloud_version", .string(RunResult.version)),
            ("name", .string(config.name)),
            ("noise_covariance", noiseCovarianceAtMinimum.map { .matrix($0, d) } ?? .null),
            ("noise_covariance_note", .string(noiseNote)),
            ("optimizers", .array(config.optimizers.map { spec in
                let comparison = TheoryComparison(config: config, optimizer: spec)
                var entries: [(String, JSONValue)] = [("label", .string(spec.label)), ("type", .string(spec.type))]
                entries += comparison.predictionEntries(dimension: d)
                entries.append(("langevin", .object(LangevinTheory(config: config, optimizer: spec).predictionEntries)))
                entries.append(("adaptive", .object(comparison.adaptive.predictionEntries(dimension: d))))
                if DecoupledReference.isDecoupled(spec) {
                    entries.append(("decoupled_fixed_point", comparison.decoupledFixedPoint.map { .numbers($0) } ?? .null))
                }
                return .object(entries)
            })),
        ])
    }
}

