/// Streaming sums of one replicate group: moments of y = x − shift over its samples.
public struct GroupMoments: Sendable, Equatable {
    /// Number of samples (alive chains × recorded draws).
    public var count: Double
    public var sum: [Double]
    /// Σ y_i y_j, row-major d×d; only i ≤ j is accumulated (the rest is mirrored on read).
    public var cross: [Double]
    public var cube: [Double]
    public var fourth: [Double]
    /// Fluctuation–dissipation sums over the recorded steps t: Σ (x_{t−1} − shift)·g_t and
    /// Σ |x_t − x_{t−1}|² (0 unless the plan asks for them).
    public var fdrCross: Double
    public var fdrStep: Double
    /// Samples per basin (empty unless basins are tracked).
    public var basinCounts: [Double]

    public init(dimension d: Int, basins: Int = 0) {
        count = 0
        sum = [Double](repeating: 0, count: d)
        cross = [Double](repeating: 0, count: d * d)
        cube = [Double](repeating: 0, count: d)
        fourth = [Double](repeating: 0, count: d)
        fdrCross = 0
        fdrStep = 0
        basinCounts = [Double](repeating: 0, count: basins)
    }

    mutating func add(_ other: GroupMoments) {
        count += other.count
        for k in sum.indices { sum[k] += other.sum[k]; cube[k] += other.cube[k]; fourth[k] += other.fourth[k] }
        for k in cross.indices { cross[k] += other.cross[k] }
        fdrCross += other.fdrCross
        fdrStep += other.fdrStep
        for b in basinCounts.indices { basinCounts[b] += other.basinCounts[b] }
    }
}

/// Where the fields of one timeseries record lie: for one replicate group at one step, the
/// sums over its alive chains of 1, f(x), |x − x*|, y_k, y_k², (u_j·y)² and the basin
/// indicators, y = x − x* and u_j the plan's directions.
public struct TimeseriesLayout: Sendable, Equatable {
    public let dimension: Int
    public let directions: Int
    public let basins: Int

    public init(dimension: Int, directions: Int, basins: Int) {
        self.dimension = dimension
        self.directions = directions
        self.basins = basins
    }

    public var alive: Int { 0 }
    public var loss: Int { 1 }
    public var distance: Int { 2 }
    public func sum(_ k: Int) -> Int { 3 + k }
    public func square(_ k: Int) -> Int { 3 + dimension + k }
    public func direction(_ j: Int) -> Int { 3 + 2 * dimension + j }
    public func basin(_ b: Int) -> Int { 3 + 2 * dimension + directions + b }
    public var width: Int { 3 + 2 * dimension + directions + basins }
}

/// Ensemble sums at the plan's timeseries steps, per replicate group:
/// values[(group·steps.count + i)·layout.width + field].
public struct EnsembleTimeseries: Sendable, Equatable {
    public let steps: [Int]
    public let layout: TimeseriesLayout
    public let groups: Int
    public var values: [Double]

    /// The sums of all groups at step index i, added in group order.
    public func total(at i: Int) -> [Double] {
        let w = layout.width
        var t = [Double](repeating: 0, count: w)
        for g in 0..<groups {
            let base = (g * steps.count + i) * w
            for f in 0..<w { t[f] += values[base + f] }
        }
        return t
    }

    /// Group g's sums at step index i.
    public func group(_ g: Int, at i: Int) -> ArraySlice<Double> {
        let base = (g * steps.count + i) * layout.width
        return values[base..<(base + layout.width)]
    }
}

/// The recorded draws of a subset of chains, for convergence diagnostics:
/// values[(slot·drawsPerChain + draw)·d + k] for chain `chains[slot]`, NaN for a chain that
/// diverged (all of its draws) — ArviZ's (chain, draw, dim) order.
public struct DiagnosticDraws: Sendable, Equatable {
    public let chains: [Int]
    public let drawsPerChain: Int
    /// Every stride-th recorded draw is kept.
    public let stride: Int
    public var values: [Double]
}

