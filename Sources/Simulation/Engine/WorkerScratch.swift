/// One worker's preallocated buffers: everything a step needs, so the hot loop never allocates.
final class WorkerScratch: @unchecked Sendable {
    static let chunk = 256

    let dimension: Int
    let stateVectors: Int
    let tileSize: Int
    let basins: Int
    let plan: HistogramPlan
    let gradient: UnsafeMutablePointer<Double>
    let noise: UnsafeMutablePointer<Double>
    let perChain: UnsafeMutablePointer<Double>
    let learningRates: UnsafeMutablePointer<Double>
    let centered: UnsafeMutablePointer<Double>
    /// x before the update, and (x_{t−1} − shift)·g_t per chain: the fluctuation–dissipation terms.
    let previous: UnsafeMutablePointer<Double>
    let fdrDot: UnsafeMutablePointer<Double>
    /// A row of per-chain temporaries: each user fills it before reading it.
    let rowScratch: UnsafeMutablePointer<Double>
    /// f per chain (timeseries) and the basin of every chain of the tile.
    let values: UnsafeMutablePointer<Double>
    let basin: UnsafeMutablePointer<Int>
    // Snapshot of a tile at the start of recording, for the replay after a divergence.
    let savedX: UnsafeMutablePointer<Double>
    let savedState: UnsafeMutablePointer<Double>
    // Tile-local sums; folded into the group only once the tile is known to be clean.
    let tileSums: UnsafeMutablePointer<Double>
    let tileSumsSize: Int
    let tileCounts: UnsafeMutablePointer<Int>
    let tileCountsSize: Int
    /// The worker's histogram totals over all the groups it has finished.
    var histograms: HistogramCounts?
    /// The counts of the group being recorded.
    var groupHistograms: HistogramCounts?
    /// Per coordinate: lower end of the counting range and counting bins per unit.
    let histogramLower: UnsafeMutablePointer<Double>
    let histogramScale: UnsafeMutablePointer<Double>
    /// The worker's normal draws: generator states of the tile being stepped.
    let normals: NormalSource

    init(dimension: Int, stateVectors: Int, basins: Int, plan: HistogramPlan, layout: ChainLayout, generator: Philox4x32) {
        self.dimension = dimension
        self.stateVectors = stateVectors
        self.basins = basins
        tileSize = layout.tileSize
        self.plan = plan
        let block = tileSize * dimension
        func buffer(_ count: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, count))
            p.initialize(repeating: 0, count: Swift.max(1, count))
            return p
        }
        gradient = buffer(block)
        noise = buffer(block)
        centered = buffer(block)
        previous = buffer(block)
        perChain = buffer(tileSize)
        fdrDot = buffer(tileSize)
        rowScratch = buffer(tileSize)
        values = buffer(tileSize)
        basin = .allocate(capacity: tileSize)
        basin.initialize(repeating: 0, count: tileSize)
        learningRates = buffer(Self.chunk)
        savedX = buffer(block)
        savedState = buffer(block * stateVectors)
        tileSumsSize = TileAccumulator.size(dimension: dimension, basins: basins)
        tileSums = buffer(tileSumsSize)
        tileCountsSize = plan.isActive ? dimension * (plan.countingBins + 2) + plan.pairs.count * plan.pairBins * plan.pairBins : 0
        tileCounts = .allocate(capacity: Swift.max(1, tileCountsSize))
        tileCounts.initialize(repeating: 0, count: Swift.max(1, tileCountsSize))
        histogramLower = buffer(dimension)
        histogramScale = buffer(dimension)
        normals = NormalSource(generator: generator, capacity: tileSize)
    }

    func deallocate() {
        for p in [gradient, noise, centered, previous, perChain, fdrDot, rowScratch, values, learningRates, savedX, savedState, tileSums,
                  histogramLower, histogramScale] { p.deallocate() }
        basin.deallocate()
        tileCounts.deallocate()
    }

    func startRecording(histograms: HistogramCounts) {
        self.histograms = histograms
        for (k, range) in histograms.ranges.enumerated() {
            histogramLower[k] = range.lowerBound
            histogramScale[k] = 1 / (range.upperBound - range.lowerBound)
        }
    }

    /// Empty counts for the next group.
    func startGroup() {
        guard let histograms else { return }
        groupHistograms = HistogramCounts(plan: histograms.plan, ranges: histograms.ranges)
    }

    /// Adds the finished group's counts to the worker's totals.
    func finishGroup() {
        if let group = groupHistograms { histograms!.add(group) }
    }

    func snapshot(_ tile: Tile, state: EnsembleState) {
        let block = tile.stride * dimension
        savedX.update(from: state.x + tile.offset * dimension, count: block)
        if stateVectors > 0 {
            savedState.update(from: state.optimizerState + tile.offset * dimension * stateVectors, count: block * stateVectors)
        }
    }

    /// Puts a tile back as it was at the start of recording; chains that have diverged since
    /// stay marked as diverged.
    func restore(_ tile: Tile, state: EnsembleState) {
        let block = tile.stride * dimension
        (state.x + tile.offset * dimension).update(from: savedX, count: block)
        if stateVectors > 0 {
            (state.optimizerState + tile.offset * dimension * stateVectors).update(from: savedState, count: block * stateVectors)
        }
    }

    func countDiverged(_ tile: Tile, state: EnsembleState) -> Int {
        var n = 0
        for c in tile.chains where state.alive[c] == 0 { n += 1 }
        return n
    }
}

