#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Synthetic binary classification data whose Bayes classifier is logistic with slope w.
///
/// Example i: its class s ∈ {−1, +1} first, +1 with probability `positiveFraction` (π); then
/// features from the class-conditional Gaussian z | s ~ N(s·μ, S), S = diag(featureScales²),
/// μ = ½·S·w. By Bayes' rule P(s = +1 | z) = σ(wᵀz + log(π/(1 − π))): the model is logistic
/// with slope w for any class balance, and intercept-free exactly when π = ½ (the fitted
/// model has no intercept, so with π ≠ ½ its minimiser compensates through x).
///
/// With a margin m the data are separable: each example is drawn from its class-conditional
/// Gaussian *conditioned on* s·wᵀz ≥ m — in law, resampling an example of the same class
/// until it clears the margin. Implemented exactly, without rejection of whole examples:
/// wᵀz = s·q/2 + √q·t with q = wᵀSw and t ~ N(0, 1) the features' coordinate along S^{1/2}w,
/// so t is drawn from the normal truncated to s·t ≥ (m − q/2)/√q (rejection from a normal
/// below 0.5, Robert's exponential proposal above) and the orthogonal part is left as drawn.
///
/// Label noise last: every label is flipped independently with probability `labelFlip`.
/// Labels are stored as ±1 (the loss is written with s, equivalent to binary cross-entropy
/// with y = (s + 1)/2).
public struct LogisticData: Sendable {
    public let dimension: Int
    /// w.
    public let weights: [Double]
    /// The within-class standard deviation of each feature.
    public let featureScales: [Double]
    /// π, the probability of class +1 before label flips.
    public let positiveFraction: Double
    /// m > 0 for separable data, nil otherwise.
    public let margin: Double?
    /// The probability that a label is flipped.
    public let labelFlip: Double
    public let count: Int
    /// [count × d] row-major features.
    public let features: [Double]
    /// [count] observed labels ±1 (after flips).
    public let labels: [Double]
    /// [count] whether label i was flipped (its class is −labels[i]).
    public let flipped: [Bool]

    /// Sub-streams of the example purpose (7) for the data set's own draws, beside the
    /// normals of the features at sub-stream 0.
    enum SubStream: UInt32 {
        /// One block per example: the class and flip uniforms.
        case uniforms = 1
        /// Normal pairs for rejection from the truncated normal, pair j at counter word j.
        case rejection = 2
        /// Robert's proposals, attempt j at counter word j.
        case exponential = 3

        func purpose() -> UInt32 { DataStreams.examplePurpose | rawValue << 8 }
    }

