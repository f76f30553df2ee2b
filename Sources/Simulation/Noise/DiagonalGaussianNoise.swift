/// ξ ~ N(0, diag(std²)): isotropic when every std is equal.
public struct DiagonalGaussianNoise: GradientNoise {
    public let dimension: Int
    public let std: [Double]

    public init(std: [Double]) {
        self.dimension = std.count
        self.std = std
    }

    public var covariance: [Double]? {
        var c = [Double](repeating: 0, count: dimension * dimension)
        for k in 0..<dimension { c[k * dimension + k] = std[k] * std[k] }
        return c
    }

    public func perturb(
        _ g: UnsafeMutablePointer<Double>, x: UnsafePointer<Double>, stride: Int, count: Int,
        firstChain: Int, step: UInt32, normals: NormalSource, scratch: UnsafeMutablePointer<Double>
    ) {
        std.withUnsafeBufferPointer { scale in
            normals.add(scaledBy: scale.baseAddress!, to: g, stride: stride, count: count, dimension: dimension,
                        firstChain: firstChain, step: step, purpose: .gradientNoise)
        }
    }
}
