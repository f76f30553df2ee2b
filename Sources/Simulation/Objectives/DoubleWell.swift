/// A tilted double well in x₀ with quadratic valleys in the other coordinates:
/// f(x) = barrier·(x₀² − 1)² + tilt·x₀ + ½ Σ_{i≥1} curvature_i·x_i².
///
/// The wells sit at the roots of ∂f/∂x₀ = 4·barrier·x₀(x₀² − 1) + tilt = 0 with |x₀| > 1/√3
/// (both exist while |tilt| < 8·barrier/(3√3), otherwise only the one against the tilt); a
/// positive tilt lowers the left well.
///
/// - Parameters:
///   - barrier: > 0, default 1 — the height of the barrier between untilted wells.
///   - tilt: default 0.
///   - curvatures: one value ≥ 0 per coordinate x₁, …; d = curvatures.count + 1.
public struct DoubleWell: SeparableObjective {
    public let dimension: Int
    public let barrier: Double
    public let tilt: Double
    public let curvatures: [Double]
    /// The lower well (x₀ = the lower of the two roots, x_i = 0 for i ≥ 1). With tilt 0 the
    /// wells tie and the right one, x₀ = +1, is taken.
    public let minimum: [Double]
    /// Every well, in increasing x₀: both when the tilt leaves two, otherwise the single one.
    public let localMinima: [[Double]]
    /// x₀ of the barrier top between two wells (the middle root of ∂f/∂x₀); with one well,
    /// −∞ or +∞ on the side where the missing well would be.
    public let barrierTop: Double

    public init(barrier: Double = 1, tilt: Double = 0, curvatures: [Double]) {
        precondition(barrier > 0 && barrier.isFinite, "DoubleWell needs a finite barrier > 0")
        precondition(tilt.isFinite, "DoubleWell needs a finite tilt")
        precondition(curvatures.allSatisfy { $0 >= 0 && $0.isFinite }, "DoubleWell needs finite curvatures ≥ 0")
        self.dimension = curvatures.count + 1
        self.barrier = barrier
        self.tilt = tilt
        self.curvatures = curvatures

        // Wells of x³ − x + q (q = tilt/(4·barrier)): the local maximum of that cubic is at
        // −1/√3 with value q + 2/(3√3), the local minimum at +1/√3 with q − 2/(3√3).
        let q = tilt / (4 * barrier)
        let edge = 1 / Double(3).squareRoot(), critical = 2 / (3 * Double(3).squareRoot())
        let cubic: (Double) -> (value: Double, derivative: Double) = { x in
            (value: x * (x * x - 1) + q, derivative: 3 * x * x - 1)
        }
        let reach = 2 + Swift.abs(q)
        var wells: [Double] = []
        if q + critical > 0 { wells.append(NewtonMinimizer.root(between: -reach, and: -edge, cubic)) }
        if q - critical < 0 { wells.append(NewtonMinimizer.root(between: edge, and: reach, cubic)) }
        if wells.count == 2 {
            barrierTop = NewtonMinimizer.root(between: -edge, and: edge, cubic)
        } else {
            barrierTop = q > 0 ? Double.infinity : -Double.infinity
        }
        let rest = [Double](repeating: 0, count: curvatures.count)
        localMinima = wells.map { [$0] + rest }
        let height: (Double) -> Double = { x in barrier * (x * x - 1) * (x * x - 1) + tilt * x }
        let lowest = wells.count == 2 && height(wells[0]) < height(wells[1]) ? wells[0] : wells[wells.count - 1]
        minimum = [lowest] + rest
    }

    public func value(at x: [Double]) -> Double {
        let s = x[0] * x[0] - 1
        var total = barrier * s * s + tilt * x[0]
        for i in 1..<dimension { total += 0.5 * curvatures[i - 1] * x[i] * x[i] }
        return total
    }

    /// Diagonal: barrier·(12x₀² − 4), then the curvatures.
    public func hessian(at x: [Double]) -> [Double] {
        let d = dimension
        var h = [Double](repeating: 0, count: d * d)
        h[0] = barrier * (12 * x[0] * x[0] - 4)
        for i in 1..<d { h[i * d + i] = curvatures[i - 1] }
        return h
    }

    /// barrier·(12x₀² − 4) for k = 0, curvature_k otherwise.
    @inline(__always)
    public func curvature(coordinate k: Int, at xk: Double) -> Double {
        k == 0 ? barrier * (12 * xk * xk - 4) : curvatures[k - 1]
    }

    /// ∂f/∂x₀ = 4·barrier·x₀(x₀² − 1) + tilt, ∂f/∂x_i = curvature_i·x_i.
    public func gradient(
        _ x: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>, stride: Int, count: Int
    ) {
        let fourBarrier = 4 * barrier, tilt = tilt
        for c in 0..<count {
            let v = x[c]
            g[c] = fourBarrier * v * (v * v - 1) + tilt
        }
        curvatures.withUnsafeBufferPointer { h in
            for i in 1..<dimension {
                let hi = h[i - 1], xi = x + i * stride, gi = g + i * stride
                for c in 0..<count { gi[c] = hi * xi[c] }
            }
        }
    }
}

extension DoubleWell {
    public static let entry: ObjectiveEntry = {
        let dim = Parameter<Int>.integer("dim", .derived, .within(1...1000), "d", defaultText: "2 (or 1 + the curvature list's length)")
        let barrier = Parameter<Double>.number("barrier", .value(1), .above(0), "barrier height between the wells at x₀ = ±1")
        let tilt = AnyParameter.documented("tilt", default: "0", valid: "a number, |tilt| ≤ 4e12·barrier", meaning: "tilt > 0 deepens the left well")
        let curvature = AnyParameter.documented("curvature", default: "1", valid: "≥ 0, scalar or d − 1 values", meaning: "curvatures of x₁ … x_{d−1}")
        return ObjectiveEntry("double-well",
                              summary: "f = barrier·(x₀² − 1)² + tilt·x₀ + ½ Σ_{i≥1} curvature_i·x_i²: two basins in x₀",
                              parameters: [dim.deferred, barrier.deferred, tilt, curvature]) { p, _ in
            let listed = p.map["curvature"].flatMap { $0.isList ? try? $0.sequence().count + 1 : nil }
            let d = try p.optional(dim) ?? listed ?? 2
            p.record("dim", .integer(d))
            let height = try p(barrier)
            // The wells solve x³ − x + tilt/(4·barrier) = 0; beyond |tilt| = 4e12·barrier they
            // would sit at |x₀| > 1e4 and f overflow near them.
            let slope = try p.map["tilt"]?.finite("a tilt with |tilt| ≤ 4e12·barrier (\(4e12 * height))") {
                Swift.abs($0 / (4 * height)) <= 1e12
            } ?? 0
            p.record("tilt", .number(slope))
            let curvatures = d == 1 ? [] : try p.map["curvature"]?.scalarOrVector(count: d - 1, expected: "a curvature ≥ 0") { $0 >= 0 }
                ?? [Double](repeating: 1, count: d - 1)
            p.record("curvature", .numbers(curvatures))
            return DoubleWell(barrier: height, tilt: slope, curvatures: curvatures)
        }
    }()
}
