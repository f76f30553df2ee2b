/// f(x) = ½ Σ_k h_k (x_k − x*_k)²: the quadratic with an axis-aligned Hessian, O(d) per gradient.
public struct DiagonalQuadratic: SeparableObjective, QuadraticObjective {
    public let dimension: Int
    public let minimum: [Double]
    public let curvatures: [Double]

    public init(curvatures: [Double], minimum: [Double]) {
        precondition(curvatures.count == minimum.count, "one curvature per coordinate")
        self.dimension = minimum.count
        self.minimum = minimum
        self.curvatures = curvatures
    }

    public func value(at x: [Double]) -> Double {
        var total = 0.0
        for k in 0..<dimension { total += curvatures[k] * (x[k] - minimum[k]) * (x[k] - minimum[k]) }
        return 0.5 * total
    }

    public func hessian(at x: [Double]) -> [Double] {
        var h = [Double](repeating: 0, count: dimension * dimension)
        for k in 0..<dimension { h[k * dimension + k] = curvatures[k] }
        return h
    }

    public var constantHessian: [Double]? { hessian(at: minimum) }

    public func curvature(coordinate k: Int, at xk: Double) -> Double { curvatures[k] }

    public func gradient(
        _ x: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>, stride: Int, count: Int
    ) {
        for k in 0..<dimension {
            let h = curvatures[k], m = minimum[k]
            let xk = x + k * stride, gk = g + k * stride
            for c in 0..<count { gk[c] = h * (xk[c] - m) }
        }
    }
}
