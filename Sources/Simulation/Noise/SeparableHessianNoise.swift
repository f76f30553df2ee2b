/// `HessianNoise` for a landscape whose Hessian is diagonal with entries h_k(x_k): the
/// coordinates are independent, ξ_k = scale·√max(h_k(x_k), 0)·z_k, in O(d) per chain with no
/// factorisation. The same draws z as `HessianNoise`, so the two agree on such landscapes.
public struct SeparableHessianNoise<O: SeparableObjective>: GradientNoise {
    public let objective: O
    public let scale: Double
    public var dimension: Int { objective.dimension }

    /// - Parameter scale: ≥ 0 and finite.
    public init(objective: O, scale: Double) {
        precondition(scale >= 0 && scale.isFinite, "hessian noise scale must be finite and ≥ 0")
        self.objective = objective
        self.scale = scale
    }

    /// State dependent.
    public var covariance: [Double]? { nil }

    /// Pre-specialised for the separable landscapes (see `MinibatchNoise.perturb`).
    @_specialize(where O == Rastrigin)
    @_specialize(where O == StyblinskiTang)
    @_specialize(where O == DoubleWell)
    public func perturb(
        _ g: UnsafeMutablePointer<Double>, x: UnsafePointer<Double>, stride: Int, count: Int,
        firstChain: Int, step: UInt32, normals: NormalSource, scratch: UnsafeMutablePointer<Double>
    ) {
        guard scale > 0 else { return }
        normals.fill(scratch, stride: stride, count: count, dimension: dimension, firstChain: firstChain, step: step,
                     purpose: .gradientNoise)
        let scale = scale
        for k in 0..<dimension {
            let xk = x + k * stride, gk = g + k * stride, zk = scratch + k * stride
            for c in 0..<count {
                gk[c] += scale * (Swift.max(objective.curvature(coordinate: k, at: xk[c]), 0).squareRoot() * zk[c])
            }
        }
    }
}
