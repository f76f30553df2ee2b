/// ξ ~ N(0, scale²·H₊(x)): gradient noise shaped like the local curvature, state dependent.
///
/// H₊ is the positive semi-definite part of the Hessian at the chain's iterate (negative
/// eigenvalues clamped to zero, see `PSDFactor`), so the noise is defined on the whole
/// landscape, also on saddles and ridges. ξ = scale·F z with F Fᵀ = H₊ and z the chain's
/// normals at this step (`StreamPurpose.gradientNoise`), so draws do not depend on tiling or
/// threads. Costs one Hessian and one factorisation per chain and step: the Cholesky factor
/// (O(d³/6)) where H is positive definite, Jacobi rotations elsewhere. Objectives with a
/// constant Hessian use `GaussianNoise` with the factor computed once, and separable ones
/// `SeparableHessianNoise`.
public struct HessianNoise<O: Objective>: GradientNoise {
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

    /// scale²·H₊(x) at one point (row-major d×d).
    public func covariance(at x: [Double]) -> [Double] {
        let d = dimension
        var h = [Double](repeating: 0, count: d * d)
        x.withUnsafeBufferPointer { point in
            h.withUnsafeMutableBufferPointer { objective.hessian(point.baseAddress!, stride: 1, chain: 0, into: $0.baseAddress!) }
        }
        let f = PSDFactor.factor(h, order: d)
        var c = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0..<d {
                var s = 0.0
                for k in 0..<d { s += f[i * d + k] * f[j * d + k] }
                c[i * d + j] = scale * scale * s
            }
        }
        return c
    }

    public func perturb(
        _ g: UnsafeMutablePointer<Double>, x: UnsafePointer<Double>, stride: Int, count: Int,
        firstChain: Int, step: UInt32, normals: NormalSource, scratch: UnsafeMutablePointer<Double>
    ) {
        guard scale > 0 else { return }
        let d = dimension
        normals.fill(scratch, stride: stride, count: count, dimension: d, firstChain: firstChain, step: step,
                     purpose: .gradientNoise)
        // Per chain: the Hessian (d²) and its factor (d²).
        withUnsafeTemporaryAllocation(of: Double.self, capacity: d * d + PSDFactor.workspace(order: d)) { buffer in
            let h = buffer.baseAddress!, f = h + d * d
            for c in 0..<count {
                objective.hessian(x, stride: stride, chain: c, into: h)
                PSDFactor.factor(h, order: d, into: f)
                for i in 0..<d {
                    var s = 0.0
                    let row = f + i * d
                    for k in 0..<d { s += row[k] * scratch[k * stride + c] }
                    g[i * stride + c] += scale * s
                }
            }
        }
    }
}