/// The sums of one tile over its recorded steps, in the worker's scratch buffers.
struct TileAccumulator {
    private let sums: UnsafeMutablePointer<Double>
    private let counts: UnsafeMutablePointer<Int>
    private let dimension: Int
    private let basins: Int

    init(scratch: WorkerScratch) {
        sums = scratch.tileSums
        counts = scratch.tileCounts
        dimension = scratch.dimension
        basins = scratch.basins
        sums.update(repeating: 0, count: scratch.tileSumsSize)
        counts.update(repeating: 0, count: Swift.max(1, scratch.tileCountsSize))
    }

    /// Layout of the sums: [count | sum d | cube d | fourth d | cross d·d | fdrCross | fdrStep | basins].
    static func size(dimension d: Int, basins: Int) -> Int { 1 + d * (d + 3) + 2 + basins }

    private var sum: UnsafeMutablePointer<Double> { sums + 1 }
    private var cube: UnsafeMutablePointer<Double> { sums + 1 + dimension }
    private var fourth: UnsafeMutablePointer<Double> { sums + 1 + 2 * dimension }
    private var cross: UnsafeMutablePointer<Double> { sums + 1 + 3 * dimension }
    private var fdr: UnsafeMutablePointer<Double> { sums + 1 + dimension * (dimension + 3) }
    private var basinCounts: UnsafeMutablePointer<Double> { sums + 3 + dimension * (dimension + 3) }

    @inline(__always)
    mutating func add(
        x: UnsafeMutablePointer<Double>, alive: UnsafeMutablePointer<Double>, stride: Int, count n: Int,
        step t: Int, firstChain: Int, plan: SimulationPlan, state: EnsembleState, scratch: WorkerScratch
    ) {
        let d = dimension
        let y = scratch.centered
        let shift = state.shiftPointer
        sums[0] += LaneSums.sum(alive, count: n)
        for k in 0..<d {
            let xk = x + k * stride, yk = y + k * stride, m = shift[k]
            for c in 0..<n { yk[c] = (xk[c] - m) * alive[c] }
            sum[k] += LaneSums.sum(yk, count: n)
            if plan.higherMoments {
                let (s3, s4) = LaneSums.cubesAndFourthPowers(yk, count: n)
                cube[k] += s3
                fourth[k] += s4
            }
        }
        if plan.covariance { LaneSums.addCrossProducts(y, stride: stride, dimension: d, count: n, into: cross) }
        if plan.observation.fluctuationDissipation {
            // |x_t − x_{t−1}|² per chain, then both sums over the alive chains.
            let before = scratch.previous, dots = scratch.fdrDot, step2 = scratch.rowScratch
            for c in 0..<n { step2[c] = 0 }
            for k in 0..<d {
                let xk = x + k * stride, bk = before + k * stride
                for c in 0..<n {
                    let delta = xk[c] - bk[c]
                    step2[c] += delta * delta
                }
            }
            fdr[0] += LaneSums.maskedSum(dots, where: alive, count: n)
            fdr[1] += LaneSums.maskedSum(step2, where: alive, count: n)
        }
        if basins > 0 {
            for c in 0..<n where alive[c] != 0 { basinCounts[scratch.basin[c]] += 1 }
        }
        if scratch.plan.isActive { addHistograms(x: x, alive: alive, stride: stride, count: n, scratch: scratch) }
        let draw = (t - state.recording.burnIn) / state.recording.thin - 1
        if let all = state.allIterates {
            let draws = state.recording.draws
            for c in 0..<n {
                let base = ((firstChain + c) * draws + draw) * d
                for k in 0..<d { all[base + k] = alive[c] != 0 ? x[k * stride + c] : .nan }
            }
        }
        if let slots = state.diagnosticSlot, let stored = state.diagnosticDraws, (draw + 1) % plan.observation.diagnosticStride == 0 {
            let kept = (draw + 1) / plan.observation.diagnosticStride - 1
            if kept < state.diagnosticDrawsPerChain {
                let perChain = state.diagnosticDrawsPerChain
                for c in 0..<n {
                    let slot = slots[firstChain + c]
                    if slot < 0 { continue }
                    let base = (slot * perChain + kept) * d
                    for k in 0..<d { stored[base + k] = alive[c] != 0 ? x[k * stride + c] : .nan }
                }
            }
        }
    }

