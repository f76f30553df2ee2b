import Simulation

/// The difference of the means of two clouds run over the same chain layout, with its
/// standard error from the paired replicate groups:
///     Var = G/(G − 1) · Σ_g (r_a,g − r_b,g)²,  r_g = (S_g − n_g·m)/N
/// With common random numbers the two clouds' groups see the same noise, their residuals are
/// correlated, and the difference is far more precise than with independent streams, for
/// which this reduces to the sum of the two variances.
public struct MeanDifference: Sendable {
    /// mean(a) − mean(b) per coordinate.
    public let difference: [Double]
    public let stderr: [Double]

    public init(_ a: CloudAccumulation, _ b: CloudAccumulation) {
        let d = a.dimension
        precondition(a.layout == b.layout && b.dimension == d, "paired clouds need the same chains")
        let ta = a.total, tb = b.total
        let meanA = ta.sum.map { $0 / ta.count }, meanB = tb.sum.map { $0 / tb.count }
        difference = (0..<d).map { meanA[$0] - meanB[$0] + a.shift[$0] - b.shift[$0] }
        let paired = zip(a.groups, b.groups).filter { $0.0.count > 0 && $0.1.count > 0 }
        let g = Double(paired.count)
        stderr = (0..<d).map { k in
            guard g > 1 else { return .nan }
            var s = 0.0
            for (ga, gb) in paired {
                let r = (ga.sum[k] - ga.count * meanA[k]) / ta.count - (gb.sum[k] - gb.count * meanB[k]) / tb.count
                s += r * r
            }
            return (g / (g - 1) * s).squareRoot()
        }
    }
}
