/// ξ_k = scale_k·X_k with X_k standard symmetric α-stable, E e^{isX} = exp(−|s|^α),
/// independent across coordinates, chains and steps: E e^{isξ_k} = exp(−|scale_k·s|^α).
///
/// α ∈ (0, 2]: α = 2 is N(0, 2·scale²) (note the factor 2 of this convention), α = 1 is
/// Cauchy(scale); for α < 2 the variance is infinite and for α ≤ 1 so is E|ξ|. Drawn by
/// Chambers–Mallows–Stuck (`VariateStream.symmetricStable`) at (c, t, k, .alphaStable).
/// A coordinate with scale 0 gets no noise.
public struct AlphaStableNoise: GradientNoise {
    public let dimension: Int
    public let alpha: Double
    public let scale: [Double]

    /// - Parameters:
    ///   - alpha: the stability index, 0 < α ≤ 2.
    ///   - scale: one scale ≥ 0 per coordinate; the dimension is scale.count.
    public init(alpha: Double, scale: [Double]) {
        precondition(alpha > 0 && alpha <= 2, "alpha-stable alpha must be in (0, 2]")
        precondition(scale.allSatisfy { $0 >= 0 && $0.isFinite }, "alpha-stable scale must be finite and ≥ 0")
        self.dimension = scale.count
        self.alpha = alpha
        self.scale = scale
    }

    /// diag(2·scale²) for α = 2; nil (infinite variance) for α < 2.
    public var covariance: [Double]? {
        guard alpha == 2 else { return nil }
        var c = [Double](repeating: 0, count: dimension * dimension)
        for k in 0..<dimension { c[k * dimension + k] = 2 * scale[k] * scale[k] }
        return c
    }

    public func perturb(
        _ g: UnsafeMutablePointer<Double>, x: UnsafePointer<Double>, stride: Int, count: Int,
        firstChain: Int, step: UInt32, normals: NormalSource, scratch: UnsafeMutablePointer<Double>
    ) {
        let variates = VariateStream(normals)
        variates.addScaledDraws(to: g, scale: scale, stride: stride, count: count, firstChain: firstChain) { chain, k in
            variates.symmetricStable(alpha: alpha, chain: chain, step: step, index: k)
        }
    }
}

extension AlphaStableNoise {
    public static let entry: NoiseEntry = {
        let alpha = Parameter<Double>.number("alpha", .required, .interval(0, 2, closedBelow: false),
                                             "tail index α (2: Gaussian with variance 2·scale²)")
        let scale = Parameter<[Double]>.perCoordinate("scale", 1, .atLeast(0), "scale_k", what: "a scale")
        return NoiseEntry("alpha-stable",
                          summary: "symmetric α-stable ξ_k with E exp(itξ_k) = exp(−|scale_k·t|^α) (Chambers–Mallows–Stuck)",
                          parameters: [alpha.erased, scale.erased]) { p, _ in
            let noise = AlphaStableNoise(alpha: try p(alpha), scale: try p(scale))
            return BuiltNoise(noise, note: noise.alpha == 2 ? "α-stable with α = 2: Gaussian with variance 2·scale²"
                                                            : "α-stable with α < 2: infinite variance")
        }
    }()
}
