/// The Styblinski–Tang function: f(x) = ½ Σ_i (x_i⁴ − 16·x_i² + 5·x_i).
///
/// Separable, with 2ᵈ local minima at x_i ∈ {x₋, x₊}: x₋ ≈ −2.903534 (the global one per
/// coordinate, f ≈ −39.16617·d) and x₊ ≈ 2.746803, the outer roots of 4x³ − 32x + 5.
///
/// - Parameter dimension: d ≥ 1.
public struct StyblinskiTang: SeparableObjective {
    public let dimension: Int
    /// The global minimiser (x₋, …, x₋), x₋ the root of 4x³ − 32x + 5 in [−4, −2.5], found by
    /// safeguarded Newton to machine precision.
    public let minimum: [Double]
    /// The global minimum only.
    public let localMinima: [[Double]]

    /// The root of 4x³ − 32x + 5 = 0 that minimises x⁴ − 16x² + 5x.
    public static let coordinateMinimum: Double = NewtonMinimizer.root(between: -4, and: -2.5) { x in
        (value: 4 * x * x * x - 32 * x + 5, derivative: 12 * x * x - 32)
    }

    public init(dimension: Int) {
        precondition(dimension >= 1, "Styblinski–Tang needs d ≥ 1")
        self.dimension = dimension
        self.minimum = [Double](repeating: Self.coordinateMinimum, count: dimension)
        self.localMinima = [minimum]
    }

    public func value(at x: [Double]) -> Double {
        var total = 0.0
        for v in x { total += v * v * v * v - 16 * v * v + 5 * v }
        return 0.5 * total
    }

    /// Diagonal: ∂²f/∂x_i² = 6x_i² − 16.
    public func hessian(at x: [Double]) -> [Double] {
        let d = dimension
        var h = [Double](repeating: 0, count: d * d)
        for i in 0..<d { h[i * d + i] = 6 * x[i] * x[i] - 16 }
        return h
    }

    /// ∂²f/∂x_k² = 6x_k² − 16.
    @inline(__always)
    public func curvature(coordinate k: Int, at xk: Double) -> Double { 6 * xk * xk - 16 }

    /// ∂f/∂x_i = 2x_i³ − 16x_i + 5/2.
    public func gradient(
        _ x: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>, stride: Int, count: Int
    ) {
        for k in 0..<dimension {
            let xk = x + k * stride, gk = g + k * stride
            for c in 0..<count {
                let v = xk[c]
                gk[c] = (2 * v * v - 16) * v + 2.5
            }
        }
    }
}

extension StyblinskiTang {
    public static let entry: ObjectiveEntry = {
        let dim = Parameter<Int>.integer("dim", .value(2), .within(1...1000), "d")
        return ObjectiveEntry("styblinski-tang", summary: "f = ½ Σ (x_i⁴ − 16x_i² + 5x_i): 2^d local minima, global at x_i ≈ −2.9035",
                              parameters: [dim.erased]) { p, _ in
            try StyblinskiTang(dimension: p(dim))
        }
    }()
}
