#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Simulation

/// The statistics of one cloud, computed from streaming sums.
///
/// Standard errors come from the replicate groups of chains (`ChainLayout`): groups hold
/// disjoint sets of independent chains, so their sums are independent whatever the
/// autocorrelation along a chain, and the cluster-robust (ratio-estimator) variance
///     Var(θ̂) = G/(G − 1) · Σ_g (u_g − n_g θ̂)² / N²
/// applies, where u_g is group g's sum of the statistic's per-sample terms and n_g its
/// number of samples. With fewer than two groups holding samples, standard errors are NaN.
public struct CloudEstimate: Sendable {
    public let dimension: Int
    public let chains: Int
    public let divergedChains: Int
    /// Recorded samples in the cloud: alive chains × draws.
    public let samples: Int
    public let minimum: [Double]
    public let mean: [Double]
    public let bias: [Double]
    public let stderrMean: [Double]
    public let std: [Double]
    public let skewness: [Double]
    /// Excess kurtosis (0 for a Gaussian), as scipy.stats.kurtosis and pandas.
    public let kurtosis: [Double]
    /// Unbiased covariance, row-major d×d, and the standard error of each entry.
    public let covariance: [Double]
    public let covarianceStderr: [Double]
    /// Ascending eigenvalues and the matching eigenvectors (columns, row-major).
    public let eigenvalues: [Double]
    public let eigenvectors: [Double]
    public let quantileLevels: [Double]
    /// [k][level]
    public let quantiles: [[Double]]
    public let histograms: [Histogram1D]
    public let histograms2D: [Histogram2D]
    /// Per coordinate, the fraction of samples outside the histogram range.
    public let outsideFraction: [Double]
    public let replicateGroups: Int
    /// ‖mean‖ and ‖bias‖ with their standard errors by the delta method: the ratio estimate
    /// of uᵀ·mean with u = mean/‖mean‖ (uᵀ·bias, u = bias/‖bias‖); at a zero norm, where the
    /// norm has no derivative, √Σ_k se_k² (a bound to first order).
    public let meanNorm: Double
    public let meanNormStderr: Double
    public let biasNorm: Double
    public let biasNormStderr: Double
    /// tr(covariance) and its standard error (cluster-robust, as each entry's).
    public let trace: Double
    public let traceStderr: Double
    /// log det(covariance) = Σ log λ_i; NaN unless every eigenvalue is positive.
    public let logDeterminant: Double

