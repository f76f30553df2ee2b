import Dispatch
import Synchronization

/// Runs many independent chains of one optimizer and streams their iterates into
/// accumulators.
///
/// Specialise per element, dispatch per tile: the objective, the noise model and the
/// optimizer are called once per tile of up to 64 chains and step (`ChainLayout`), and each
/// runs its own loops over the tile's coordinates and chains as code compiled for its
/// concrete type. So the engine is compiled once, not once per combination of catalogue
/// entries, and its hot loop — gradient, noise, clipping, weight decay, update, divergence
/// check, observations — allocates and locks nothing. Runs in two phases: burn-in, then
/// (once histogram ranges are fixed from the burn-in ensemble) the recorded steps. Results
/// are bit-identical for any number of threads: the random numbers are addressed by
/// (chain, step), and floating-point sums are formed per replicate group in a fixed order
/// (see `ChainLayout`).
public struct Simulator: Sendable {
    public let objective: any Objective
    public let noise: any GradientNoise
    public let optimizer: any Optimizer
    /// Applied to the tile before the optimizer's rule, when the optimizer's entry declares it.
    public let weightDecay: WeightDecay?
    public let schedule: any Schedule
    public let clip: GradientClip
    public let clipStage: ClipStage
    public let normals: NormalStream
    public let plan: SimulationPlan
    /// d, and whether the noise forms the whole stochastic gradient: asked once, not per step.
    let dimension: Int
    let noiseReplacesGradient: Bool

    public init(
        objective: any Objective, noise: any GradientNoise, optimizer: any Optimizer, weightDecay: WeightDecay? = nil,
        schedule: any Schedule, clip: GradientClip, clipStage: ClipStage = .gradient, normals: NormalStream,
        plan: SimulationPlan
    ) {
        precondition(objective.dimension == noise.dimension, "noise dimension must match the objective")
        precondition(weightDecay.map { $0.values.count == objective.dimension } ?? true,
                     "one weight decay per coordinate")
        self.objective = objective
        self.noise = noise
        self.optimizer = optimizer
        self.weightDecay = weightDecay
        self.schedule = schedule
        self.clip = clip
        self.clipStage = clipStage
        self.normals = normals
        self.plan = plan
        dimension = objective.dimension
        noiseReplacesGradient = noise.replacesGradient
    }

    /// Runs every chain; nil when `progress` cancelled the run.
    ///
    /// - Parameters:
    ///   - threads: worker threads; the result does not depend on it.
    ///   - progress: counts chain·steps and can cancel the run.
    ///   - checkpoint: receives each group's snapshot when the group finishes a phase.
    ///   - resume: snapshots of an earlier, interrupted run of the same simulation; their
    ///     groups are restored instead of simulated, so the result is bit-identical to an
    ///     uninterrupted run. Snapshots whose shapes do not fit are ignored (simulated anew).
    public func run(threads: Int, progress: RunProgress? = nil, checkpoint: (any SimulationCheckpoint)? = nil,
                    resume: SimulationResume? = nil) -> CloudAccumulation? {
        let state = EnsembleState(simulator: self)
        defer { state.deallocate() }
        let groups = state.layout.groups
        let workers = Swift.max(1, Swift.min(threads, groups))
        let scratch = (0..<workers).map { _ in
            WorkerScratch(dimension: dimension, stateVectors: optimizer.stateVectors, basins: state.basinCount,
                          plan: plan.histograms, layout: state.layout, generator: normals.generator)
        }
        defer { scratch.forEach { $0.deallocate() } }
        let burnInSnapshots = (resume?.burnIn ?? []).filter { $0.phase == .burnIn && state.fits($0) }
        var burnedIn = [Bool](repeating: false, count: groups)
        for snapshot in burnInSnapshots where !burnedIn[snapshot.group] {
            state.restore(snapshot)
            burnedIn[snapshot.group] = true
            progress?.advance(by: snapshot.chains.count * plan.recording.burnIn)
        }

        let pendingBurnIn = (0..<groups).filter { !burnedIn[$0] }
        parallel(pendingBurnIn, workers: workers) { worker, group in
            self.burnIn(group: group, state: state, scratch: scratch[worker], progress: progress)
            if progress?.isCancelled != true {
                checkpoint?.completed(state.snapshot(group: group, phase: .burnIn, moments: nil, histograms: nil))
            }
        }
        if progress?.isCancelled == true { return nil }

        let bins = plan.histograms.countingBins
        let ranges = plan.histograms.ranges.map { $0.map { EnsembleState.resolvable($0, bins: bins) } }
            ?? state.histogramRanges(countingBins: bins)
        let centre = state.centre()
        state.shiftPointer.update(from: centre, count: dimension)
        var moments = [GroupMoments](repeating: GroupMoments(dimension: dimension, basins: state.basinCount), count: groups)
        var restored = HistogramCounts(plan: plan.histograms, ranges: ranges)
        var recorded = [Bool](repeating: false, count: groups)
        // Recorded groups only count when every group's post-burn-in state came back with them.
        if burnInSnapshots.count == groups {
            for snapshot in resume?.recording ?? [] where snapshot.phase == .recording && state.fits(snapshot)
                && !recorded[snapshot.group] && snapshot.histograms?.ranges == ranges && snapshot.moments != nil
                && snapshot.centre.map(\.bitPattern) == centre.map(\.bitPattern) {
                state.restore(snapshot)
                moments[snapshot.group] = snapshot.moments!
                restored.add(snapshot.histograms!)
                recorded[snapshot.group] = true
                progress?.advance(by: snapshot.chains.count * (plan.recording.steps - plan.recording.burnIn))
            }
        }
        for s in scratch { s.startRecording(histograms: HistogramCounts(plan: plan.histograms, ranges: ranges)) }
        let pendingRecording = (0..<groups).filter { !recorded[$0] }
        moments.withUnsafeMutableBufferPointer { slots in
            let slots = SendableBuffer(slots)
            parallel(pendingRecording, workers: workers) { worker, group in
                let result = self.record(group: group, state: state, scratch: scratch[worker], progress: progress)
                slots.base[group] = result
                if progress?.isCancelled != true {
                    checkpoint?.completed(state.snapshot(group: group, phase: .recording, moments: result,
                                                         histograms: scratch[worker].groupHistograms))
                }
            }
        }
        if progress?.isCancelled == true { return nil }

        var merged = restored
        for s in scratch { merged.add(s.histograms!) }
        let learningRates = state.trace == nil ? nil : (1...plan.recording.steps).map { schedule.learningRate(update: $0) }
        return state.result(moments: moments, histograms: merged, traceLearningRates: learningRates,
                            basinMinima: state.basinCount > 0 ? objective.basinMinima : [])
    }

