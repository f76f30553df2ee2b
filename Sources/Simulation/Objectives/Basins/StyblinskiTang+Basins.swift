extension StyblinskiTang {
    public var basinRule: String {
        "bit k of the basin index is set when x_k ≥ \(Self.coordinateBarrier), the local maximum of x⁴ − 16x² + 5x; basin 0 is the global minimum: the exact domains of attraction of the gradient flow, coordinate by coordinate"
    }

    /// Basins are tracked up to this dimension (2ᵈ of them).
    public static let maximumBasinDimension = 6

    /// The local maximum of x⁴ − 16x² + 5x, the middle root of 4x³ − 32x + 5 ≈ 0.156731:
    /// each coordinate flows to x₋ left of it and to x₊ right of it.
    public static let coordinateBarrier: Double = NewtonMinimizer.root(between: -1, and: 1) { x in
        (value: 4 * x * x * x - 32 * x + 5, derivative: 12 * x * x - 32)
    }

    /// The other local minimum per coordinate, x₊ ≈ 2.746803.
    public static let coordinateUpperMinimum: Double = NewtonMinimizer.root(between: 2, and: 4) { x in
        (value: 4 * x * x * x - 32 * x + 5, derivative: 12 * x * x - 32)
    }

    /// All 2ᵈ minima for d ≤ `maximumBasinDimension` (none beyond): basin b has x_k = x₊
    /// where bit k of b is set, x₋ elsewhere; basin 0 is the global minimum.
    public var basinMinima: [[Double]] {
        guard dimension <= Self.maximumBasinDimension else { return [] }
        return (0..<(1 << dimension)).map { b in
            (0..<dimension).map { k in b & (1 << k) != 0 ? Self.coordinateUpperMinimum : Self.coordinateMinimum }
        }
    }

    /// Bit k set when x_k lies right of the coordinate barrier: the exact domains of
    /// attraction of the gradient flow, coordinate by coordinate (the landscape is separable).
    public func classifyBasins(_ x: UnsafePointer<Double>, stride: Int, count: Int, into basin: UnsafeMutablePointer<Int>) {
        let top = Self.coordinateBarrier
        for c in 0..<count { basin[c] = 0 }
        for k in 0..<Swift.min(dimension, Self.maximumBasinDimension) {
            let xk = x + k * stride
            for c in 0..<count where xk[c] >= top { basin[c] |= 1 << k }
        }
    }
}
