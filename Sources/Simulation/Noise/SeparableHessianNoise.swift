/// `HessianNoise` for a landscape whose Hessian is diagonal with entries h_k(x_k): the
/// coordinates are independent, ξ_k = scale·√max(h_k(x_k), 0)·z_k, in O(d) per chain with no
/// factorisation. The same draws z as `HessianNoise`, so the two agree on such landscapes.
///
/// The per-coordinate loop is the objective's own `addCurvatureNoise` (a requirement with a
/// default implementation, so it is compiled for each landscape): one call per tile.
public struct SeparableHessianNoise: StateDependentNoise {
    public let objective: any SeparableObjective
    public let scale: Double
    public var dimension: Int { objective.dimension }

    /// - Parameter scale: ≥ 0 and finite.
    public init(objective: any SeparableObjective, scale: Double) {
        precondition(scale >= 0 && scale.isFinite, "hessian noise scale must be finite and ≥ 0")
        self.objective = objective
        self.scale = scale
    }

    /// State dependent.
    public var covariance: [Double]? { nil }

    /// scale²·H₊(x) at one point, as `HessianNoise` computes it.
    public func covariance(at x: [Double]) -> [Double] {
        HessianNoise(objective: objective, scale: scale).covariance(at: x)
    }

    public func perturb(
        _ g: UnsafeMutablePointer<Double>, x: UnsafePointer<Double>, stride: Int, count: Int,
        firstChain: Int, step: UInt32, normals: NormalSource, scratch: UnsafeMutablePointer<Double>
    ) {
        guard scale > 0 else { return }
        normals.fill(scratch, stride: stride, count: count, dimension: dimension, firstChain: firstChain, step: step,
                     purpose: .gradientNoise)
        objective.addCurvatureNoise(to: g, x: x, normals: UnsafePointer(scratch), scale: scale, stride: stride, count: count)
    }
}
