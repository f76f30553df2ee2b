/// ξ_k = scale_k·T_k with T_k ~ Student-t(df), independent across coordinates, chains and
/// steps: heavy tails with finite variance scale²·df/(df − 2) only when df > 2.
///
/// Coordinate k of chain c at step t comes from `VariateStream.studentT` at
/// (c, t, k, .studentT), so draws do not depend on the tiling or on threads and never meet
/// the Gaussian streams. Independent coordinates, not the multivariate t (which shares one
/// χ² mixing variable across coordinates). A coordinate with scale 0 gets no noise (not
/// 0·T, which would be NaN for the rare T = ±∞ of df ≲ 0.1).
public struct StudentTNoise: GradientNoise {
    public let dimension: Int
    public let df: Double
    public let scale: [Double]

    /// - Parameters:
    ///   - df: degrees of freedom, finite and > 0 (1 is Cauchy).
    ///   - scale: one scale ≥ 0 per coordinate; the dimension is scale.count.
    public init(df: Double, scale: [Double]) {
        precondition(df > 0 && df.isFinite, "student-t df must be finite and > 0")
        precondition(scale.allSatisfy { $0 >= 0 && $0.isFinite }, "student-t scale must be finite and ≥ 0")
        self.dimension = scale.count
        self.df = df
        self.scale = scale
    }

    /// diag(scale²·df/(df − 2)) for df > 2; nil (infinite variance) otherwise.
    public var covariance: [Double]? {
        guard df > 2 else { return nil }
        var c = [Double](repeating: 0, count: dimension * dimension)
        for k in 0..<dimension { c[k * dimension + k] = scale[k] * scale[k] * df / (df - 2) }
        return c
    }

    public func perturb(
        _ g: UnsafeMutablePointer<Double>, x: UnsafePointer<Double>, stride: Int, count: Int,
        firstChain: Int, step: UInt32, normals: NormalSource, scratch: UnsafeMutablePointer<Double>
    ) {
        let variates = VariateStream(normals)
        variates.addScaledDraws(to: g, scale: scale, stride: stride, count: count, firstChain: firstChain) { chain, k in
            variates.studentT(df: df, chain: chain, step: step, index: k)
        }
    }
}

extension StudentTNoise {
    public static let entry: NoiseEntry = {
        let df = Parameter<Double>.number("df", .required, .above(0), "degrees of freedom")
        let scale = Parameter<[Double]>.perCoordinate("scale", 1, .atLeast(0), "scale_k", what: "a scale")
        return NoiseEntry("student-t",
                          summary: "ξ_k = scale_k·T_k, T_k ~ Student-t(df): heavy tails (variance scale²·df/(df − 2) for df > 2)",
                          parameters: [df.erased, scale.erased]) { p, _ in
            let noise = StudentTNoise(df: try p(df), scale: try p(scale))
            return BuiltNoise(noise, note: noise.df > 2 ? "Student-t: scale²·df/(df − 2) per coordinate"
                                                        : "Student-t with df ≤ 2: infinite variance")
        }
    }()
}
