/// The state of every chain between phases: iterates, optimizer state, alive flags,
/// divergence steps and stored iterates. O(chains·d) memory (plus samples when asked).
final class EnsembleState: @unchecked Sendable {
    let layout: ChainLayout
    let dimension: Int
    let stateVectors: Int
    let recording: RecordingPlan
    let storage: SampleStorage
    let x: UnsafeMutablePointer<Double>
    let optimizerState: UnsafeMutablePointer<Double>
    /// 1 while a chain is in the cloud, 0 once it has diverged.
    let alive: UnsafeMutablePointer<Double>
    let divergenceStep: UnsafeMutablePointer<Int>
    let allIterates: UnsafeMutablePointer<Double>?
    let traceChains: Int
    let trace: UnsafeMutablePointer<Double>?
    let traceLearningRates: UnsafeMutablePointer<Double>?
    /// The objective's minimum: moments are accumulated about it.
    let shiftPointer: UnsafeMutablePointer<Double>
    private let groupTiles: [[Tile]]

    init<O, N, P>(simulator: Simulator<O, N, P>) {
        let plan = simulator.plan
        let layout = ChainLayout(chains: plan.chains)
        self.layout = layout
        let dimension = simulator.objective.dimension
        self.dimension = dimension
        stateVectors = simulator.optimizer.stateVectors
        recording = plan.recording
        storage = plan.samples
        shiftPointer = .allocate(capacity: dimension)
        shiftPointer.initialize(from: simulator.objective.minimum, count: dimension)
        var tiles: [[Tile]] = []
        var slot = 0
        for g in 0..<layout.groups {
            tiles.append(layout.tiles(ofGroup: g).map { range in
                defer { slot += layout.tileSize }
                return Tile(chains: range, offset: slot, stride: layout.tileSize)
            })
        }
        groupTiles = tiles
        let slots = slot
        x = .allocate(capacity: slots * dimension)
        x.initialize(repeating: 0, count: slots * dimension)
        optimizerState = .allocate(capacity: Swift.max(1, slots * dimension * stateVectors))
        optimizerState.initialize(repeating: 0, count: Swift.max(1, slots * dimension * stateVectors))
        alive = .allocate(capacity: layout.chains)
        alive.initialize(repeating: 1, count: layout.chains)
        divergenceStep = .allocate(capacity: layout.chains)
        divergenceStep.initialize(repeating: 0, count: layout.chains)
        if storage == .all {
            let count = layout.chains * recording.draws * dimension
            allIterates = .allocate(capacity: count)
            allIterates!.initialize(repeating: .nan, count: count)
        } else {
            allIterates = nil
        }
        traceChains = plan.traceChains
        if traceChains > 0 {
            let count = traceChains * recording.steps * dimension
            trace = .allocate(capacity: count)
            trace!.initialize(repeating: .nan, count: count)
            traceLearningRates = .allocate(capacity: recording.steps)
            traceLearningRates!.initialize(repeating: .nan, count: recording.steps)
        } else {
            trace = nil
            traceLearningRates = nil
        }
    }

    func deallocate() {
        x.deallocate()
        optimizerState.deallocate()
        alive.deallocate()
        divergenceStep.deallocate()
        allIterates?.deallocate()
        trace?.deallocate()
        traceLearningRates?.deallocate()
        shiftPointer.deallocate()
    }

    func tiles(ofGroup g: Int) -> [Tile] { groupTiles[g] }

    /// Histogram ranges from the ensemble at the end of burn-in: per coordinate the union of
    /// [min − w/4, max + w/4] (w = max − min) and mean ± 6 sd; ±1 around the value when the
    /// ensemble is a single point.
    func histogramRanges(minimum: [Double], countingBins: Int) -> [ClosedRange<Double>] {
        (0..<dimension).map { k in
            var lo = Double.infinity, hi = -Double.infinity, sum = 0.0, sumSquares = 0.0, n = 0.0
            for tiles in groupTiles {
                for tile in tiles {
                    for c in 0..<tile.count where alive[tile.chains.lowerBound + c] != 0 {
                        let v = x[tile.offset * dimension + k * tile.stride + c]
                        lo = Swift.min(lo, v); hi = Swift.max(hi, v)
                        sum += v - minimum[k]; sumSquares += (v - minimum[k]) * (v - minimum[k]); n += 1
                    }
                }
            }
            guard n > 0 else { return (minimum[k] - 1)...(minimum[k] + 1) }
            let mean = sum / n + minimum[k]
            let sd = (Swift.max(0, sumSquares / n - (sum / n) * (sum / n))).squareRoot()
            let width = hi - lo
            if width == 0 || !width.isFinite { return (lo - 1)...(lo + 1) }
            let lower = Swift.min(lo - width / 4, mean - 6 * sd)
            let upper = Swift.max(hi + width / 4, mean + 6 * sd)
            return Self.resolvable(lower...upper, bins: countingBins)
        }
    }

    /// The range widened (about its centre) to at least 4 ulps per counting bin: a cloud
    /// narrower than that (e.g. lr = 5e-324) is quantised to a few doubles anyway, and a
    /// narrower range would make the bin scale 1/width infinite.
    static func resolvable(_ range: ClosedRange<Double>, bins: Int) -> ClosedRange<Double> {
        let magnitude = Swift.max(Swift.abs(range.lowerBound), Swift.abs(range.upperBound))
        let minimumWidth = Swift.max(Double.leastNormalMagnitude * 0x1p60, 4 * Double(bins) * magnitude.ulp)
        guard !(range.upperBound - range.lowerBound >= minimumWidth) else { return range }
        let centre = range.lowerBound / 2 + range.upperBound / 2
        return (centre - minimumWidth / 2)...(centre + minimumWidth / 2)
    }

    func result(moments: [GroupMoments], histograms: HistogramCounts, shift: [Double]) -> CloudAccumulation {
        let d = dimension
        var steps = [Int](repeating: 0, count: layout.chains)
        for c in 0..<layout.chains { steps[c] = divergenceStep[c] }
        var finals = [Double](repeating: .nan, count: layout.chains * d)
        for tiles in groupTiles {
            for tile in tiles {
                for c in 0..<tile.count where alive[tile.chains.lowerBound + c] != 0 {
                    for k in 0..<d { finals[(tile.chains.lowerBound + c) * d + k] = x[tile.offset * d + k * tile.stride + c] }
                }
            }
        }
        var all: [Double]? = nil
        if let allIterates {
            all = Array(UnsafeBufferPointer(start: allIterates, count: layout.chains * recording.draws * d))
        }
        var traced: [Double]? = nil, tracedLR: [Double]? = nil
        if let trace, let traceLearningRates {
            traced = Array(UnsafeBufferPointer(start: trace, count: traceChains * recording.steps * d))
            tracedLR = Array(UnsafeBufferPointer(start: traceLearningRates, count: recording.steps))
        }
        return CloudAccumulation(
            dimension: d, layout: layout, recording: recording, shift: shift, groups: moments,
            histograms: histograms, divergedChains: steps.reduce(0) { $0 + ($1 != 0 ? 1 : 0) },
            divergenceSteps: steps, finalIterates: finals, allIterates: all, trace: traced, traceLearningRates: tracedLR
        )
    }
}
