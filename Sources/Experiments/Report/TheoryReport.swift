import Foundation
import Simulation
import Statistics

/// The analytic predictions of a config, without simulating (`optcloud theory`).
public struct TheoryReport {
    public let config: RunConfig

    public init(_ config: RunConfig) { self.config = config }

    public var json: JSONValue {
        let d = config.dimension
        return .object([
            ("optcloud_version", .string(RunResult.version)),
            ("name", .string(config.name)),
            ("optimizers", .array(config.optimizers.map { spec in
                let comparison = TheoryComparison(config: config, optimizer: spec)
                var entries: [(String, JSONValue)] = [("label", .string(spec.label)), ("type", .string(spec.type))]
                guard let t = comparison.theory else {
                    entries += [("available", .bool(false)), ("reason", .string(comparison.unavailableReason ?? ""))]
                    return .object(entries)
                }
                entries += [
                    ("available", .bool(t.covariance != nil)),
                    ("model", .string("SGD on a quadratic with additive Gaussian noise: discrete Lyapunov equation")),
                ]
                if let reason = comparison.unavailableReason { entries.append(("reason", .string(reason))) }
                entries += [
                    ("spectral_radius", .number(t.spectralRadius)),
                    ("stability_limit_lr", .optional(t.stabilityLimit)),
                    ("mean", .numbers(t.mean)),
                    ("covariance", t.covariance.map { .matrix($0, d) } ?? .null),
                    ("continuous_covariance", t.continuousCovariance.map { .matrix($0, d) } ?? .null),
                ]
                if let exact = t.covariance, let continuous = t.continuousCovariance {
                    entries.append(("continuous_relative_error", .number(TheoryComparison.relativeError(continuous, exact))))
                }
                return .object(entries)
            })),
        ])
    }
}

/// Rough memory and time needs of a run, printed by `validate`.
public struct ResourceEstimate {
    public let bytes: Double
    public let seconds: Double

    public init(_ config: RunConfig, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        let d = Double(config.dimension), chains = Double(config.chains)
        let stateVectors = 2.0
        var bytes = chains * d * 8 * (2 + stateVectors) + chains * 16
        switch config.samples {
        case .none: break
        case .final: bytes += chains * d * 8
        case .all: bytes += chains * Double(config.recording.draws) * d * 8 * 2
        }
        let bins = Double(config.histogram.countingBins + 2)
        bytes += Double(threads) * 2 * (d * bins + Double(config.histogram.pairs.count * config.histogram.pairBins * config.histogram.pairBins)) * 8
        bytes += 256 * (d * d + 4 * d) * 8
        self.bytes = bytes * Double(1)
        // About 30 ns per chain·coordinate·step for the noise, plus d multiply-adds per
        // coordinate for dense matrices, spread over the cores.
        let perElement = 30e-9 + 1e-9 * d
        seconds = Double(config.optimizers.count) * chains * Double(config.steps) * d * perElement / Double(max(1, threads))
    }

    public var memoryDescription: String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = bytes, unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return String(format: "%.3g %@", value, units[unit])
    }

    public var timeDescription: String {
        seconds < 1 ? "under a second" : String(format: "about %.2g s", seconds)
    }
}
