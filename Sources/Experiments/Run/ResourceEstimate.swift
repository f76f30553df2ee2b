import Foundation
import Simulation

/// Memory and time a run needs, printed by `validate` and checked by `run` before anything
/// is allocated.
public struct ResourceEstimate {
    public let bytes: Double
    public let seconds: Double
    /// The config key whose value drives the memory need.
    public let dominantKey: String

    public init(_ config: RunConfig, threads: Int = AvailableCPUs.count) {
        let d = Double(config.dimension), chains = Double(config.chains)
        // Iterates and up to two state vectors per coordinate, alive flags and divergence
        // steps (engine and result), with tiles padded to at most 64 chains per group.
        let slots = chains + Double(ChainLayout.maximumGroups * ChainLayout.maximumTileSize)
        let state = slots * d * 8 * 3 + chains * 24
        // Stored iterates exist in the engine, in the result and as the .npy being written;
        // the final iterates are always kept.
        var samples = chains * d * 8 * 2
        if config.samples == .all { samples += chains * Double(config.recording.draws) * d * 8 * 3 }
        // Observations: the diagnostic draws (within their budget), the timeseries sums and
        // the first-passage steps, in the engine and in the result.
        let draws = Swift.min(Double(ObservationChoice.diagnosticValueBudget), chains * Double(config.recording.draws) * d)
        let basins = Double(config.objective.basinCount)
        let series = Double(ChainLayout.maximumGroups * 80) * (3 + 3 * d + basins)
        let observations = (draws + series + chains * (basins + 1)) * 8 * 2
        let histogram = config.histogram
        let counts = d * Double(histogram.countingBins + 2) + Double(histogram.pairs.count * histogram.pairBins * histogram.pairBins)
        let accumulators = Double(threads + 2) * 2 * counts * 8 + Double(ChainLayout.maximumGroups) * (d * d + 4 * d) * 8
        // Snapshots waiting to be checkpointed (or read back on --resume): up to one copy of
        // the chains' state and of the stored samples.
        let checkpoint = chains * d * 8 * 3 + (config.samples == .all ? chains * Double(config.recording.draws) * d * 8 : 0)
        bytes = state + samples + observations + checkpoint + accumulators + 64 * 1024 * 1024
        dominantKey = samples > state ? "output.samples" : "chains"
        // About 30 ns per chain·coordinate·step for the noise, plus d multiply-adds per
        // coordinate for dense matrices, spread over the cores.
        let perElement = 30e-9 + 1e-9 * d
        let simulation = chains * Double(config.steps) * d * perElement / Double(Swift.max(1, threads))
        // The report's rank-normalised diagnostics: about 1 µs per stored diagnostic value
        // (sorting and FFTs), coordinates spread over the cores.
        let subset = ObservationChoice.diagnosticSubset(chains: config.chains, draws: config.recording.draws, dimension: config.dimension)
        let values = Double(subset.chains.count) * Double(config.recording.draws / subset.stride) * d
        let report = values * 1e-6 / Double(Swift.max(1, Swift.min(threads, config.dimension)))
        seconds = Double(config.optimizers.count) * (simulation + report)
    }

    /// Memory this process may still use: the smaller of MemAvailable and the address-space
    /// limit (ulimit -v).
    public static func availableBytes() -> Double {
        var available = Double(ProcessInfo.processInfo.physicalMemory)
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
                let parts = line.split(separator: " ")
                if parts.count >= 2, let kib = Double(parts[1]) { available = Swift.min(available, kib * 1024) }
            }
        }
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            available = Swift.min(available, Double(limit.rlim_cur) / 2)
        }
        return available
    }

    /// Refuses a run that would not fit in memory, naming the key to change.
    public func checkAvailable(configFile: String) throws {
        let available = Self.availableBytes()
        guard bytes > 0.9 * available else { return }
        throw ConfigError(file: configFile, line: nil, key: dominantKey,
                          problem: "the run needs about \(Self.format(bytes)) of memory but \(Self.format(available)) is available",
                          expected: dominantKey == "chains" ? "fewer chains" : "samples: final or none, or fewer chains or draws")
    }

    public var memoryDescription: String { Self.format(bytes) }

    public var timeDescription: String {
        seconds < 1 ? "under a second" : String(format: "about %.2g s", seconds)
    }

    public static func format(_ bytes: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = bytes, unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return String(format: "%.3g %@", value, units[unit])
    }
}