    /// Hands the groups to the workers, in order, one at a time.
    private func parallel(_ groups: [Int], workers: Int, _ body: @escaping @Sendable (Int, Int) -> Void) {
        guard !groups.isEmpty else { return }
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: Swift.min(workers, groups.count)) { worker in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                if index >= groups.count { break }
                body(worker, groups[index])
            }
        }
    }

    // MARK: phases

    private func burnIn(group: Int, state: EnsembleState, scratch: WorkerScratch, progress: RunProgress?) {
        for tile in state.tiles(ofGroup: group) {
            if progress?.isCancelled == true { return }
            initialize(tile, state: state, scratch: scratch)
            advance(tile, group: group, from: 1, through: plan.recording.burnIn, state: state, scratch: scratch,
                    accumulator: nil, observe: true, progress: progress)
        }
    }

    private func record(group: Int, state: EnsembleState, scratch: WorkerScratch, progress: RunProgress?) -> GroupMoments {
        var moments = GroupMoments(dimension: dimension, basins: state.basinCount)
        let recording = plan.recording
        scratch.startGroup()
        for tile in state.tiles(ofGroup: group) {
            if progress?.isCancelled == true { break }
            scratch.snapshot(tile, state: state)
            var tileMoments = TileAccumulator(scratch: scratch)
            let before = scratch.countDiverged(tile, state: state)
            advance(tile, group: group, from: recording.burnIn + 1, through: recording.steps, state: state, scratch: scratch,
                    accumulator: &tileMoments, observe: true, progress: progress)
            if scratch.countDiverged(tile, state: state) != before {
                // A chain diverged while being recorded: replay the tile without it, so it
                // leaves no trace in the cloud. Chains are independent, so the others repeat
                // their trajectories exactly. Timeseries and first passages were taken in the
                // first pass (over the chains alive at each step) and are not taken again.
                scratch.restore(tile, state: state)
                tileMoments = TileAccumulator(scratch: scratch)
                advance(tile, group: group, from: recording.burnIn + 1, through: recording.steps, state: state,
                        scratch: scratch, accumulator: &tileMoments, observe: false, progress: nil)
            }
            tileMoments.merge(into: &moments, histograms: &scratch.groupHistograms!, scratch: scratch)
        }
        scratch.finishGroup()
        return moments
    }

    private func initialize(_ tile: Tile, state: EnsembleState, scratch: WorkerScratch) {
        let d = dimension, stride = tile.stride, n = tile.count
        let x = state.x + tile.offset * d
        switch plan.initial {
        case .point(let at):
            for k in 0..<d { for c in 0..<n { x[k * stride + c] = at[k] } }
        case .gaussian(let mean, let std):
            scratch.normals.fill(x, stride: stride, count: n, dimension: d, firstChain: tile.chains.lowerBound,
                                 step: 0, purpose: .initialization)
            for k in 0..<d { for c in 0..<n { x[k * stride + c] = mean[k] + std[k] * x[k * stride + c] } }
        }
        optimizer.initializeState(state.optimizerState + tile.offset * d * optimizer.stateVectors,
                                  stride: stride, count: n, dimension: d)
        for c in 0..<n { state.alive[tile.chains.lowerBound + c] = 1 }
        if let start = state.basinStart, let passage = state.firstPassage {
            objective.classifyBasins(UnsafePointer(x), stride: stride, count: n, into: scratch.basin)
            let b = state.basinCount
            for c in 0..<n {
                let chain = tile.chains.lowerBound + c
                start[chain] = scratch.basin[c]
                passage[chain * b + scratch.basin[c]] = 0
            }
        }
    }

    /// Steps first...last of one tile: the hot loop, one call per concern and step. `observe`
    /// takes the timeseries and first passages (not in a replay).
    private func advance(
        _ tile: Tile, group: Int, from first: Int, through last: Int, state: EnsembleState, scratch: WorkerScratch,
        accumulator: UnsafeMutablePointer<TileAccumulator>?, observe: Bool, progress: RunProgress?
    ) {
        guard first <= last else { return }
        let x = state.x + tile.offset * dimension
        let optimizerState = state.optimizerState + tile.offset * dimension * state.stateVectors
        let lrs = scratch.learningRates
        let chunk = WorkerScratch.chunk
        let fdr = plan.observation.fluctuationDissipation && accumulator != nil
        let decay = weightDecay.flatMap { $0.isZero ? nil : $0 }
        let series = plan.observation.timeseriesSteps
        var nextSeries = observe ? Self.firstIndex(in: series, atLeast: first) : series.count
        var chunkStart = first
        while chunkStart <= last {
            let chunkEnd = Swift.min(last, chunkStart + chunk - 1)
            for t in chunkStart...chunkEnd { lrs[t - chunkStart] = schedule.learningRate(update: t) }
            for t in chunkStart...chunkEnd {
                let isRecorded = accumulator != nil && plan.recording.isRecorded(t)
                stochasticGradient(tile, x: x, step: t, scratch: scratch)
                update(tile, x: x, state: optimizerState, decay: decay, step: t, lr: lrs[t - chunkStart],
                       fluctuationTerms: fdr && isRecorded, ensemble: state, scratch: scratch)
                checkDivergence(tile, x: x, state: optimizerState, step: t, ensemble: state, flags: scratch.perChain)
                let isSeries = nextSeries < series.count && series[nextSeries] == t
                observeStep(tile, group: group, x: x, step: t, isRecorded: isRecorded, observe: observe,
                            series: isSeries ? nextSeries : nil, accumulator: accumulator, state: state, scratch: scratch)
                if isSeries { nextSeries += 1 }
            }
            progress?.advance(by: (chunkEnd - chunkStart + 1) * tile.count)
            if progress?.isCancelled == true { return }
            chunkStart = chunkEnd + 1
        }
    }

    /// g ← ∇f(x) + ξ for the tile at update `step`: the objective's gradient (zeros when the
    /// noise model forms the whole stochastic gradient), then the noise.
    @inline(__always)
    private func stochasticGradient(_ tile: Tile, x: UnsafeMutablePointer<Double>, step: Int, scratch: WorkerScratch) {
        let g = scratch.gradient, stride = tile.stride, n = tile.count
        if noiseReplacesGradient {
            g.update(repeating: 0, count: dimension * stride)
        } else {
            objective.gradient(UnsafePointer(x), into: g, stride: stride, count: n)
        }
        noise.perturb(g, x: UnsafePointer(x), stride: stride, count: n, firstChain: tile.chains.lowerBound,
                      step: UInt32(truncatingIfNeeded: step), normals: scratch.normals, scratch: scratch.noise)
    }

    /// The optimizer's step of the tile: clipping of the gradient (or of the update Δx, by
    /// `clipStage`), the fluctuation–dissipation terms when they are recorded, weight decay,
    /// then the rule.
    @inline(__always)
    private func update(
        _ tile: Tile, x: UnsafeMutablePointer<Double>, state optimizerState: UnsafeMutablePointer<Double>,
        decay: WeightDecay?, step: Int, lr: Double, fluctuationTerms: Bool, ensemble: EnsembleState, scratch: WorkerScratch
    ) {
        let d = dimension, stride = tile.stride, n = tile.count
        let g = scratch.gradient, z = scratch.noise, perChain = scratch.perChain
        let context = OptimizerTile(x: x, g: g, state: optimizerState, stride: stride, count: n, dimension: d,
                                    firstChain: tile.chains.lowerBound, step: step, lr: lr, normals: scratch.normals)
        if clipStage == .gradient {
            clip.apply(g, stride: stride, count: n, dimension: d, scratch: perChain)
            if fluctuationTerms { self.fluctuationTerms(x: x, gradient: g, stride: stride, count: n, state: ensemble, scratch: scratch) }
            decay?.apply(context)
            optimizer.update(context)
        } else {
            // Clip the update Δx = x_new − x_old instead; z is free once the noise is added.
            if fluctuationTerms { self.fluctuationTerms(x: x, gradient: g, stride: stride, count: n, state: ensemble, scratch: scratch) }
            z.update(from: x, count: d * stride)
            decay?.apply(context)
            optimizer.update(context)
            for i in 0..<(d * stride) { g[i] = x[i] - z[i] }
            clip.apply(g, stride: stride, count: n, dimension: d, scratch: perChain)
            for i in 0..<(d * stride) { x[i] = z[i] + g[i] }
        }
    }

    /// What a step leaves behind: the trace, basins and first passages, the timeseries record
    /// `series` (when this step is one) and the recorded moments.
    @inline(__always)
    private func observeStep(
        _ tile: Tile, group: Int, x: UnsafeMutablePointer<Double>, step t: Int, isRecorded: Bool, observe: Bool, series: Int?,
        accumulator: UnsafeMutablePointer<TileAccumulator>?, state: EnsembleState, scratch: WorkerScratch
    ) {
        let d = dimension, stride = tile.stride, n = tile.count, firstChain = tile.chains.lowerBound
        let alive = state.alive + firstChain
        if let trace = state.trace, firstChain < state.traceChains {
            let steps = plan.recording.steps
            for c in 0..<Swift.min(n, state.traceChains - firstChain) {
                let base = ((firstChain + c) * steps + t - 1) * d
                // A diverged chain's path is kept up to its divergence, also in a replay.
                let divergedAt = state.divergenceStep[firstChain + c]
                let onPath = alive[c] != 0 || t < divergedAt
                for k in 0..<d { trace[base + k] = onPath ? x[k * stride + c] : .nan }
            }
        }
        let basins = state.basinCount
        if basins > 0 && (observe || isRecorded) {
            objective.classifyBasins(UnsafePointer(x), stride: stride, count: n, into: scratch.basin)
            if observe, let passage = state.firstPassage {
                for c in 0..<n where alive[c] != 0 {
                    let slot = (firstChain + c) * basins + scratch.basin[c]
                    if passage[slot] < 0 { passage[slot] = t }
                }
            }
        }
        if let series {
            observeEnsemble(x: x, alive: alive, tile: tile, group: group, index: series, state: state, scratch: scratch)
        }
        if observe, let path = state.lossPath {
            objective.values(UnsafePointer(x), stride: stride, count: n, into: scratch.values)
            path[group * plan.recording.steps + t - 1] += LaneSums.maskedSum(scratch.values, where: alive, count: n)
        }
        if let accumulator, isRecorded {
            accumulator.pointee.add(x: x, alive: alive, stride: stride, count: n, step: t,
                                    firstChain: firstChain, plan: plan, state: state, scratch: scratch)
        }
    }

    /// The index of the first of the ascending `steps` that is ≥ t.
    private static func firstIndex(in steps: [Int], atLeast t: Int) -> Int {
        var lo = 0, hi = steps.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if steps[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Keeps x_{t−1} and (x_{t−1} − shift)·g_t per chain before the update.
    @inline(__always)
    private func fluctuationTerms(x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>, stride: Int,
                                  count n: Int, state: EnsembleState, scratch: WorkerScratch) {
        let d = dimension
        scratch.previous.update(from: x, count: d * stride)
        let dots = scratch.fdrDot, shift = state.shiftPointer
        for c in 0..<n { dots[c] = 0 }
        for k in 0..<d {
            let xk = x + k * stride, gk = g + k * stride, m = shift[k]
            for c in 0..<n { dots[c] += (xk[c] - m) * gk[c] }
        }
    }

    /// Adds one tile's alive chains to group `group`'s timeseries record `index`. Expects
    /// `scratch.basin` to hold the tile's basins when basins are tracked. Loops run over the
    /// chains of a row (structure of arrays); per-chain quantities go through scratch rows.
    private func observeEnsemble(x: UnsafeMutablePointer<Double>, alive: UnsafeMutablePointer<Double>, tile: Tile, group: Int,
                                 index: Int, state: EnsembleState, scratch: WorkerScratch) {
        let d = dimension, stride = tile.stride, n = tile.count
        let layout = state.timeseriesLayout
        let record = state.timeseries + (group * plan.observation.timeseriesSteps.count + index) * layout.width
        let minimum = state.minimumPointer, y = scratch.centered, values = scratch.values, perChain = scratch.rowScratch
        objective.values(UnsafePointer(x), stride: stride, count: n, into: values)
        record[layout.alive] += LaneSums.sum(alive, count: n)
        record[layout.loss] += LaneSums.maskedSum(values, where: alive, count: n)
        for c in 0..<n { perChain[c] = 0 }
        for k in 0..<d {
            let xk = x + k * stride, yk = y + k * stride, m = minimum[k]
            for c in 0..<n {
                let v = xk[c] - m
                yk[c] = v
                perChain[c] += v * v
            }
            record[layout.sum(k)] += LaneSums.maskedSum(yk, where: alive, count: n)
            record[layout.square(k)] += LaneSums.maskedSumOfSquares(yk, where: alive, count: n)
        }
        for c in 0..<n { perChain[c] = perChain[c].squareRoot() }
        record[layout.distance] += LaneSums.maskedSum(perChain, where: alive, count: n)
        for j in 0..<layout.directions {
            let u = state.directions + j * d
            for c in 0..<n { perChain[c] = 0 }
            for k in 0..<d {
                let yk = y + k * stride, ujk = u[k]
                for c in 0..<n { perChain[c] += ujk * yk[c] }
            }
            record[layout.direction(j)] += LaneSums.maskedSumOfSquares(perChain, where: alive, count: n)
        }
        if layout.basins > 0 {
            for c in 0..<n where alive[c] != 0 { record[layout.basin(scratch.basin[c])] += 1 }
        }
    }

    /// Marks chains whose iterate or state left the bound (or is not finite) as diverged,
    /// and parks them at the minimum with zero state so they stay finite and out of the way.
    @inline(__always)
    private func checkDivergence(
        _ tile: Tile, x: UnsafeMutablePointer<Double>, state optimizerState: UnsafeMutablePointer<Double>, step: Int,
        ensemble state: EnsembleState, flags: UnsafeMutablePointer<Double>
    ) {
        let d = dimension, stride = tile.stride, n = tile.count, bound = plan.divergenceBound
        let stateRows = d * state.stateVectors
        let alive = state.alive + tile.chains.lowerBound
        // First one branch-free pass over the whole tile: almost always nothing diverged.
        var suspicious: UInt64 = 0
        for k in 0..<d {
            let xk = x + k * stride
            for c in 0..<n { suspicious |= xk[c].magnitude <= bound ? 0 : 1 }
        }
        for r in 0..<stateRows {
            let row = optimizerState + r * stride
            for c in 0..<n { suspicious |= row[c].magnitude <= .greatestFiniteMagnitude ? 0 : 1 }
        }
        if suspicious == 0 { return }
        for c in 0..<n { flags[c] = 0 }
        for k in 0..<d {
            let xk = x + k * stride
            for c in 0..<n where !(xk[c].magnitude <= bound) { flags[c] = 1 }
        }
        for r in 0..<stateRows {
            let row = optimizerState + r * stride
            for c in 0..<n where !row[c].isFinite { flags[c] = 1 }
        }
        let minimum = state.minimumPointer
        for c in 0..<n where flags[c] != 0 {
            let chain = tile.chains.lowerBound + c
            if alive[c] != 0 {
                alive[c] = 0
                state.divergenceStep[chain] = step
            }
            for k in 0..<d { x[k * stride + c] = minimum[k] }
            for r in 0..<stateRows { optimizerState[r * stride + c] = 0 }
        }
    }
}

/// A run of consecutive chains processed together; `offset` is its first slot in the
/// ensemble arrays (in units of chains), `stride` its capacity.
struct Tile {
    let chains: Range<Int>
    let offset: Int
    let stride: Int
    var count: Int { chains.count }
}

struct SendableBuffer<T>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<T>
    init(_ base: UnsafeMutableBufferPointer<T>) { self.base = base }
}
