/// The generalised Rosenbrock valley: f(x) = Σ_{i<d−1} [b·(x_{i+1} − x_i²)² + (a − x_i)²], d ≥ 2.
///
/// A curved, narrow valley whose floor is x_{i+1} = x_i²; with the default a = 1 the global
/// minimum is f = 0 at x* = (1, …, 1) (for d ≥ 4 there is also a local minimum near
/// (−1, 1, …, 1), which `localMinima` does not list).
///
/// - Parameters:
///   - dimension: d ≥ 2.
///   - a: the valley's target, default 1.
///   - b: the valley's steepness, default 100; must be > 0.
public struct Rosenbrock: Objective {
    public let dimension: Int
    public let a: Double
    public let b: Double
    /// The global minimiser. Closed form when it exists: (1, …, 1) for a = 1, 0 for a = 0,
    /// (a, a²) for d = 2 (all with f = 0). Otherwise the valley's terms compete and x* is the
    /// lowest of the local minima that damped Newton reaches from (a, …, a), (1, …, 1),
    /// (a, …, a, a²) and along the continuations in a from the exact minima at a = 1 and a = 0;
    /// it is then a minimiser to rounding precision, global as far as these starts can tell.
    /// (For large d the valley's floor is nearly flat along one direction — condition number
    /// ~10¹² at d = 1000, a = ½ — and x* is only as precise as that conditioning allows.)
    public let minimum: [Double]
    /// The global minimum only: the basin statistics for Rosenbrock are about the valley.
    public let localMinima: [[Double]]

    public init(dimension: Int, a: Double = 1, b: Double = 100) {
        precondition(dimension >= 2, "Rosenbrock needs d ≥ 2")
        precondition(b > 0 && b.isFinite && a.isFinite, "Rosenbrock needs finite a and b > 0")
        self.dimension = dimension
        self.a = a
        self.b = b
        let minimum: [Double]
        if a == 1 || a == 0 {
            minimum = [Double](repeating: a, count: dimension)
        } else if dimension == 2 {
            minimum = [a, a * a]
        } else {
            minimum = Self.searchMinimum(dimension: dimension, a: a, b: b)
        }
        self.minimum = minimum
        self.localMinima = [minimum]
    }

    public func value(at x: [Double]) -> Double { Self.value(x, a: a, b: b) }

    public func hessian(at x: [Double]) -> [Double] {
        let d = dimension
        let (diagonal, offDiagonal) = Self.tridiagonalHessian(x, b: b)
        var h = [Double](repeating: 0, count: d * d)
        for i in 0..<d { h[i * d + i] = diagonal[i] }
        for i in 0..<(d - 1) {
            h[i * d + i + 1] = offDiagonal[i]
            h[(i + 1) * d + i] = offDiagonal[i]
        }
        return h
    }

    /// The tridiagonal Hessian of `tridiagonalHessian` at one chain of a tile.
    public func hessian(_ x: UnsafePointer<Double>, stride: Int, chain: Int, into h: UnsafeMutablePointer<Double>) {
        let d = dimension, b = b
        h.update(repeating: 0, count: d * d)
        for i in 0..<(d - 1) {
            let xi = x[i * stride + chain], next = x[(i + 1) * stride + chain]
            h[i * d + i] += 12 * b * xi * xi - 4 * b * next + 2
            h[(i + 1) * d + i + 1] += 2 * b
            h[i * d + i + 1] = -4 * b * xi
            h[(i + 1) * d + i] = -4 * b * xi
        }
    }

    /// ∂f/∂x_i = −4b·x_i·(x_{i+1} − x_i²) − 2(a − x_i)  [i < d−1]  + 2b·(x_i − x_{i−1}²)  [i > 0],
    /// one coordinate row at a time across the chains.
    public func gradient(
        _ x: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>, stride: Int, count: Int
    ) {
        let d = dimension, a = a, b = b
        let fourB = 4 * b, twoB = 2 * b
        do {
            let x0 = x, x1 = x + stride
            for c in 0..<count {
                let v = x0[c]
                g[c] = -fourB * v * (x1[c] - v * v) - 2 * (a - v)
            }
        }
        if d > 2 {
            for i in 1..<(d - 1) {
                let previous = x + (i - 1) * stride, current = x + i * stride, next = x + (i + 1) * stride
                let gi = g + i * stride
                for c in 0..<count {
                    let p = previous[c], v = current[c]
                    gi[c] = twoB * (v - p * p) - fourB * v * (next[c] - v * v) - 2 * (a - v)
                }
            }
        }
        let previous = x + (d - 2) * stride, last = x + (d - 1) * stride
        let gl = g + (d - 1) * stride
        for c in 0..<count {
            let p = previous[c]
            gl[c] = twoB * (last[c] - p * p)
        }
    }

    // MARK: one point

    static func value(_ x: [Double], a: Double, b: Double) -> Double {
        var total = 0.0
        for i in 0..<(x.count - 1) {
            let valley = x[i + 1] - x[i] * x[i], target = a - x[i]
            total += b * valley * valley + target * target
        }
        return total
    }

