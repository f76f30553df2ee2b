/// The minibatch gradient of a linear regression, which *is* the stochastic gradient:
/// g = (1/B) Σ_{i∈batch} zᵢ(zᵢᵀx − yᵢ − σ_l·εᵢ).
///
/// Each chain draws its own batch at every step. Finite data: B indices uniform in 0..<n,
/// with replacement, or B distinct ones (Floyd's algorithm) without. Streamed data: B fresh
/// examples from the generating model, z = featureScales ⊙ u, y = zᵀw + noiseStd·u_d, so
/// replacement does not apply. Label noise σ_l·εᵢ is fresh per sampled example.
///
/// All draws are addressed by (chain, step): index draw j from Philox block (j/2, t, c, 6),
/// the finite data's label noise εⱼ is normal j of (t, c, 7), and streamed example j takes
/// normals u₀ … u_{d+1} (features, target noise, label noise) from (t, c, 7 | (j + 1)·256).
/// Results are therefore the same for any tiling of the chains or number of threads.
public struct MinibatchNoise: GradientNoise {
    public static var replacesGradient: Bool { true }

    public let objective: LinearRegression
    public let batchSize: Int
    public let replacement: Bool
    public let labelNoiseStd: Double
    public var dimension: Int { objective.dimension }

    /// - Parameters:
    ///   - batchSize: B ≥ 1; at most n without replacement, and below 2²⁴ for streamed data.
    ///   - replacement: whether a batch of finite data may repeat an example.
    ///   - labelNoiseStd: σ_l ≥ 0, the std of extra noise on each sampled target (default 0).
    public init(objective: LinearRegression, batchSize: Int, replacement: Bool, labelNoiseStd: Double = 0) {
        precondition(batchSize >= 1, "batch size must be at least 1")
        precondition(labelNoiseStd >= 0 && labelNoiseStd.isFinite, "label noise std must be finite and ≥ 0")
        if let n = objective.data.count {
            precondition(replacement || batchSize <= n, "a batch without replacement holds at most n examples")
        } else {
            precondition(batchSize < 1 << 24 - 1, "streamed batches hold fewer than 2²⁴ − 1 examples")
        }
        self.objective = objective
        self.batchSize = batchSize
        self.replacement = replacement
        self.labelNoiseStd = labelNoiseStd
    }

    /// State dependent: see `gradientCovariance(at:)`.
    public var covariance: [Double]? { nil }

    /// The covariance of the minibatch gradient at x (row-major d×d): C/B with C the
    /// `exampleGradientCovariance`; without replacement from n examples the sampling part is
    /// multiplied by the finite-population correction (n − B)/(n − 1), while the label noise
    /// part σ_l²·A/B, independent per sampled example, is not.
    public func gradientCovariance(at x: [Double]) -> [Double] {
        let b = Double(batchSize)
        guard let n = objective.data.count, !replacement else {
            return objective.exampleGradientCovariance(at: x, labelNoiseStd: labelNoiseStd).map { $0 / b }
        }
        let fpc = n > 1 ? Double(n - batchSize) / Double(n - 1) : 0
        let sampling = objective.exampleGradientCovariance(at: x)
        let label = labelNoiseStd * labelNoiseStd
        return sampling.indices.map { (fpc * sampling[$0] + label * objective.secondMoment[$0]) / b }
    }

    /// Whether every batch is the whole data set with exact targets: g = ∇f, no draws.
    var isFullBatch: Bool {
        objective.data.count == batchSize && !replacement && labelNoiseStd == 0
    }

    /// Slots of the hash set of Floyd's algorithm: a power of two ≥ 2B (load ≤ ½).
    var tableCapacity: Int {
        guard objective.data.count != nil, !replacement, !isFullBatch else { return 0 }
        var capacity = 2
        while capacity < 2 * batchSize { capacity <<= 1 }
        return capacity
    }

