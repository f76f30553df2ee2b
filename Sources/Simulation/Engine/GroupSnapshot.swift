/// The state of one replicate group at the end of a phase (burn-in or recording): what the
/// engine needs to continue a run from there without repeating the group's work. Groups are
/// the engine's unit of work and of every floating-point sum, so restoring them keeps a
/// resumed run bit-identical to one that was never interrupted.
///
/// Per-chain arrays run over the group's chains in order: x[c·d + k],
/// state[(c·stateVectors + s)·d + k], firstPassage[c·basins + b]; allIterates
/// [(c·draws + draw)·d + k]; trace [(c·steps + t − 1)·d + k] over the group's traced chains;
/// diagnostics [(j·drawsPerChain + draw)·d + k] over the group's diagnostic chains.
public struct GroupSnapshot: Sendable, Equatable {
    public enum Phase: Int, Sendable, CaseIterable {
        case burnIn = 0
        case recording = 1
    }

    public var phase: Phase
    public var group: Int
    public var chains: Range<Int>
    public var x: [Double]
    public var state: [Double]
    /// 1 for a chain in the cloud, 0 once diverged.
    public var alive: [Double]
    public var divergenceSteps: [Int]
    public var basinStart: [Int]
    public var firstPassage: [Int]
    /// The group's timeseries sums, steps.count × layout.width.
    public var timeseries: [Double]
    public var trace: [Double]
    /// Recording only: the accumulation centre the moments are about, the group's moments
    /// and histogram counts.
    public var centre: [Double]
    public var moments: GroupMoments?
    public var histograms: HistogramCounts?
    public var diagnostics: [Double]
    public var allIterates: [Double]
    /// The group's loss path: Σ f over its alive chains after update t (index t − 1), up to
    /// the end of the phase; empty unless the plan asks for it.
    public var lossPath: [Double]

    public init(phase: Phase, group: Int, chains: Range<Int>, x: [Double], state: [Double], alive: [Double],
                divergenceSteps: [Int], basinStart: [Int], firstPassage: [Int], timeseries: [Double], trace: [Double],
                centre: [Double], moments: GroupMoments?, histograms: HistogramCounts?, diagnostics: [Double],
                allIterates: [Double], lossPath: [Double] = []) {
        (self.phase, self.group, self.chains, self.x, self.state, self.alive) = (phase, group, chains, x, state, alive)
        (self.divergenceSteps, self.basinStart, self.firstPassage) = (divergenceSteps, basinStart, firstPassage)
        (self.timeseries, self.trace, self.centre, self.moments, self.histograms) = (timeseries, trace, centre, moments, histograms)
        (self.diagnostics, self.allIterates, self.lossPath) = (diagnostics, allIterates, lossPath)
    }
}

/// Receives every group's snapshot as the group finishes a phase. Called from worker
/// threads, at most once per group and phase; implementations must be thread-safe.
public protocol SimulationCheckpoint: Sendable {
    func completed(_ snapshot: GroupSnapshot)
}

/// Snapshots of an interrupted run to continue from: groups with a burn-in snapshot skip
/// burn-in, groups with a recording snapshot are done. A recording snapshot counts only
/// with the burn-in snapshots of every group (the histogram ranges and the accumulation
/// centre are computed from the whole ensemble after burn-in).
public struct SimulationResume: Sendable {
    public var burnIn: [GroupSnapshot]
    public var recording: [GroupSnapshot]

    public init(burnIn: [GroupSnapshot] = [], recording: [GroupSnapshot] = []) {
        self.burnIn = burnIn
        self.recording = recording
    }
}
