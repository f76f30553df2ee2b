/// The state of every chain between phases: iterates, optimizer state, alive flags,
/// divergence steps, stored iterates and the observations of `ObservationPlan`.
/// O(chains·d) memory (plus samples, traces and diagnostic draws when asked).
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
    /// x*: bias, distances and timeseries are about it.
    let minimumPointer: UnsafeMutablePointer<Double>
    /// The accumulation centre of the recorded moments: x* until the end of burn-in, then
    /// the ensemble mean there (`centre`).
    let shiftPointer: UnsafeMutablePointer<Double>

    let observation: ObservationPlan
    let timeseriesLayout: TimeseriesLayout
    /// [(group·K + i)·width + field]
    let timeseries: UnsafeMutablePointer<Double>
    let directions: UnsafeMutablePointer<Double>
    /// Per chain its row in `diagnosticDraws`, or −1.
    let diagnosticSlot: UnsafeMutablePointer<Int>?
    let diagnosticDraws: UnsafeMutablePointer<Double>?
    let diagnosticDrawsPerChain: Int
    let basinCount: Int
    let basinStart: UnsafeMutablePointer<Int>?
    let firstPassage: UnsafeMutablePointer<Int>?
    /// [group·steps + t − 1]: Σ f over the group's alive chains after update t.
    let lossPath: UnsafeMutablePointer<Double>?
    private let groupTiles: [[Tile]]

    init(simulator: Simulator) {
        let plan = simulator.plan
        let layout = ChainLayout(chains: plan.chains)
        self.layout = layout
        let d = simulator.objective.dimension
        dimension = d
        stateVectors = simulator.optimizer.stateVectors
        recording = plan.recording
        storage = plan.samples
        minimumPointer = .allocate(capacity: d)
        minimumPointer.initialize(from: simulator.objective.minimum, count: d)
        shiftPointer = .allocate(capacity: d)
        shiftPointer.initialize(from: simulator.objective.minimum, count: d)
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
        x = .allocate(capacity: slots * d)
        x.initialize(repeating: 0, count: slots * d)
        optimizerState = .allocate(capacity: Swift.max(1, slots * d * stateVectors))
        optimizerState.initialize(repeating: 0, count: Swift.max(1, slots * d * stateVectors))
        alive = .allocate(capacity: layout.chains)
        alive.initialize(repeating: 1, count: layout.chains)
        divergenceStep = .allocate(capacity: layout.chains)
        divergenceStep.initialize(repeating: 0, count: layout.chains)
        allIterates = storage == .all ? Self.filled(layout.chains * recording.draws * d, .nan) : nil
        traceChains = plan.traceChains
        trace = traceChains > 0 ? Self.filled(traceChains * recording.steps * d, .nan) : nil

        let observation = plan.observation
        self.observation = observation
        let basins = observation.basins && simulator.objective.basinMinima.count >= 2 ? simulator.objective.basinMinima.count : 0
        basinCount = basins
        timeseriesLayout = TimeseriesLayout(dimension: d, directions: observation.directionCount(dimension: d), basins: basins)
        timeseries = Self.filled(Swift.max(1, layout.groups * observation.timeseriesSteps.count * timeseriesLayout.width), 0)
        directions = .allocate(capacity: Swift.max(1, observation.directions.count))
        directions.initialize(from: observation.directions, count: observation.directions.count)
        if observation.diagnosticChains.isEmpty {
            diagnosticSlot = nil
            diagnosticDraws = nil
            diagnosticDrawsPerChain = 0
        } else {
            let slots = Self.filled(layout.chains, -1)
            for (j, c) in observation.diagnosticChains.enumerated() { slots[c] = j }
            diagnosticSlot = slots
            diagnosticDrawsPerChain = recording.draws / observation.diagnosticStride
            diagnosticDraws = Self.filled(observation.diagnosticChains.count * diagnosticDrawsPerChain * d, .nan)
        }
        basinStart = basins > 0 ? Self.filled(layout.chains, 0) : nil
        firstPassage = basins > 0 ? Self.filled(layout.chains * basins, -1) : nil
        lossPath = observation.lossPath ? Self.filled(layout.groups * recording.steps, 0) : nil
    }

    private static func filled<T>(_ count: Int, _ value: T) -> UnsafeMutablePointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(1, count))
        p.initialize(repeating: value, count: Swift.max(1, count))
        return p
    }

    func deallocate() {
        x.deallocate()
        optimizerState.deallocate()
        alive.deallocate()
        divergenceStep.deallocate()
        allIterates?.deallocate()
        trace?.deallocate()
        minimumPointer.deallocate()
        shiftPointer.deallocate()
        timeseries.deallocate()
        directions.deallocate()
        diagnosticSlot?.deallocate()
        diagnosticDraws?.deallocate()
        basinStart?.deallocate()
        firstPassage?.deallocate()
        lossPath?.deallocate()
    }

    func tiles(ofGroup g: Int) -> [Tile] { groupTiles[g] }

    /// Visits every alive chain's coordinate k in group and tile order.
    private func forEachAlive(coordinate k: Int, _ body: (Double) -> Void) {
        for tiles in groupTiles {
            for tile in tiles {
                for c in 0..<tile.count where alive[tile.chains.lowerBound + c] != 0 {
                    body(x[tile.offset * dimension + k * tile.stride + c])
                }
            }
        }
    }

    /// The ensemble mean after burn-in (x* when every chain has diverged), summed as
    /// x* + mean(x − x*) in chain order.
    func centre() -> [Double] {
        (0..<dimension).map { k in
            let m = minimumPointer[k]
            var sum = 0.0, n = 0.0
            forEachAlive(coordinate: k) { v in sum += v - m; n += 1 }
            return n > 0 ? m + sum / n : m
        }
    }

    /// Histogram ranges from the ensemble at the end of burn-in: per coordinate the union of
    /// [min − w/4, max + w/4] (w = max − min) and mean ± 6 sd; ±1 around the value when the
    /// ensemble is a single point.
    func histogramRanges(countingBins: Int) -> [ClosedRange<Double>] {
        (0..<dimension).map { k in
            let m = minimumPointer[k]
            var lo = Double.infinity, hi = -Double.infinity, sum = 0.0, sumSquares = 0.0, n = 0.0
            forEachAlive(coordinate: k) { v in
                lo = Swift.min(lo, v); hi = Swift.max(hi, v)
                sum += v - m; sumSquares += (v - m) * (v - m); n += 1
            }
            guard n > 0 else { return (m - 1)...(m + 1) }
            let mean = sum / n + m
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

    // MARK: snapshots

    /// Group g's part of every array, at the end of `phase`.
    func snapshot(group g: Int, phase: GroupSnapshot.Phase, moments: GroupMoments?, histograms: HistogramCounts?) -> GroupSnapshot {
        let d = dimension, sv = stateVectors, chains = layout.chains(ofGroup: g)
        let n = chains.count, b = basinCount
        var xs = [Double](repeating: 0, count: n * d), states = [Double](repeating: 0, count: n * d * sv)
        for tile in groupTiles[g] {
            for c in 0..<tile.count {
                let row = tile.chains.lowerBound + c - chains.lowerBound
                for k in 0..<d { xs[row * d + k] = x[tile.offset * d + k * tile.stride + c] }
                for s in 0..<sv {
                    for k in 0..<d { states[(row * sv + s) * d + k] = optimizerState[tile.offset * d * sv + (s * d + k) * tile.stride + c] }
                }
            }
        }
        let k = observation.timeseriesSteps.count, w = timeseriesLayout.width
        let traced = chains.clamped(to: 0..<traceChains)
        let steps = recording.steps
        let draws = recording.draws
        let diagnosticChains = observation.diagnosticChains.filter { chains.contains($0) }
        return GroupSnapshot(
            phase: phase, group: g, chains: chains, x: xs, state: states,
            alive: Array(UnsafeBufferPointer(start: alive + chains.lowerBound, count: n)),
            divergenceSteps: Array(UnsafeBufferPointer(start: divergenceStep + chains.lowerBound, count: n)),
            basinStart: basinStart.map { Array(UnsafeBufferPointer(start: $0 + chains.lowerBound, count: n)) } ?? [],
            firstPassage: firstPassage.map { Array(UnsafeBufferPointer(start: $0 + chains.lowerBound * b, count: n * b)) } ?? [],
            timeseries: Array(UnsafeBufferPointer(start: timeseries + g * k * w, count: k * w)),
            trace: trace.map { Array(UnsafeBufferPointer(start: $0 + traced.lowerBound * steps * d, count: traced.count * steps * d)) } ?? [],
            centre: phase == .burnIn ? [] : Array(UnsafeBufferPointer(start: shiftPointer, count: d)),
            moments: moments, histograms: histograms,
            diagnostics: phase == .burnIn ? [] : diagnosticDraws.map { draws in
                diagnosticChains.flatMap { c in
                    let row = diagnosticSlot![c] * diagnosticDrawsPerChain * d
                    return Array(UnsafeBufferPointer(start: draws + row, count: diagnosticDrawsPerChain * d))
                }
            } ?? [],
            allIterates: phase == .recording
                ? allIterates.map { Array(UnsafeBufferPointer(start: $0 + chains.lowerBound * draws * d, count: n * draws * d)) } ?? []
                : [],
            lossPath: lossPath.map { Array(UnsafeBufferPointer(start: $0 + g * steps, count: steps)) } ?? []
        )
    }

    /// Whether a snapshot has the shapes of group g of this ensemble.
    func fits(_ s: GroupSnapshot) -> Bool {
        guard s.group >= 0, s.group < layout.groups, s.chains == layout.chains(ofGroup: s.group) else { return false }
        let n = s.chains.count, d = dimension, b = basinCount
        let traced = s.chains.clamped(to: 0..<traceChains).count
        let diagnostics = observation.diagnosticChains.filter { s.chains.contains($0) }.count
        return s.x.count == n * d && s.state.count == n * d * stateVectors && s.alive.count == n
            && s.divergenceSteps.count == n && s.basinStart.count == (b > 0 ? n : 0) && s.firstPassage.count == n * b
            && s.timeseries.count == observation.timeseriesSteps.count * timeseriesLayout.width
            && s.trace.count == (trace == nil ? 0 : traced * recording.steps * d)
            && s.diagnostics.count == (s.phase == .recording && diagnosticDraws != nil ? diagnostics * diagnosticDrawsPerChain * d : 0)
            && s.allIterates.count == (s.phase == .recording && allIterates != nil ? n * recording.draws * d : 0)
            && s.lossPath.count == (lossPath == nil ? 0 : recording.steps)
    }

    /// Puts group g back as the snapshot has it.
    func restore(_ s: GroupSnapshot) {
        let d = dimension, sv = stateVectors, chains = s.chains, b = basinCount
        for tile in groupTiles[s.group] {
            for c in 0..<tile.count {
                let row = tile.chains.lowerBound + c - chains.lowerBound
                for k in 0..<d { x[tile.offset * d + k * tile.stride + c] = s.x[row * d + k] }
                for st in 0..<sv {
                    for k in 0..<d { optimizerState[tile.offset * d * sv + (st * d + k) * tile.stride + c] = s.state[(row * sv + st) * d + k] }
                }
            }
        }
        (alive + chains.lowerBound).update(from: s.alive, count: chains.count)
        (divergenceStep + chains.lowerBound).update(from: s.divergenceSteps, count: chains.count)
        basinStart.map { ($0 + chains.lowerBound).update(from: s.basinStart, count: chains.count) }
        firstPassage.map { ($0 + chains.lowerBound * b).update(from: s.firstPassage, count: chains.count * b) }
        let k = observation.timeseriesSteps.count, w = timeseriesLayout.width
        (timeseries + s.group * k * w).update(from: s.timeseries, count: k * w)
        if let trace {
            let traced = chains.clamped(to: 0..<traceChains)
            (trace + traced.lowerBound * recording.steps * d).update(from: s.trace, count: s.trace.count)
        }
        if let diagnosticDraws, !s.diagnostics.isEmpty {
            var offset = 0
            for c in observation.diagnosticChains where chains.contains(c) {
                let count = diagnosticDrawsPerChain * d
                (diagnosticDraws + diagnosticSlot![c] * count).update(from: Array(s.diagnostics[offset..<(offset + count)]), count: count)
                offset += count
            }
        }
        if let allIterates, !s.allIterates.isEmpty {
            (allIterates + chains.lowerBound * recording.draws * d).update(from: s.allIterates, count: s.allIterates.count)
        }
        if let lossPath { (lossPath + s.group * recording.steps).update(from: s.lossPath, count: recording.steps) }
    }

    // MARK: result

    func result(moments: [GroupMoments], histograms: HistogramCounts, traceLearningRates: [Double]?,
                basinMinima: [[Double]]) -> CloudAccumulation {
        let d = dimension
        let steps = Array(UnsafeBufferPointer(start: divergenceStep, count: layout.chains))
        var finals = [Double](repeating: .nan, count: layout.chains * d)
        for tiles in groupTiles {
            for tile in tiles {
                for c in 0..<tile.count where alive[tile.chains.lowerBound + c] != 0 {
                    for k in 0..<d { finals[(tile.chains.lowerBound + c) * d + k] = x[tile.offset * d + k * tile.stride + c] }
                }
            }
        }
        let k = observation.timeseriesSteps.count
        let series = EnsembleTimeseries(
            steps: observation.timeseriesSteps, layout: timeseriesLayout, groups: layout.groups,
            values: Array(UnsafeBufferPointer(start: timeseries, count: layout.groups * k * timeseriesLayout.width)))
        let diagnostics = diagnosticDraws.map { draws in
            DiagnosticDraws(chains: observation.diagnosticChains, drawsPerChain: diagnosticDrawsPerChain,
                            stride: observation.diagnosticStride,
                            values: Array(UnsafeBufferPointer(start: draws, count: observation.diagnosticChains.count * diagnosticDrawsPerChain * d)))
        }
        var basins: BasinRecord? = nil
        if let basinStart, let firstPassage {
            basins = BasinRecord(
                minima: basinMinima, start: Array(UnsafeBufferPointer(start: basinStart, count: layout.chains)),
                firstPassage: Array(UnsafeBufferPointer(start: firstPassage, count: layout.chains * basinCount)))
        }
        return CloudAccumulation(
            dimension: d, layout: layout, recording: recording,
            minimum: Array(UnsafeBufferPointer(start: minimumPointer, count: d)),
            shift: Array(UnsafeBufferPointer(start: shiftPointer, count: d)), groups: moments,
            histograms: histograms, divergedChains: steps.reduce(0) { $0 + ($1 != 0 ? 1 : 0) },
            divergenceSteps: steps, finalIterates: finals,
            allIterates: allIterates.map { Array(UnsafeBufferPointer(start: $0, count: layout.chains * recording.draws * d)) },
            trace: trace.map { Array(UnsafeBufferPointer(start: $0, count: traceChains * recording.steps * d)) },
            traceLearningRates: traceLearningRates, timeseries: series, diagnostics: diagnostics, basins: basins,
            lossPath: lossPath.map { Array(UnsafeBufferPointer(start: $0, count: layout.groups * recording.steps)) }
        )
    }
}