    /// Adds the minibatch gradient to g (which the engine passes as zeros).
    public func perturb(
        _ g: UnsafeMutablePointer<Double>, x: UnsafePointer<Double>, stride: Int, count: Int,
        firstChain: Int, step: UInt32, normals: NormalStream, scratch: UnsafeMutablePointer<Double>
    ) {
        let d = dimension
        // Per chain: its iterate (contiguous) and the gradient being summed, plus one
        // streamed example's normals.
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * d + 2) { buffer in
            let xc = buffer.baseAddress!, acc = xc + d, u = acc + d
            if isFullBatch {
                for c in 0..<count {
                    for k in 0..<d { xc[k] = x[k * stride + c] }
                    fullGradient(xc, into: acc)
                    for k in 0..<d { g[k * stride + c] += acc[k] }
                }
                return
            }
            let indexCount = objective.data.count == nil ? 1 : batchSize
            withUnsafeTemporaryAllocation(of: Int.self, capacity: indexCount + Swift.max(tableCapacity, 1)) { ints in
                let indices = ints.baseAddress!, table = indices + indexCount
                for c in 0..<count {
                    let chain = UInt32(truncatingIfNeeded: firstChain + c)
                    for k in 0..<d {
                        xc[k] = x[k * stride + c]
                        acc[k] = 0
                    }
                    if objective.data.count != nil {
                        sampleIndices(chain: chain, step: step, generator: normals.generator, into: indices, table: table)
                        addExamples(indices, xc: xc, into: acc, chain: chain, step: step, generator: normals.generator)
                    } else {
                        addStreamedExamples(xc: xc, into: acc, normals: u, chain: chain, step: step,
                                            generator: normals.generator)
                    }
                    let scale = 1 / Double(batchSize)
                    for k in 0..<d { g[k * stride + c] += scale * acc[k] }
                }
            }
        }
    }

    /// acc = Ax − b, the full-batch gradient at one point.
    @inline(__always)
    private func fullGradient(_ x: UnsafeMutablePointer<Double>, into acc: UnsafeMutablePointer<Double>) {
        let d = dimension
        objective.secondMoment.withUnsafeBufferPointer { a in
            objective.crossMoment.withUnsafeBufferPointer { b in
                for k in 0..<d {
                    var sum = -b[k]
                    for j in 0..<d { sum += a[k * d + j] * x[j] }
                    acc[k] = sum
                }
            }
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
        let n = objective.data.count!, batch = batchSize
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

    /// acc += Σⱼ z_{iⱼ}(z_{iⱼ}ᵀx − y_{iⱼ} − σ_l·εⱼ) over the batch's finite-data examples.
    @inline(__always)
    private func addExamples(
        _ indices: UnsafeMutablePointer<Int>, xc: UnsafeMutablePointer<Double>, into acc: UnsafeMutablePointer<Double>,
        chain: UInt32, step: UInt32, generator: Philox4x32
    ) {
        let d = dimension, sigma = labelNoiseStd
        objective.data.features.withUnsafeBufferPointer { features in
            objective.data.targets.withUnsafeBufferPointer { targets in
                var pair = (0.0, 0.0)
                for j in 0..<batchSize {
                    let i = indices[j]
                    let z = features.baseAddress! + i * d
                    var r = -targets[i]
                    for k in 0..<d { r += z[k] * xc[k] }
                    if sigma > 0 {
                        if j & 1 == 0 {
                            pair = DataStreams.normalPair(generator, UInt32(truncatingIfNeeded: j >> 1), step, chain,
                                                          DataStreams.examplePurpose)
                        }
                        r -= sigma * (j & 1 == 0 ? pair.0 : pair.1)
                    }
                    for k in 0..<d { acc[k] += r * z[k] }
                }
            }
        }
    }

    /// acc += Σⱼ zⱼ(zⱼᵀx − yⱼ − σ_l·εⱼ) over B fresh examples of the generating model.
    @inline(__always)
    private func addStreamedExamples(
        xc: UnsafeMutablePointer<Double>, into acc: UnsafeMutablePointer<Double>, normals u: UnsafeMutablePointer<Double>,
        chain: UInt32, step: UInt32, generator: Philox4x32
    ) {
        let d = dimension, data = objective.data
        let sigma = data.noiseStd, labelSigma = labelNoiseStd
        let normalCount = labelSigma > 0 ? d + 2 : d + 1
        // zᵀx − y = zᵀ(x − w) − σ·u_d: keep x − w.
        for k in 0..<d { xc[k] -= data.weights[k] }
        data.featureScales.withUnsafeBufferPointer { scales in
            for j in 0..<batchSize {
                let stream = DataStreams.examplePurpose | UInt32(j + 1) << 8
                DataStreams.fillNormals(u, count: normalCount, generator, step, chain, stream)
                for k in 0..<d { u[k] *= scales[k] }
                var r = -sigma * u[d]
                if labelSigma > 0 { r -= labelSigma * u[d + 1] }
                for k in 0..<d { r += u[k] * xc[k] }
                for k in 0..<d { acc[k] += r * u[k] }
            }
        }
    }
}