/// Basins of a multi-basin objective: where every chain started and when it first entered
/// each basin's domain of attraction.
public struct BasinRecord: Sendable, Equatable {
    public let minima: [[Double]]
    /// The basin of each chain's initial point.
    public var start: [Int]
    /// firstPassage[chain·basins + b]: the first step t ≥ 0 whose iterate lies in basin b (0
    /// for the start basin), −1 if it never did (censored at the last step, or diverged first).
    public var firstPassage: [Int]
    public var count: Int { minima.count }
}

/// Integer histogram counts of the whole cloud (integers, so they merge exactly in any order).
public struct HistogramCounts: Sendable, Equatable {
    public let plan: HistogramPlan
    /// Per coordinate: the counting range.
    public var ranges: [ClosedRange<Double>]
    /// [k·countingBins + bin]
    public var counts: [Int]
    public var below: [Int]
    public var above: [Int]
    /// [p·pairBins² + ix·pairBins + iy] over ranges of the pair's coordinates.
    public var pairCounts: [Int]

    public init(plan: HistogramPlan, ranges: [ClosedRange<Double>]) {
        self.plan = plan
        self.ranges = ranges
        let d = ranges.count
        counts = [Int](repeating: 0, count: plan.isActive ? d * plan.countingBins : 0)
        below = [Int](repeating: 0, count: d)
        above = [Int](repeating: 0, count: d)
        pairCounts = [Int](repeating: 0, count: plan.pairs.count * plan.pairBins * plan.pairBins)
    }

    mutating func add(_ other: HistogramCounts) {
        for i in counts.indices { counts[i] += other.counts[i] }
        for i in below.indices { below[i] += other.below[i]; above[i] += other.above[i] }
        for i in pairCounts.indices { pairCounts[i] += other.pairCounts[i] }
    }
}

/// What a simulation leaves behind: streaming sums per replicate group, histogram counts,
/// divergence counts and, if asked, the iterates.
public struct CloudAccumulation: Sendable {
    public let dimension: Int
    public let layout: ChainLayout
    public let recording: RecordingPlan
    /// The objective's minimum x*, which bias is measured from.
    public let minimum: [Double]
    /// Moments are of y = x − shift, shift the ensemble mean at the end of burn-in: centring
    /// keeps the sums well conditioned wherever the cloud lies and however small it is.
    public let shift: [Double]
    public var groups: [GroupMoments]
    public var histograms: HistogramCounts
    public var divergedChains: Int
    /// Step at which each chain diverged (0 = never).
    public var divergenceSteps: [Int]
    /// [chain·d + k], the last iterate of every chain; NaN for diverged chains. Always
    /// present (the ensemble state holds it anyway); written to disk for `samples: final`
    /// and `all`.
    public var finalIterates: [Double]
    /// [(chain·draws + draw)·d + k]; NaN once a chain has diverged. Present for `samples: all`.
    public var allIterates: [Double]?
    /// [(chain·steps + t − 1)·d + k] for the traced chains, x after update t; NaN once diverged.
    public var trace: [Double]?
    /// lr_t of every update t (index t − 1), when traces were asked for.
    public var traceLearningRates: [Double]?
    public var traceChains: Int { trace == nil ? 0 : (trace!.count / Swift.max(1, recording.steps * dimension)) }
    public var timeseries: EnsembleTimeseries
    /// Present when the plan names diagnostic chains.
    public var diagnostics: DiagnosticDraws?
    /// Present when basins are tracked on a multi-basin objective.
    public var basins: BasinRecord?
    /// Present when the plan asks for the loss path: [group·steps + t − 1] = Σ f over the
    /// group's chains alive after update t (a chain diverged at step s is alive before s).
    public var lossPath: [Double]?

    public var chains: Int { layout.chains }

    /// The sums of all groups, added in group order.
    public var total: GroupMoments {
        var t = GroupMoments(dimension: dimension, basins: basins?.count ?? 0)
        for g in groups { t.add(g) }
        return t
    }
}
