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
