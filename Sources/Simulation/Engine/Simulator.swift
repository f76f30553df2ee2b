import Dispatch
import Synchronization

/// Runs many independent chains of one optimizer and streams their iterates into
/// accumulators.
///
/// Generic over the objective, the noise and the optimizer, so the whole step — gradient,
/// noise, clipping, update, divergence check, accumulation — is specialised code over
/// structure-of-arrays tiles, with no dynamic dispatch, allocation or locking inside it.
/// Runs in two phases: burn-in, then (once histogram ranges are fixed from the burn-in
/// ensemble) the recorded steps. Results are bit-identical for any number of threads: the
/// random numbers are addressed by (chain, step), and floating-point sums are formed per
/// replicate group in a fixed order (see `ChainLayout`).
public struct Simulator<O: Objective, N: GradientNoise, P: Optimizer>: Sendable {
    public let objective: O
    public let noise: N
    public let optimizer: P
    public let schedule: any Schedule
    public let clip: GradientClip
    public let clipStage: ClipStage
    public let normals: NormalStream
    public let plan: SimulationPlan

    public init(
        objective: O, noise: N, optimizer: P, schedule: any Schedule, clip: GradientClip,
        clipStage: ClipStage = .gradient, normals: NormalStream, plan: SimulationPlan
    ) {
        precondition(objective.dimension == noise.dimension, "noise dimension must match the objective")
        self.objective = objective
        self.noise = noise
        self.optimizer = optimizer
        self.schedule = schedule
        self.clip = clip
        self.clipStage = clipStage
        self.normals = normals
        self.plan = plan
    }

    var dimension: Int { objective.dimension }

    /// Runs every chain; `progress` (if given) counts chain·steps and can cancel the run,
    /// in which case nil is returned.
    public func run(threads: Int, progress: RunProgress? = nil) -> CloudAccumulation? {
        let state = EnsembleState(simulator: self)
        defer { state.deallocate() }
        let workers = Swift.max(1, Swift.min(threads, state.layout.groups))
        let scratch = (0..<workers).map { _ in WorkerScratch(simulator: self, layout: state.layout) }
        defer { scratch.forEach { $0.deallocate() } }

        parallel(groups: state.layout.groups, workers: workers) { worker, group in
            self.burnIn(group: group, state: state, scratch: scratch[worker], progress: progress)
        }
        if progress?.isCancelled == true { return nil }

        let ranges = plan.histograms.ranges.map { $0.map { EnsembleState.resolvable($0, bins: plan.histograms.countingBins) } }
            ?? state.histogramRanges(minimum: objective.minimum, countingBins: plan.histograms.countingBins)
        var moments = [GroupMoments](repeating: GroupMoments(dimension: dimension), count: state.layout.groups)
        for s in scratch { s.startRecording(histograms: HistogramCounts(plan: plan.histograms, ranges: ranges)) }
        moments.withUnsafeMutableBufferPointer { slots in
            let slots = SendableBuffer(slots)
            parallel(groups: state.layout.groups, workers: workers) { worker, group in
                slots.base[group] = self.record(group: group, state: state, scratch: scratch[worker], progress: progress)
            }
        }
        if progress?.isCancelled == true { return nil }

        var merged = HistogramCounts(plan: plan.histograms, ranges: ranges)
        for s in scratch { merged.add(s.histograms!) }
        return state.result(moments: moments, histograms: merged, shift: objective.minimum)
    }

