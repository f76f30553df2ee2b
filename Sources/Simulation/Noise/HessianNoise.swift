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
public struct HessianNoise: StateDependentNoise {
    public let objective: any Objective
    public let scale: Double
    public var dimension: Int { objective.dimension }

    /// - Parameter scale: ≥ 0 and finite.
    public init(objective: any Objective, scale: Double) {
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

extension HessianNoise {
    /// The largest dimension for which state-dependent Hessian noise factors a dense d×d
    /// Hessian per chain and step (O(d³)); separable landscapes have no limit.
    public static let denseDimensionLimit = 100

    /// hessian: N(0, scale²·H₊(x)/B) on any objective; a Gaussian with the factor computed once
    /// where H is constant, `SeparableHessianNoise` where it is diagonal, `HessianNoise` else.
    /// The batch size B only rescales (by 1/√B), so that a sweep over B is the noisy quadratic
    /// model's C = H/B on a quadratic.
    public static let entry: NoiseEntry = {
        let scale = Parameter<Double>.number("scale", .value(1), .atLeast(0), "scale")
        let batch = Parameter<Double>.number("batch_size", .value(1), .atLeast(1),
                                             "B: the covariance divided by B (the noisy quadratic model's C = H/B)")
        return NoiseEntry("hessian",
                          summary: "ξ ~ N(0, scale²·H₊(x)/B), H₊ the Hessian at the iterate with negative eigenvalues clamped to 0: curvature-shaped, state-dependent noise",
                          parameters: [scale.erased, batch.erased]) { p, context in
            let s = try p(scale) / p(batch).squareRoot()
            let objective = context.objective.objective, d = objective.dimension
            let note = "hessian: scale²·H₊ with H₊ the positive semi-definite part of the Hessian"
            if let h = objective.constantHessian {
                let factor = PSDFactor.factor(h, order: d).map { s * $0 }
                let gaussian = GaussianNoise(choleskyFactor: factor, dimension: d)
                let covariance = gaussian.covariance ?? []
                p.record("covariance", .matrix(covariance, d))
                // A diagonal H has a diagonal factor (Cholesky, or Jacobi with no rotation).
                var diagonal = true
                for i in 0..<d { for j in 0..<d where i != j && h[i * d + j] != 0 { diagonal = false } }
                let noise: any GradientNoise = diagonal ? DiagonalGaussianNoise(std: (0..<d).map { factor[$0 * d + $0] })
                                                        : gaussian
                return BuiltNoise(noise, covariance: covariance, note: note + ", the same at every x")
            }
            if let separable = objective as? any SeparableObjective {
                return BuiltNoise(SeparableHessianNoise(objective: separable, scale: s), note: note + " at x* (state dependent)")
            }
            guard d <= denseDimensionLimit else {
                throw p.error(at: "type", "hessian noise factors the d×d Hessian of \(context.objective.type) per chain and step (O(d³)), too costly at d = \(d)",
                              expected: "an objective of dimension ≤ \(denseDimensionLimit)")
            }
            return BuiltNoise(HessianNoise(objective: objective, scale: s), note: note + " at x* (state dependent)")
        }
    }()
}