    public init(_ cloud: CloudAccumulation, quantileLevels: [Double] = [0.05, 0.5, 0.95]) throws {
        let d = cloud.dimension
        dimension = d
        chains = cloud.chains
        divergedChains = cloud.divergedChains
        minimum = cloud.minimum
        self.quantileLevels = quantileLevels
        let total = cloud.total
        let n = total.count
        samples = Int(n)
        let nonEmpty = cloud.groups.filter { $0.count > 0 }
        replicateGroups = nonEmpty.count
        let g = Double(nonEmpty.count)
        let clusterFactor = g > 1 ? g / (g - 1) / (n * n) : .nan

        // y = x − c, c the accumulation centre (close to the cloud, so the sums are well
        // conditioned); bias = ȳ + (c − x*), with c − x* exact when they are within a factor 2.
        let meanY = total.sum.map { $0 / n }
        bias = (0..<d).map { meanY[$0] + (cloud.shift[$0] - cloud.minimum[$0]) }
        mean = zip(meanY, cloud.shift).map { $0 + $1 }
        stderrMean = (0..<d).map { k in
            RatioEstimate.standardError(nonEmpty.map { ($0.sum[k], $0.count) }, ratio: meanY[k])
        }

        func cross(_ m: GroupMoments, _ i: Int, _ j: Int) -> Double {
            i <= j ? m.cross[i * d + j] : m.cross[j * d + i]
        }
        // Central sums u_g(i, j) = Σ (y_i − ȳ_i)(y_j − ȳ_j) over the group's samples.
        func centralSum(_ m: GroupMoments, _ i: Int, _ j: Int) -> Double {
            cross(m, i, j) - meanY[i] * m.sum[j] - meanY[j] * m.sum[i] + m.count * meanY[i] * meanY[j]
        }
        var cov = [Double](repeating: .nan, count: d * d)
        var covStderr = [Double](repeating: .nan, count: d * d)
        for i in 0..<d {
            for j in 0..<d {
                let u = centralSum(total, i, j)
                let biased = u / n
                cov[i * d + j] = u / (n - 1)
                var s = 0.0
                for group in nonEmpty {
                    let r = centralSum(group, i, j) - group.count * biased
                    s += r * r
                }
                covStderr[i * d + j] = (s * clusterFactor).squareRoot() * n / (n - 1)
            }
        }
        covariance = cov
        covarianceStderr = covStderr
        // NaN (no samples) stays NaN; a variance rounded below 0 is 0.
        std = (0..<d).map { cov[$0 * d + $0].isNaN ? .nan : Swift.max(0, cov[$0 * d + $0]).squareRoot() }
        var traceSum = 0.0, traceSquares = 0.0
        for k in 0..<d { traceSum += centralSum(total, k, k) }
        for group in nonEmpty {
            var u = 0.0
            for k in 0..<d { u += centralSum(group, k, k) }
            let r = u - group.count * traceSum / n
            traceSquares += r * r
        }
        trace = traceSum / (n - 1)
        traceStderr = (traceSquares * clusterFactor).squareRoot() * n / (n - 1)

        (meanNorm, meanNormStderr) = Self.norm(mean, meanY: meanY, stderr: stderrMean, groups: nonEmpty)
        (biasNorm, biasNormStderr) = Self.norm(bias, meanY: meanY, stderr: stderrMean, groups: nonEmpty)

        var skew = [Double](repeating: .nan, count: d), kurt = [Double](repeating: .nan, count: d)
        for k in 0..<d {
            let mu = meanY[k]
            let e2 = total.cross[k * d + k] / n, e3 = total.cube[k] / n, e4 = total.fourth[k] / n
            let m2 = e2 - mu * mu
            let m3 = e3 - 3 * mu * e2 + 2 * mu * mu * mu
            let m4 = e4 - 4 * mu * e3 + 6 * mu * mu * e2 - 3 * mu * mu * mu * mu
            if m2 > 0 {
                skew[k] = m3 / (m2 * m2.squareRoot())
                kurt[k] = m4 / (m2 * m2) - 3
            }
        }
        skewness = skew
        kurtosis = kurt

        if n > 1, cov.allSatisfy({ $0.isFinite }) {
            let eigen = try LinearAlgebra.symmetricEigen(cov, n: d)
            eigenvalues = eigen.values
            eigenvectors = eigen.vectors
        } else {
            eigenvalues = [Double](repeating: .nan, count: d)
            eigenvectors = [Double](repeating: .nan, count: d * d)
        }
        logDeterminant = eigenvalues.allSatisfy({ $0 > 0 }) ? eigenvalues.reduce(0) { $0 + log($1) } : .nan

        let counts = cloud.histograms
        let plan = counts.plan
        var hists: [Histogram1D] = []
        var qs: [[Double]] = []
        var outside: [Double] = []
        for k in 0..<d {
            let row = Array(counts.counts[(k * plan.countingBins)..<((k + 1) * plan.countingBins)])
            let fine = try Histogram1D(range: counts.ranges[k], counts: row)
            qs.append(try quantileLevels.map { level in
                try fine.quantile(level, below: counts.below[k], above: counts.above[k])
            })
            let all = Double(counts.below[k] + counts.above[k]) + Double(row.reduce(0, +))
            outside.append(all > 0 ? Double(counts.below[k] + counts.above[k]) / all : 0)
            if plan.bins > 0 {
                hists.append(try fine.merged(by: plan.refinement))
            }
        }
        histograms = hists
        quantiles = qs
        outsideFraction = outside
        let cells = plan.pairBins * plan.pairBins
        histograms2D = try plan.bins == 0 ? [] : plan.pairs.enumerated().map { p, pair in
            try Histogram2D(
                xIndex: pair.x, yIndex: pair.y, xRange: counts.ranges[pair.x], yRange: counts.ranges[pair.y],
                bins: plan.pairBins, counts: Array(counts.pairCounts[(p * cells)..<((p + 1) * cells)])
            )
        }
    }

    /// ‖v‖ and the standard error of uᵀ·mean for u = v/‖v‖ (v = mean − a constant): the
    /// ratio estimate of uᵀȳ over the groups' sums of y; √Σ se_k² at ‖v‖ = 0.
    static func norm(_ v: [Double], meanY: [Double], stderr: [Double], groups: [GroupMoments]) -> (Double, Double) {
        let d = v.count
        let length = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard length > 0 else { return (length, stderr.reduce(0) { $0 + $1 * $1 }.squareRoot()) }
        let u = v.map { $0 / length }
        let projected = groups.map { group in (numerator: (0..<d).reduce(0) { $0 + u[$1] * group.sum[$1] }, denominator: group.count) }
        return (length, RatioEstimate.standardError(projected, ratio: (0..<d).reduce(0) { $0 + u[$1] * meanY[$1] }))
    }
}
