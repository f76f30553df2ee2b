/// The minibatch gradient of a data objective, which *is* the stochastic gradient:
/// g = (1/B) Σ_{i∈batch} ∇ℓᵢ(x) — for least squares ∇ℓᵢ = zᵢ(zᵢᵀx − yᵢ − σ_l·εᵢ), for
/// logistic regression the weighted log-loss gradient.
///
/// Each chain draws its own batch at every step. Finite data: B indices uniform in 0..<n,
/// with replacement, or B distinct ones (Floyd's algorithm) without. Streamed data: B fresh
/// examples from the generating model (`DataObjective.addStreamedExampleGradients`), so
/// replacement does not apply. Label noise σ_l·εᵢ (regression only) is fresh per sampled example.
///
/// All draws are addressed by (chain, step): index draw j from Philox block (j/2, t, c, 6),
/// the finite data's label noise εⱼ is normal j of (t, c, 7), and streamed example j takes
/// its normals from (t, c, 7 | (j + 1)·256). Results are therefore the same for any tiling
/// of the chains or number of threads. The per-chain loop is the objective's own
/// `addMinibatchGradients` (a requirement with a default implementation, so it is compiled
/// for each data objective): one call per tile.
public struct MinibatchNoise: StateDependentNoise {
    public var replacesGradient: Bool { true }

    public let objective: any DataObjective
    public let batchSize: Int
    public let replacement: Bool
    public let labelNoiseStd: Double
    /// n, or nil for streamed data.
    public let exampleCount: Int?
    public var dimension: Int { objective.dimension }

    /// - Parameters:
    ///   - batchSize: B ≥ 1; at most n without replacement, and below 2²⁴ for streamed data.
    ///   - replacement: whether a batch of finite data may repeat an example.
    ///   - labelNoiseStd: σ_l ≥ 0, the std of extra noise on each sampled target (default 0;
    ///     only for objectives that accept label noise).
    public init(objective: any DataObjective, batchSize: Int, replacement: Bool, labelNoiseStd: Double = 0) {
        precondition(batchSize >= 1, "batch size must be at least 1")
        precondition(labelNoiseStd >= 0 && labelNoiseStd.isFinite, "label noise std must be finite and ≥ 0")
        precondition(labelNoiseStd == 0 || type(of: objective).acceptsLabelNoise, "label noise needs regression targets")
        if let n = objective.exampleCount {
            precondition(replacement || batchSize <= n, "a batch without replacement holds at most n examples")
        } else {
            precondition(batchSize < 1 << 24 - 1, "streamed batches hold fewer than 2²⁴ − 1 examples")
        }
        self.objective = objective
        self.batchSize = batchSize
        self.replacement = replacement
        self.labelNoiseStd = labelNoiseStd
        self.exampleCount = objective.exampleCount
    }

    /// State dependent: see `gradientCovariance(at:)`.
    public var covariance: [Double]? { nil }

    public func covariance(at x: [Double]) -> [Double] { gradientCovariance(at: x) }

    /// The covariance of the minibatch gradient at x (row-major d×d): C/B with C the
    /// `exampleGradientCovariance`; without replacement from n examples the sampling part is
    /// multiplied by the finite-population correction (n − B)/(n − 1), while the label noise
    /// part, independent per sampled example, is not.
    public func gradientCovariance(at x: [Double]) -> [Double] {
        let b = Double(batchSize)
        guard let n = exampleCount, !replacement else {
            return objective.exampleGradientCovariance(at: x, labelNoiseStd: labelNoiseStd).map { $0 / b }
        }
        let fpc = n > 1 ? Double(n - batchSize) / Double(n - 1) : 0
        let sampling = objective.exampleGradientCovariance(at: x, labelNoiseStd: 0)
        let label = labelNoiseStd > 0 ? objective.labelNoiseCovariance(std: labelNoiseStd) : sampling.map { _ in 0 }
        return sampling.indices.map { (fpc * sampling[$0] + label[$0]) / b }
    }

    /// Whether every batch is the whole data set with exact targets: g = ∇f, no draws.
    var isFullBatch: Bool {
        exampleCount == batchSize && !replacement && labelNoiseStd == 0
    }

    /// Slots of the hash set of Floyd's algorithm: a power of two ≥ 2B (load ≤ ½).
    var tableCapacity: Int {
        guard exampleCount != nil, !replacement, !isFullBatch else { return 0 }
        var capacity = 2
        while capacity < 2 * batchSize { capacity <<= 1 }
        return capacity
    }

