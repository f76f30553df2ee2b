/// Synthetic regression data: features z ~ N(0, diag(featureScales²)), targets
/// y = zᵀw + noiseStd·ε with ε ~ N(0, 1).
///
/// A finite data set holds n examples drawn once from the seed; a streamed one (count nil)
/// holds none and is only the generating model, from which `MinibatchNoise` draws a fresh
/// example at every use.
public struct RegressionData: Sendable {
    public let dimension: Int
    /// w.
    public let weights: [Double]
    /// The standard deviation of each feature.
    public let featureScales: [Double]
    public let noiseStd: Double
    /// nil for streamed data (a fresh example at every draw).
    public let count: Int?
    /// [count × d] row-major features (empty when streamed).
    public let features: [Double]
    /// [count] targets (empty when streamed).
    public let targets: [Double]

    /// Generates n examples (or none for a stream) deterministically from `seed`.
    ///
    /// Example i takes normals u₀ … u_d from Philox (purpose 7, the reserved chain 2³² − 1,
    /// step i): z_k = featureScales_k·u_k and y = zᵀw + noiseStd·u_d. Weights not given are
    /// drawn N(0, 1) from the same key at step 2³² − 1. The run's chains never use that
    /// chain, so the data are independent of every chain's draws.
    ///
    /// - Parameters:
    ///   - count: the number of examples, 1 ..< 2³² − 1 (at least `dimension` for a unique
    ///     least-squares solution); nil for a stream.
    ///   - weights: w, or nil to draw it.
    ///   - featureScales: one positive, finite standard deviation per feature.
    ///   - noiseStd: the target noise, finite and ≥ 0.
    public static func generate(
        dimension: Int, count: Int?, weights: [Double]?, featureScales: [Double], noiseStd: Double, seed: UInt64
    ) -> RegressionData {
        let d = dimension
        precondition(d > 0, "regression dimension must be positive")
        precondition(featureScales.count == d, "one feature scale per dimension")
        precondition(featureScales.allSatisfy { $0 > 0 && $0.isFinite }, "feature scales must be finite and > 0")
        precondition(noiseStd >= 0 && noiseStd.isFinite, "noise std must be finite and ≥ 0")
        if let n = count {
            precondition(n >= 1, "a finite regression data set needs an example")
            precondition(n < Int(UInt32.max), "at most 2³² − 2 examples")
        }
        let generator = Philox4x32(seed: seed)
        let purpose = DataStreams.examplePurpose, chain = DataStreams.dataChain
        let w: [Double]
        if let weights {
            precondition(weights.count == d && weights.allSatisfy(\.isFinite), "weights must be d finite values")
            w = weights
        } else {
            w = [Double](unsafeUninitializedCapacity: d) { buffer, initialized in
                DataStreams.fillNormals(buffer.baseAddress!, count: d, generator, DataStreams.weightsStep, chain, purpose)
                initialized = d
            }
        }
        guard let n = count else {
            return RegressionData(dimension: d, weights: w, featureScales: featureScales, noiseStd: noiseStd,
                                  count: nil, features: [], targets: [])
        }
        var features = [Double](repeating: 0, count: n * d)
        var targets = [Double](repeating: 0, count: n)
        var u = [Double](repeating: 0, count: d + 1)
        u.withUnsafeMutableBufferPointer { u in
            for i in 0..<n {
                DataStreams.fillNormals(u.baseAddress!, count: d + 1, generator, UInt32(i), chain, purpose)
                var y = 0.0
                for k in 0..<d {
                    let z = featureScales[k] * u[k]
                    features[i * d + k] = z
                    y += z * w[k]
                }
                targets[i] = y + noiseStd * u[d]
            }
        }
        return RegressionData(dimension: d, weights: w, featureScales: featureScales, noiseStd: noiseStd,
                              count: n, features: features, targets: targets)
    }

    private init(
        dimension: Int, weights: [Double], featureScales: [Double], noiseStd: Double, count: Int?,
        features: [Double], targets: [Double]
    ) {
        self.dimension = dimension
        self.weights = weights
        self.featureScales = featureScales
        self.noiseStd = noiseStd
        self.count = count
        self.features = features
        self.targets = targets
    }
}
