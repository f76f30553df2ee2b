/// Streaming sums of one replicate group: moments of y = x − shift over its samples.
public struct GroupMoments: Sendable, Equatable {
    /// Number of samples (alive chains × recorded draws).
    public var count: Double
    public var sum: [Double]
    /// Σ y_i y_j, row-major d×d; only i ≤ j is accumulated (the rest is mirrored on read).
    public var cross: [Double]
    public var cube: [Double]
    public var fourth: [Double]

    public init(dimension d: Int) {
        count = 0
        sum = [Double](repeating: 0, count: d)
        cross = [Double](repeating: 0, count: d * d)
        cube = [Double](repeating: 0, count: d)
        fourth = [Double](repeating: 0, count: d)
    }

    mutating func add(_ other: GroupMoments) {
        count += other.count
        for k in sum.indices { sum[k] += other.sum[k]; cube[k] += other.cube[k]; fourth[k] += other.fourth[k] }
        for k in cross.indices { cross[k] += other.cross[k] }
    }
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

    init(plan: HistogramPlan, ranges: [ClosedRange<Double>]) {
        self.plan = plan
        self.ranges = ranges
        let d = ranges.count
        counts = [Int](repeating: 0, count: d * plan.countingBins)
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
    /// Moments are of y = x − shift (the objective's minimum), which keeps sums well conditioned.
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

    public var chains: Int { layout.chains }

    /// The sums of all groups, added in group order.
    public var total: GroupMoments {
        var t = GroupMoments(dimension: dimension)
        for g in groups { t.add(g) }
        return t
    }
}