    /// Generates n examples deterministically from `seed`.
    ///
    /// Example i takes its features' normals u₀ … u_{d−1} from Philox (purpose 7, the reserved
    /// chain 2³² − 1, step i) like `RegressionData`, its class and flip uniforms from one block
    /// of sub-stream 1 and, with a margin, its truncated normal from sub-streams 2 and 3.
    /// Weights not given are drawn N(0, 1) as for regression (the same w for the same seed).
    ///
    /// - Parameters:
    ///   - count: n in 1 ..< 2³² − 1.
    ///   - weights: w, or nil to draw it; with a margin, w ≠ 0.
    ///   - featureScales: one positive, finite standard deviation per feature.
    ///   - positiveFraction: π in (0, 1).
    ///   - margin: m > 0 and finite, or nil.
    ///   - labelFlip: in [0, ½).
    public static func generate(
        dimension: Int, count n: Int, weights: [Double]?, featureScales: [Double], positiveFraction: Double,
        margin: Double?, labelFlip: Double, seed: UInt64
    ) -> LogisticData {
        let d = dimension
        precondition(d > 0, "classification dimension must be positive")
        precondition(featureScales.count == d && featureScales.allSatisfy { $0 > 0 && $0.isFinite },
                     "one finite feature scale > 0 per dimension")
        precondition(positiveFraction > 0 && positiveFraction < 1, "positive fraction must be in (0, 1)")
        precondition(labelFlip >= 0 && labelFlip < 0.5, "label flip probability must be in [0, 0.5)")
        precondition(n >= 1 && n < Int(UInt32.max), "between 1 and 2³² − 2 examples")
        let generator = Philox4x32(seed: seed)
        let purpose = DataStreams.examplePurpose, chain = DataStreams.dataChain
        let w = weights ?? [Double](unsafeUninitializedCapacity: d) { buffer, initialized in
            DataStreams.fillNormals(buffer.baseAddress!, count: d, generator, DataStreams.weightsStep, chain, purpose)
            initialized = d
        }
        precondition(w.count == d && w.allSatisfy(\.isFinite), "weights must be d finite values")
        // The direction of wᵀz in the normals' space, v = S^{1/2}w, and q = |v|².
        let v = (0..<d).map { featureScales[$0] * w[$0] }
        let q = v.reduce(0) { $0 + $1 * $1 }
        let root = q.squareRoot()
        if let margin { precondition(margin > 0 && margin.isFinite && q > 0, "a margin needs m > 0 and w ≠ 0") }
        let threshold = margin.map { ($0 - 0.5 * q) / root }

        var features = [Double](repeating: 0, count: n * d)
        var labels = [Double](repeating: 0, count: n)
        var flipped = [Bool](repeating: false, count: n)
        var u = [Double](repeating: 0, count: d)
        u.withUnsafeMutableBufferPointer { u in
            for i in 0..<n {
                let step = UInt32(i)
                let r = generator.block(0, step, chain, SubStream.uniforms.purpose())
                let classUniform = Double((UInt64(r.1) << 32 | UInt64(r.0)) >> 11) * 0x1.0p-53
                let flipUniform = Double((UInt64(r.3) << 32 | UInt64(r.2)) >> 11) * 0x1.0p-53
                let s: Double = classUniform < positiveFraction ? 1 : -1
                DataStreams.fillNormals(u.baseAddress!, count: d, generator, step, chain, purpose)
                if let threshold {
                    // Replace the coordinate along v̂ = v/√q by a draw of s·t ≥ threshold.
                    var along = 0.0
                    for k in 0..<d { along += v[k] * u[k] }
                    along /= root
                    let t = s * truncatedNormal(above: threshold, generator: generator, step: step)
                    for k in 0..<d { u[k] += (t - along) * v[k] / root }
                }
                for k in 0..<d {
                    features[i * d + k] = featureScales[k] * (u[k] + s * 0.5 * featureScales[k] * w[k])
                }
                flipped[i] = flipUniform < labelFlip
                labels[i] = flipped[i] ? -s : s
            }
        }
        return LogisticData(dimension: d, weights: w, featureScales: featureScales, positiveFraction: positiveFraction,
                            margin: margin, labelFlip: labelFlip, count: n, features: features, labels: labels,
                            flipped: flipped)
    }

    /// A standard normal conditioned on ≥ a, for example `step` of the data set: rejection
    /// from normals for a < ½ (acceptance ≥ 0.3), otherwise Robert's (1995) exponential
    /// proposals a + Exp(α), α = (a + √(a² + 4))/2, accepted with probability exp(−(z − α)²/2)
    /// (acceptance ≥ 0.7 for every a ≥ ½). The loops stop after 2000 attempts, returning a —
    /// reached with probability below 10⁻³⁰⁰.
    static func truncatedNormal(above a: Double, generator: Philox4x32, step: UInt32) -> Double {
        let chain = DataStreams.dataChain
        if a < 0.5 {
            for j in 0..<1000 {
                let (z0, z1) = DataStreams.normalPair(generator, UInt32(j), step, chain, SubStream.rejection.purpose())
                if z0 >= a { return z0 }
                if z1 >= a { return z1 }
            }
            return a
        }
        let alpha = 0.5 * (a + (a * a + 4).squareRoot())
        for j in 0..<2000 {
            let r = generator.block(UInt32(j), step, chain, SubStream.exponential.purpose())
            let u1 = Double(((UInt64(r.1) << 32 | UInt64(r.0)) >> 11) &+ 1) * 0x1.0p-53  // (0, 1]
            let u2 = Double((UInt64(r.3) << 32 | UInt64(r.2)) >> 11) * 0x1.0p-53  // [0, 1)
            let z = a - log(u1) / alpha
            if u2 <= exp(-0.5 * (z - alpha) * (z - alpha)) { return z }
        }
        return a
    }

    /// The number of examples labelled +1 (after flips).
    public var positiveCount: Int { labels.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }

    /// Whether the labels are separable by w with margin m by construction (a margin and no flips).
    public var isSeparableByConstruction: Bool { margin != nil && labelFlip == 0 }
}
