/// ξ = 0: full-batch gradient descent.
public struct NoNoise: GradientNoise {
    public let dimension: Int
    public init(dimension: Int) { self.dimension = dimension }
    public var covariance: [Double]? { [Double](repeating: 0, count: dimension * dimension) }
    public func perturb(
        _ g: UnsafeMutablePointer<Double>, x: UnsafePointer<Double>, stride: Int, count: Int,
        firstChain: Int, step: UInt32, normals: NormalSource, scratch: UnsafeMutablePointer<Double>
    ) {}
}

extension NoNoise {
    public static let entry = NoiseEntry("none", summary: "ξ = 0: full-batch gradient descent") { _, context in
        BuiltNoise(NoNoise(dimension: context.objective.dimension), note: "no gradient noise")
    }
}
