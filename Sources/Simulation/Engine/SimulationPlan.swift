/// Where chains start.
public enum InitialDistribution: Sendable, Equatable {
    case point([Double])
    /// Independent normals per coordinate; drawn from the chain's own stream.
    case gaussian(mean: [Double], std: [Double])
}

/// Which iterates form the cloud: steps t > burnIn with (t − burnIn) mod thin = 0.
public struct RecordingPlan: Sendable, Equatable {
    public let steps: Int
    public let burnIn: Int
    public let thin: Int

    public init(steps: Int, burnIn: Int, thin: Int) {
        precondition(steps > burnIn && burnIn >= 0 && thin >= 1, "invalid recording plan")
        self.steps = steps
        self.burnIn = burnIn
        self.thin = thin
    }

    /// Recorded draws per chain.
    public var draws: Int { (steps - burnIn) / thin }
    public func isRecorded(_ t: Int) -> Bool { t > burnIn && (t - burnIn) % thin == 0 }
}

/// Which iterates are kept beside the streaming statistics.
public enum SampleStorage: String, Sendable, CaseIterable {
    case none, final, all
}

/// Histogram accumulation: `bins` display bins per coordinate (0 = none), refined into
/// `bins·refinement` counting bins for quantiles; ranges fixed by the user or chosen from
/// the ensemble at the end of burn-in; 2-D histograms of `pairs` with `bins`² cells.
public struct HistogramPlan: Sendable, Equatable {
    public let bins: Int
    public let ranges: [ClosedRange<Double>]?
    public let pairs: [Pair]

    public struct Pair: Sendable, Equatable, Hashable {
        public let x: Int
        public let y: Int
        public init(_ x: Int, _ y: Int) { self.x = x; self.y = y }
    }

    /// Whether anything is counted: false only for the no-histogram, no-quantile plan of
    /// benchmark W1.
    public let isActive: Bool

    public init(bins: Int, ranges: [ClosedRange<Double>]?, pairs: [Pair]) {
        self.bins = bins
        self.ranges = ranges
        self.pairs = pairs
        self.isActive = true
    }

    private init(inactive: Void) {
        bins = 0
        ranges = nil
        pairs = []
        isActive = false
    }

    /// No histograms and no quantiles: the engine counts nothing.
    public static let off = HistogramPlan(inactive: ())

    /// Counting bins per display bin: about 1000 counting bins for quantiles.
    public var refinement: Int { bins == 0 ? 1 : Swift.max(1, (1000 + bins - 1) / bins) }
    public var countingBins: Int { bins == 0 ? 1000 : bins * refinement }
    public var pairBins: Int { Swift.max(bins, 1) }
}

/// Everything the engine needs besides the three hot-path types.
public struct SimulationPlan: Sendable {
    public let chains: Int
    public let recording: RecordingPlan
    public let initial: InitialDistribution
    public let divergenceBound: Double
    public let histograms: HistogramPlan
    public let samples: SampleStorage
    /// Whether to accumulate the full covariance (d² per sample) and 3rd/4th moments.
    public let covariance: Bool
    public let higherMoments: Bool
    /// The first `traceChains` chains keep every iterate (and the lr of every step).
    public let traceChains: Int
    public let observation: ObservationPlan

    public init(
        chains: Int, recording: RecordingPlan, initial: InitialDistribution,
        divergenceBound: Double = 1e12, histograms: HistogramPlan, samples: SampleStorage = .none,
        covariance: Bool = true, higherMoments: Bool = true, traceChains: Int = 0, observation: ObservationPlan = .none
    ) {
        precondition(observation.diagnosticChains.allSatisfy { $0 >= 0 && $0 < chains }, "diagnostic chains out of range")
        precondition(observation.timeseriesSteps.allSatisfy { $0 >= 1 && $0 <= recording.steps }, "timeseries steps out of range")
        self.observation = observation
        self.chains = chains
        self.recording = recording
        self.initial = initial
        self.divergenceBound = divergenceBound
        self.histograms = histograms
        self.samples = samples
        self.covariance = covariance
        self.higherMoments = higherMoments
        self.traceChains = Swift.min(traceChains, chains)
    }
}