    @inline(__always)
    private func addHistograms(
        x: UnsafeMutablePointer<Double>, alive: UnsafeMutablePointer<Double>, stride: Int, count n: Int,
        scratch: WorkerScratch
    ) {
        let plan = scratch.plan
        let bins = plan.countingBins
        let d = dimension
        let lower = scratch.histogramLower, unit = scratch.histogramScale
        let top = Double(bins)
        for k in 0..<d {
            let lo = lower[k], scale = top * unit[k]
            // Row layout [below | bins… | above]: a position is clamped to [−1, bins] (NaN to
            // −1) and shifted by one, and a chain adds its alive flag (diverged chains sit at
            // the minimum, a finite point, and add 0): one increment a chain, no branch.
            let row = counts + k &* (bins &+ 2)
            let xk = x + k &* stride
            for c in 0..<n {
                let position = (xk[c] - lo) * scale
                let low = position >= 0 ? position : -1
                row[Int(low < top ? low : top) &+ 1] &+= alive[c] != 0 ? 1 : 0
            }
        }
        let pairBins = plan.pairBins
        let pairBase = counts + d * (bins + 2)
        for (p, pair) in plan.pairs.enumerated() {
            let lx = lower[pair.x], ly = lower[pair.y]
            let sx = Double(pairBins) * unit[pair.x], sy = Double(pairBins) * unit[pair.y]
            let cells = pairBase + p * pairBins * pairBins
            let xs = x + pair.x * stride, ys = x + pair.y * stride
            for c in 0..<n where alive[c] != 0 {
                let px = (xs[c] - lx) * sx, py = (ys[c] - ly) * sy
                if px >= 0, px < Double(pairBins), py >= 0, py < Double(pairBins) {
                    cells[Int(px) &* pairBins &+ Int(py)] &+= 1
                }
            }
        }
    }

    /// Adds this tile's sums to its group (fixed order) and its counts to the group's histograms.
    func merge(into moments: inout GroupMoments, histograms: inout HistogramCounts, scratch: WorkerScratch) {
        let d = dimension
        moments.count += sums[0]
        for k in 0..<d {
            moments.sum[k] += sum[k]
            moments.cube[k] += cube[k]
            moments.fourth[k] += fourth[k]
        }
        for i in 0..<(d * d) { moments.cross[i] += cross[i] }
        moments.fdrCross += fdr[0]
        moments.fdrStep += fdr[1]
        for b in 0..<basins { moments.basinCounts[b] += basinCounts[b] }
        guard histograms.plan.isActive else { return }
        let bins = histograms.plan.countingBins
        for k in 0..<d {
            let row = counts + k * (bins + 2)
            histograms.below[k] += row[0]
            for b in 0..<bins { histograms.counts[k * bins + b] += row[b + 1] }
            histograms.above[k] += row[bins + 1]
        }
        let cells = histograms.pairCounts.count
        let pairBase = counts + d * (bins + 2)
        for i in 0..<cells { histograms.pairCounts[i] += pairBase[i] }
    }
}