    /// Adds the minibatch gradient to g (which the engine passes as zeros).
    public func perturb(
        _ g: UnsafeMutablePointer<Double>, x: UnsafePointer<Double>, stride: Int, count: Int,
        firstChain: Int, step: UInt32, normals: NormalSource, scratch: UnsafeMutablePointer<Double>
    ) {
        objective.addMinibatchGradients(of: self, to: g, x: x, stride: stride, count: count, firstChain: firstChain,
                                        step: step, generator: normals.generator)
    }

    /// σ_l·εⱼ for the B sampled examples of finite data: εⱼ is normal j of (t, c, 7).
    @inline(__always)
    func drawLabelNoise(into labels: UnsafeMutablePointer<Double>, chain: UInt32, step: UInt32, generator: Philox4x32) {
        let sigma = labelNoiseStd
        var j = 0
        while j < batchSize {
            let pair = DataStreams.normalPair(generator, UInt32(truncatingIfNeeded: j >> 1), step, chain, DataStreams.examplePurpose)
            labels[j] = sigma * pair.0
            if j + 1 < batchSize { labels[j + 1] = sigma * pair.1 }
            j += 2
        }
    }

    /// The B example indices of a chain's batch at `step` (finite data), in draw order.
    ///
    /// With replacement, index j is uniform in 0..<n from 64 bits of block (j/2, t, c, 6).
    /// Without, Floyd's algorithm: for j = n − B … n − 1 draw v uniform in 0...j (draw
    /// number j − n + B) and take v, or j itself if v was taken already — a uniformly random
    /// B-subset in B draws. `table` holds `tableCapacity` slots for the set of taken indices.
    func sampleIndices(
        chain: UInt32, step: UInt32, generator: Philox4x32, into indices: UnsafeMutablePointer<Int>,
        table: UnsafeMutablePointer<Int>
    ) {
        guard let n = exampleCount else { return }
        let batch = batchSize
        var bits = (UInt64(0), UInt64(0))
        @inline(__always) func draw(_ j: Int) -> UInt64 {
            if j & 1 == 0 {
                let r = generator.block(UInt32(truncatingIfNeeded: j >> 1), step, chain, DataStreams.minibatchPurpose)
                bits = (UInt64(r.1) << 32 | UInt64(r.0), UInt64(r.3) << 32 | UInt64(r.2))
                return bits.0
            }
            return bits.1
        }
        if replacement {
            for j in 0..<batch { indices[j] = DataStreams.index(below: n, bits: draw(j)) }
            return
        }
        if batch == n {
            for j in 0..<batch { indices[j] = j }
            return
        }
        let capacity = tableCapacity, mask = capacity - 1
        let shift = UInt64(64 - capacity.trailingZeroBitCount)
        table.update(repeating: -1, count: capacity)
        // Inserts v unless present; false when it was already taken.
        @inline(__always) func insert(_ v: Int) -> Bool {
            var slot = Int(truncatingIfNeeded: (UInt64(v) &* 0x9E37_79B9_7F4A_7C15) >> shift) & mask
            while true {
                let held = table[slot]
                if held == v { return false }
                if held < 0 {
                    table[slot] = v
                    return true
                }
                slot = (slot + 1) & mask
            }
        }
        for j in 0..<batch {
            let top = n - batch + j
            let v = DataStreams.index(below: top + 1, bits: draw(j))
            if insert(v) {
                indices[j] = v
            } else {
                _ = insert(top)
                indices[j] = top
            }
        }
    }
}