    private func parallel(groups: Int, workers: Int, _ body: @escaping @Sendable (Int, Int) -> Void) {
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                let group = next.add(1, ordering: .relaxed).oldValue
                if group >= groups { break }
                body(worker, group)
            }
        }
    }

    // MARK: phases

    private func burnIn(group: Int, state: EnsembleState, scratch: WorkerScratch, progress: RunProgress?) {
        for tile in state.tiles(ofGroup: group) {
            if progress?.isCancelled == true { return }
            initialize(tile, state: state)
            advance(tile, from: 1, through: plan.recording.burnIn, state: state, scratch: scratch,
                    accumulator: nil, progress: progress)
        }
    }

    private func record(group: Int, state: EnsembleState, scratch: WorkerScratch, progress: RunProgress?) -> GroupMoments {
        var moments = GroupMoments(dimension: dimension)
        let recording = plan.recording
        for tile in state.tiles(ofGroup: group) {
            if progress?.isCancelled == true { break }
            scratch.snapshot(tile, state: state)
            var tileMoments = TileAccumulator(scratch: scratch)
            let before = scratch.countDiverged(tile, state: state)
            advance(tile, from: recording.burnIn + 1, through: recording.steps, state: state, scratch: scratch,
                    accumulator: &tileMoments, progress: progress)
            if scratch.countDiverged(tile, state: state) != before {
                // A chain diverged while being recorded: replay the tile without it, so it
                // leaves no trace in the cloud. Chains are independent, so the others repeat
                // their trajectories exactly.
                scratch.restore(tile, state: state)
                tileMoments = TileAccumulator(scratch: scratch)
                advance(tile, from: recording.burnIn + 1, through: recording.steps, state: state, scratch: scratch,
                        accumulator: &tileMoments, progress: nil)
            }
            tileMoments.merge(into: &moments, histograms: &scratch.histograms!, scratch: scratch)
        }
        return moments
    }

    private func initialize(_ tile: Tile, state: EnsembleState) {
        let d = dimension, stride = tile.stride, n = tile.count
        let x = state.x + tile.offset * d
        switch plan.initial {
        case .point(let at):
            for k in 0..<d { for c in 0..<n { x[k * stride + c] = at[k] } }
        case .gaussian(let mean, let std):
            normals.fill(x, stride: stride, count: n, dimension: d, firstChain: tile.chains.lowerBound,
                         step: 0, purpose: .initialization)
            for k in 0..<d { for c in 0..<n { x[k * stride + c] = mean[k] + std[k] * x[k * stride + c] } }
        }
        optimizer.initializeState(state.optimizerState + tile.offset * d * optimizer.stateVectors,
                                  stride: stride, count: n, dimension: d)
        for c in 0..<n { state.alive[tile.chains.lowerBound + c] = 1 }
    }

    /// Steps first...last of one tile: the specialised hot loop.
    private func advance(
        _ tile: Tile, from first: Int, through last: Int, state: EnsembleState, scratch: WorkerScratch,
        accumulator: UnsafeMutablePointer<TileAccumulator>?, progress: RunProgress?
    ) {
        guard first <= last else { return }
        let d = dimension, stride = tile.stride, n = tile.count, firstChain = tile.chains.lowerBound
        let x = state.x + tile.offset * d
        let optimizerState = state.optimizerState + tile.offset * d * optimizer.stateVectors
        let alive = state.alive + firstChain
        let g = scratch.gradient, z = scratch.noise, perChain = scratch.perChain
        let lrs = scratch.learningRates
        let chunk = WorkerScratch.chunk
        var chunkStart = first
        while chunkStart <= last {
            let chunkEnd = Swift.min(last, chunkStart + chunk - 1)
            for t in chunkStart...chunkEnd { lrs[t - chunkStart] = schedule.learningRate(update: t) }
            for t in chunkStart...chunkEnd {
                if N.replacesGradient {
                    g.update(repeating: 0, count: d * stride)
                } else {
                    objective.gradient(UnsafePointer(x), into: g, stride: stride, count: n)
                }
                noise.perturb(g, x: UnsafePointer(x), stride: stride, count: n, firstChain: firstChain,
                              step: UInt32(truncatingIfNeeded: t), normals: normals, scratch: z)
                if clipStage == .gradient {
                    clip.apply(g, stride: stride, count: n, dimension: d, scratch: perChain)
                    optimizer.update(x, gradient: g, state: optimizerState, stride: stride, count: n, dimension: d,
                                     lr: lrs[t - chunkStart], step: t, normals: normals, firstChain: firstChain)
                } else {
                    // Clip the update Δx = x_new − x_old instead; z is free once the noise is added.
                    z.update(from: x, count: d * stride)
                    optimizer.update(x, gradient: g, state: optimizerState, stride: stride, count: n, dimension: d,
                                     lr: lrs[t - chunkStart], step: t, normals: normals, firstChain: firstChain)
                    for i in 0..<(d * stride) { g[i] = x[i] - z[i] }
                    clip.apply(g, stride: stride, count: n, dimension: d, scratch: perChain)
                    for i in 0..<(d * stride) { x[i] = z[i] + g[i] }
                }
                checkDivergence(x: x, state: optimizerState, alive: alive, tile: tile, step: t,
                                state: state, flags: perChain)
                if let trace = state.trace, firstChain < state.traceChains {
                    state.traceLearningRates![t - 1] = lrs[t - chunkStart]
                    let steps = plan.recording.steps
                    for c in 0..<Swift.min(n, state.traceChains - firstChain) {
                        let base = ((firstChain + c) * steps + t - 1) * d
                        // A diverged chain's path is kept up to its divergence, also in a replay.
                        let divergedAt = state.divergenceStep[firstChain + c]
                        let onPath = alive[c] != 0 || t < divergedAt
                        for k in 0..<d { trace[base + k] = onPath ? x[k * stride + c] : .nan }
                    }
                }
                if let accumulator, plan.recording.isRecorded(t) {
                    accumulator.pointee.add(x: x, alive: alive, stride: stride, count: n, step: t,
                                            firstChain: firstChain, plan: plan, state: state, scratch: scratch)
                }
            }
            progress?.advance(by: (chunkEnd - chunkStart + 1) * n)
            if progress?.isCancelled == true { return }
            chunkStart = chunkEnd + 1
        }
    }

    /// Marks chains whose iterate or state left the bound (or is not finite) as diverged,
    /// and parks them at the minimum with zero state so they stay finite and out of the way.
    @inline(__always)
    private func checkDivergence(
        x: UnsafeMutablePointer<Double>, state optimizerState: UnsafeMutablePointer<Double>,
        alive: UnsafeMutablePointer<Double>, tile: Tile, step: Int, state: EnsembleState,
        flags: UnsafeMutablePointer<Double>
    ) {
        let d = dimension, stride = tile.stride, n = tile.count, bound = plan.divergenceBound
        for c in 0..<n { flags[c] = 0 }
        for k in 0..<d {
            let xk = x + k * stride
            for c in 0..<n where !(Swift.abs(xk[c]) <= bound) { flags[c] = 1 }
        }
        for r in 0..<(d * optimizer.stateVectors) {
            let row = optimizerState + r * stride
            for c in 0..<n where !row[c].isFinite { flags[c] = 1 }
        }
        var any = 0.0
        for c in 0..<n { any += flags[c] }
        if any == 0 { return }
        let minimum = objective.minimum
        for c in 0..<n where flags[c] != 0 {
            let chain = tile.chains.lowerBound + c
            if alive[c] != 0 {
                alive[c] = 0
                state.divergenceStep[chain] = step
            }
            for k in 0..<d { x[k * stride + c] = minimum[k] }
            for r in 0..<(d * optimizer.stateVectors) { optimizerState[r * stride + c] = 0 }
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