    static func pointGradient(_ x: [Double], a: Double, b: Double) -> [Double] {
        let d = x.count
        var g = [Double](repeating: 0, count: d)
        for i in 0..<(d - 1) {
            let valley = x[i + 1] - x[i] * x[i]
            g[i] += -4 * b * x[i] * valley - 2 * (a - x[i])
            g[i + 1] += 2 * b * valley
        }
        return g
    }

    /// The Hessian is tridiagonal: H_ii = [i < d−1](12b·x_i² − 4b·x_{i+1} + 2) + [i > 0]·2b,
    /// H_{i,i+1} = −4b·x_i.
    static func tridiagonalHessian(_ x: [Double], b: Double) -> (diagonal: [Double], offDiagonal: [Double]) {
        let d = x.count
        var diagonal = [Double](repeating: 0, count: d)
        var offDiagonal = [Double](repeating: 0, count: d - 1)
        for i in 0..<(d - 1) {
            diagonal[i] += 12 * b * x[i] * x[i] - 4 * b * x[i + 1] + 2
            diagonal[i + 1] += 2 * b
            offDiagonal[i] = -4 * b * x[i]
        }
        return (diagonal, offDiagonal)
    }

    /// s = −(H + λI)⁻¹ g by the LDLᵀ factorisation of the tridiagonal H + λI (O(d)); nil if
    /// H + λI is not positive definite (a pivot ≤ 0).
    static func dampedNewtonStep(_ x: [Double], gradient g: [Double], lambda: Double, b: Double) -> [Double]? {
        let d = x.count
        let (diagonal, offDiagonal) = tridiagonalHessian(x, b: b)
        var pivots = [Double](repeating: 0, count: d)
        var multipliers = [Double](repeating: 0, count: d)  // L_{i,i−1}
        var y = [Double](repeating: 0, count: d)
        for i in 0..<d {
            var pivot = diagonal[i] + lambda
            var rhs = -g[i]
            if i > 0 {
                multipliers[i] = offDiagonal[i - 1] / pivots[i - 1]
                pivot -= multipliers[i] * offDiagonal[i - 1]
                rhs -= multipliers[i] * y[i - 1]
            }
            guard pivot > 0, pivot.isFinite else { return nil }
            pivots[i] = pivot
            y[i] = rhs
        }
        var s = [Double](repeating: 0, count: d)
        for i in stride(from: d - 1, through: 0, by: -1) {
            s[i] = y[i] / pivots[i] - (i + 1 < d ? multipliers[i + 1] * s[i + 1] : 0)
        }
        return s
    }

    private static func descend(from start: [Double], a: Double, b: Double) -> NewtonMinimizer.Result {
        NewtonMinimizer.minimize(
            from: start,
            value: { value($0, a: a, b: b) },
            gradient: { pointGradient($0, a: a, b: b) },
            solve: { x, g, lambda in dampedNewtonStep(x, gradient: g, lambda: lambda, b: b) },
            curvatureScale: 2 + 12 * b * Swift.max(1, a * a))
    }

    private static func searchMinimum(dimension d: Int, a: Double, b: Double) -> [Double] {
        let starts = [
            [Double](repeating: a, count: d),
            [Double](repeating: 1, count: d),
            [Double](repeating: a, count: d - 1) + [a * a],
        ]
        var candidates = starts.map { descend(from: $0, a: a, b: b) }
        // Continuations: follow the minimum from a = 1 (x* = 1) and from a = 0 (x* = 0) to a.
        for origin in [1.0, 0.0] {
            var x = [Double](repeating: origin, count: d)
            let steps = 40
            for s in 1...steps {
                let t = Double(s) / Double(steps)
                x = descend(from: x, a: origin + (a - origin) * t, b: b).x
            }
            candidates.append(descend(from: x, a: a, b: b))
        }
        let localMinima = candidates.filter { $0.newtonStep != nil }
        let pool = localMinima.isEmpty ? candidates : localMinima
        return pool.min { $0.value < $1.value }!.x
    }
}

extension Rosenbrock {
    public static let entry: ObjectiveEntry = {
        let dim = Parameter<Int>.integer("dim", .value(2), .within(2...1000), "d")
        // Bounded so that x* (a² for d = 2) and f near it (b·x⁴) stay finite.
        let a = Parameter<Double>.number("a", .value(1), ValidRange("|a| ≤ 1e6", phrase: { _ in "a number with |a| ≤ 1e6" }) { Swift.abs($0) <= 1e6 },
                                         "a (x* = 1 for a = 1)")
        let b = Parameter<Double>.number("b", .value(100), .interval(0, 1e10, closedBelow: false), "valley steepness b")
        return ObjectiveEntry("rosenbrock", summary: "f = Σ_{i<d−1} b(x_{i+1} − x_i²)² + (a − x_i)²: a curved, narrow valley",
                              parameters: [dim.erased, a.erased, b.erased]) { p, _ in
            try Rosenbrock(dimension: p(dim), a: p(a), b: p(b))
        }
    }()
}
