import Foundation
import Simulation
import Statistics

/// The analytic predictions of a config, without simulating (`optcloud theory`).
public struct TheoryReport {
    public let config: RunConfig

    public init(_ config: RunConfig) { self.config = config }

    /// The gradient-noise covariance at x*, where it is known: the constant one, or that of
    /// state-dependent noise (minibatch, Hessian-shaped) evaluated at x*.
    var noiseCovarianceAtMinimum: [Double]? {
        if config.noise.covariance == nil, let noise = config.noise.noise as? any StateDependentNoise {
            return noise.covariance(at: config.objective.minimum)
        }
        return config.noise.covariance
    }

    /// What the gradient-noise covariance at x* is, in words.
    var noiseNote: String { config.noise.note }

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

