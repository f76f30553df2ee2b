/// The standard error of a ratio of sums over independent replicate groups,
/// θ̂ = Σ_g a_g / Σ_g b_g — every mean, fraction and ratio of a cloud is one (a_g the group's
/// sum of the statistic, b_g its sample count or other denominator). Groups hold disjoint
/// sets of independent chains, so the linearised (cluster-robust) variance
///
///     se(θ̂) = √(G/(G − 1) · Σ_g (a_g − θ̂·b_g)²) / |Σ_g b_g|
///
/// holds whatever the autocorrelation along a chain. NaN with fewer than two groups.
public enum RatioEstimate {
    /// - Parameters:
    ///   - groups: (a_g, b_g) of the groups that hold samples.
    ///   - ratio: θ̂.
    public static func standardError(_ groups: [(numerator: Double, denominator: Double)], ratio: Double) -> Double {
        let g = Double(groups.count)
        guard g > 1 else { return .nan }
        var squares = 0.0, denominator = 0.0
        for (a, b) in groups {
            let r = a - ratio * b
            squares += r * r
            denominator += b
        }
        return (g / (g - 1) * squares).squareRoot() / Swift.abs(denominator)
    }
}
