/// How the stochastic gradient is formed from the exact one: g̃ = ∇f(x) + ξ.
///
/// `perturb` adds ξ to a block of gradients (structure-of-arrays, index k·stride + c) for
/// chains firstChain + c at update `step`. Draws come from `normals`, addressed by
/// (chain, step), so they are independent across chains and steps and identical for any
/// schedule of work. `scratch` holds dimension·stride doubles.
public protocol GradientNoise: Sendable {
    /// True when `perturb` writes the whole stochastic gradient itself (minibatch gradients of
    /// a data objective), so the engine skips the exact gradient: g enters `perturb` as zeros.
    var replacesGradient: Bool { get }
    var dimension: Int { get }
    /// The covariance of ξ (row-major d×d) where it is state independent; nil otherwise.
    var covariance: [Double]? { get }
    func perturb(
        _ g: UnsafeMutablePointer<Double>, x: UnsafePointer<Double>, stride: Int, count: Int,
        firstChain: Int, step: UInt32, normals: NormalSource, scratch: UnsafeMutablePointer<Double>
    )
}

extension GradientNoise {
    public var replacesGradient: Bool { false }
}

/// Noise whose covariance depends on the iterate (minibatch gradients, Hessian-shaped noise):
/// its covariance at a point, for the theory at x*.
public protocol StateDependentNoise: GradientNoise {
    /// The covariance of ξ at x (row-major d×d).
    func covariance(at x: [Double]) -> [Double]
}
