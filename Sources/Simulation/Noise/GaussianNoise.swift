/// ξ ~ N(0, Σ) with a full covariance, drawn as ξ = L z with Σ = L Lᵀ (L the Cholesky
/// factor, or any square root of a singular Σ).
public struct GaussianNoise: GradientNoise {
    public let dimension: Int
    /// Row-major square root of the covariance (lower triangular when it is the Cholesky factor).
    public let factor: [Double]

    public init(choleskyFactor: [Double], dimension: Int) {
        precondition(choleskyFactor.count == dimension * dimension, "factor must be d×d")
        self.dimension = dimension
        self.factor = choleskyFactor
    }

    public var covariance: [Double]? {
        var c = [Double](repeating: 0, count: dimension * dimension)
        for i in 0..<dimension {
            for j in 0..<dimension {
                var s = 0.0
                for k in 0..<dimension { s += factor[i * dimension + k] * factor[j * dimension + k] }
                c[i * dimension + j] = s
            }
        }
        return c
    }

    public func perturb(
        _ g: UnsafeMutablePointer<Double>, x: UnsafePointer<Double>, stride: Int, count: Int,
        firstChain: Int, step: UInt32, normals: NormalSource, scratch: UnsafeMutablePointer<Double>
    ) {
        normals.fill(scratch, stride: stride, count: count, dimension: dimension,
                     firstChain: firstChain, step: step, purpose: .gradientNoise)
        factor.withUnsafeBufferPointer { l in
            for i in 0..<dimension {
                let gi = g + i * stride
                for j in 0..<dimension {
                    let lij = l[i * dimension + j]
                    if lij == 0 { continue }
                    let zj = scratch + j * stride
                    for c in 0..<count { gi[c] += lij * zj[c] }
                }
            }
        }
    }
}

extension GaussianNoise {
    /// gaussian: std (diagonal Σ, drawn by `DiagonalGaussianNoise`) or a full covariance.
    public static let entry: NoiseEntry = {
        let std = Parameter<[Double]>.perCoordinate("std", 0, .atLeast(0), "Σ = diag(std²)", what: "a standard deviation")
        let covariance = AnyParameter.documented("covariance", default: "—", valid: "symmetric, positive semi-definite d×d", meaning: "full Σ")
        return NoiseEntry("gaussian", summary: "ξ ~ N(0, Σ), additive, independent per chain and step",
                          parameters: [AnyParameter.documented("std", default: "—", valid: std.validText, meaning: std.meaning), covariance]) { p, context in
            let d = context.objective.dimension
            let note = "additive Gaussian: the configured covariance, the same at every x"
            switch (p.map["std"], p.map["covariance"]) {
            case (.some, nil):
                let values = try p(std, record: false)
                var c = [Double](repeating: 0, count: d * d)
                for k in 0..<d { c[k * d + k] = values[k] * values[k] }
                p.record("covariance", .matrix(c, d))
                return BuiltNoise(DiagonalGaussianNoise(std: values), covariance: c, note: note)
            case (nil, let node?):
                var c = try node.squareMatrix(size: d)
                let scale = c.map(Swift.abs).max() ?? 0
                for i in 0..<d {
                    for j in 0..<i where Swift.abs(c[i * d + j] - c[j * d + i]) > 1e-12 * Swift.max(scale, 1e-300) {
                        throw node.error("is not symmetric: entry [\(i)][\(j)] differs from [\(j)][\(i)]", expected: "a symmetric matrix")
                    }
                    for j in 0..<i { c[j * d + i] = c[i * d + j] }
                }
                let eigen: (values: [Double], vectors: [Double])
                do { eigen = try context.build.services.symmetricEigen(c, n: d) } catch {
                    throw node.error("its eigenvalues could not be computed (\(error))", expected: nil)
                }
                if let smallest = eigen.values.first, smallest < -1e-12 * Swift.max(scale, 1e-300) {
                    throw node.error("has a negative eigenvalue \(smallest)", expected: "a positive semi-definite covariance")
                }
                var diagonal = true
                for i in 0..<d { for j in 0..<d where i != j && c[i * d + j] != 0 { diagonal = false } }
                var factor: [Double]
                if let l = try? context.build.services.cholesky(c, n: d) {
                    factor = l
                } else {
                    // Singular but positive semi-definite: V·√Λ is a square root too.
                    factor = [Double](repeating: 0, count: d * d)
                    for i in 0..<d { for j in 0..<d { factor[i * d + j] = eigen.vectors[i * d + j] * Swift.max(0, eigen.values[j]).squareRoot() } }
                }
                p.record("covariance", .matrix(c, d))
                let noise: any GradientNoise = diagonal ? DiagonalGaussianNoise(std: (0..<d).map { factor[$0 * d + $0] })
                                                        : GaussianNoise(choleskyFactor: factor, dimension: d)
                return BuiltNoise(noise, covariance: c, note: note)
            case (nil, nil):
                throw p.map.owner.error("gives neither std nor covariance", expected: "std: σ (or one per coordinate) or covariance: [[...]]")
            case (.some, .some):
                throw p.map.owner.error("gives both std and covariance", expected: "only one of them")
            }
        }
    }()
}