extension DataObjective {
    /// Adds the minibatch gradient of `noise` for each chain of a tile to g: the loop of
    /// `MinibatchNoise.perturb`, compiled for each data objective.
    public func addMinibatchGradients(
        of noise: MinibatchNoise, to g: UnsafeMutablePointer<Double>, x: UnsafePointer<Double>, stride: Int, count: Int,
        firstChain: Int, step: UInt32, generator: Philox4x32
    ) {
        let d = dimension, batchSize = noise.batchSize, labelNoiseStd = noise.labelNoiseStd
        let finite = noise.exampleCount != nil
        let labelled = finite && labelNoiseStd > 0
        // Per chain: its iterate (contiguous), the gradient being summed and one streamed
        // example's normals (d + 2), then the batch's label noise.
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * d + 2 + (labelled ? batchSize : 0)) { buffer in
            let xc = buffer.baseAddress!, acc = xc + d, u = acc + d, labels = u + d + 2
            if noise.isFullBatch {
                for c in 0..<count {
                    for k in 0..<d { xc[k] = x[k * stride + c] }
                    fullGradient(at: xc, into: acc)
                    for k in 0..<d { g[k * stride + c] += acc[k] }
                }
                return
            }
            let indexCount = finite ? batchSize : 1
            withUnsafeTemporaryAllocation(of: Int.self, capacity: indexCount + Swift.max(noise.tableCapacity, 1)) { ints in
                let indices = ints.baseAddress!, table = indices + indexCount
                for c in 0..<count {
                    let chain = UInt32(truncatingIfNeeded: firstChain + c)
                    for k in 0..<d {
                        xc[k] = x[k * stride + c]
                        acc[k] = 0
                    }
                    if finite {
                        noise.sampleIndices(chain: chain, step: step, generator: generator, into: indices, table: table)
                        if labelled { noise.drawLabelNoise(into: labels, chain: chain, step: step, generator: generator) }
                        addExampleGradients(indices, count: batchSize, labelNoise: labelled ? UnsafePointer(labels) : nil,
                                            at: xc, into: acc)
                    } else {
                        addStreamedExampleGradients(count: batchSize, labelNoiseStd: labelNoiseStd, at: xc, into: acc,
                                                    scratch: u, chain: chain, step: step, generator: generator)
                    }
                    let scale = 1 / Double(batchSize)
                    for k in 0..<d { g[k * stride + c] += scale * acc[k] }
                }
            }
        }
    }
}

extension MinibatchNoise {
    /// minibatch: the gradient of B examples of a data objective.
    public static let entry = makeEntry(
        "minibatch",
        summary: "the stochastic gradient is the minibatch gradient (1/B) Σ_{i∈batch} ∇ℓ_i(x) of a data objective (linear or logistic regression)",
        labelNoise: nil,
        batchSize: AnyParameter.documented("batch_size", default: "required", valid: "integer in 1...n", meaning: "B"),
        replacement: Parameter<Bool>.flag("replacement", false, "sample the batch with replacement (default: B distinct examples, fresh each step)"))

    /// label-noise: regression with fresh label noise on the sampled examples.
    public static let labelNoiseEntry = makeEntry(
        "label-noise",
        summary: "regression: fresh label noise on the sampled examples each step (full batch unless batch_size)",
        labelNoise: Parameter<Double>.number("std", .required, .atLeast(0), "standard deviation of the fresh label noise"),
        batchSize: AnyParameter.documented("batch_size", default: "n (required for n: stream)", valid: "integer in 1...n", meaning: "B"),
        replacement: nil)

    static func makeEntry(_ name: String, summary: String, labelNoise: Parameter<Double>?, batchSize: AnyParameter,
                          replacement: Parameter<Bool>?) -> NoiseEntry {
        NoiseEntry(name, summary: summary, parameters: [labelNoise?.deferred, batchSize, replacement?.deferred].compactMap { $0 }) { p, context in
            guard let data = context.objective.objective as? any DataObjective else {
                throw p.error(at: "type", "\(name) noise needs a data objective",
                              expected: labelNoise == nil ? "objective type linear-regression or logistic-regression"
                                                          : "objective type linear-regression")
            }
            if labelNoise != nil, !type(of: data).acceptsLabelNoise {
                throw p.error(at: "type", "\(name) needs regression targets; \(context.objective.type) has classes",
                              expected: "objective type linear-regression, or label_flip in the logistic data")
            }
            let std = try labelNoise.map { try p($0, record: false) } ?? 0
            let n = data.exampleCount
            let limit = n.map { "an integer in 1...\($0) (n)" } ?? "an integer ≥ 1"
            let batchNode = labelNoise == nil || n == nil ? try p.map.required("batch_size", expected: limit) : p.map["batch_size"]
            let batch = try batchNode?.integer(limit) { $0 >= 1 && $0 <= (n ?? 1_000_000) } ?? n!
            let sampled = try replacement.map { try p($0, record: false) } ?? false
            p.record("batch_size", .integer(batch))
            p.record("replacement", .bool(sampled))
            p.record("label_noise_std", .number(std))
            let noise = MinibatchNoise(objective: data, batchSize: batch, replacement: sampled, labelNoiseStd: std)
            return BuiltNoise(noise, note: "minibatch: the population covariance of per-example gradients at x* divided by B"
                                           + (sampled ? "" : ", times (n − B)/(n − 1) without replacement"))
        }
    }
}
