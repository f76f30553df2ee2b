/// Finding x* when the config does not give it: damped Newton with a backtracking line
/// search from a few starting points, keeping the lowest minimum found.
extension ExpressionObjective {
    /// Stationary means ‖∇f‖ < 1e-10·scale, scale = max(1, max|H_ij|·max(1, ‖x‖∞)) — about
    /// the size of ∇f's rounding error relative to 1e-10.
    static let gradientTolerance = 1e-10
    /// Converged means stationary and the next Newton step below 1e-8·max(1, ‖x‖∞) (or no
    /// step decreasing f left): this rejects the far tail of a function that only
    /// approaches its infimum (exp(−x), where ∇f vanishes but the Newton step stays 1),
    /// and lets a degenerate minimum (x⁴, where Newton converges linearly) settle.
    static let stepTolerance = 1e-8
    static let maximumIterations = 300
    /// Iterates beyond this |x_k| count as running off to infinity.
    static let runawayBound = 1e12

    /// The origin; the 2^d corners of {−1, 1}^d when d ≤ 4, else only ±(1, …, 1); and the
    /// 2d points ±e_k when d ≤ 16 — without repeats, in that order.
    static func startingPoints(dimension d: Int) -> [[Double]] {
        let origin = [Double](repeating: 0, count: d)
        var points = [origin]
        if d <= 4 {
            for mask in 0..<(1 << d) { points.append((0..<d).map { mask >> $0 & 1 == 0 ? 1 : -1 }) }
        } else {
            points.append([Double](repeating: 1, count: d))
            points.append([Double](repeating: -1, count: d))
        }
        if d <= 16 {
            for k in 0..<d {
                for sign in [1.0, -1.0] {
                    var p = origin
                    p[k] = sign
                    points.append(p)
                }
            }
        }
        var unique: [[Double]] = []
        for p in points where !unique.contains(p) { unique.append(p) }
        return unique
    }

    /// The lowest of the minima reached from `startingPoints`: points where ∇f vanishes (to
    /// `gradientTolerance`) and the Hessian is positive semi-definite. These are
    /// second-order conditions only (the inflection point of x³ passes), and a local
    /// minimum of a function unbounded below is returned like any other. Of minima whose
    /// values agree to 1e-10 (relative) the first found is kept, so a valley of minima
    /// answers with the point nearest the start, not with rounding noise.
    static func searchMinimum(_ program: ExpressionProgram) throws -> [Double] {
        let starts = startingPoints(dimension: program.dimension)
        var best: (point: [Double], value: Double)?
        for start in starts {
            guard let found = newton(program, from: start) else { continue }
            if let current = best, found.value >= current.value - 1e-10 * Swift.max(1, Swift.abs(current.value)) { continue }
            best = found
        }
        guard let best else {
            throw ExpressionError(
                position: 1,
                message: "no minimum found: damped Newton from \(starts.count) starting points (0 and ±1 patterns) "
                    + "reached no point with ‖∇f‖ < 1e-10·scale and a positive semi-definite Hessian; "
                    + "is f bounded below? Give the minimum explicitly")
        }
        return best.point
    }

    /// Damped Newton from `start`: the step solves (H + μI)p = −∇f with the least μ ∈ {0,
    /// 1e-8·s, 1e-7·s, …} (s = max(1, max|H_ij|)) for which H + μI has a Cholesky factor,
    /// so it always descends; the step length halves until Armijo's condition holds. Nil
    /// when the iterates blow up or run off, stall away from a stationary point, or stop
    /// at a saddle (a Hessian that is not positive semi-definite, to 1e-8·s).
    static func newton(_ program: ExpressionProgram, from start: [Double]) -> (point: [Double], value: Double)? {
        let d = program.dimension
        var x = start
        for _ in 0..<maximumIterations {
            let (f, g, h) = program.secondOrder(at: x)
            guard f.isFinite, g.allSatisfy(\.isFinite), h.allSatisfy(\.isFinite) else { return nil }
            let hMax = h.reduce(0) { Swift.max($0, Swift.abs($1)) }
            let xMax = x.reduce(0) { Swift.max($0, Swift.abs($1)) }
            let gNorm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let stationary = gNorm < gradientTolerance * Swift.max(1, hMax * Swift.max(1, xMax))
            if stationary && cholesky(h, dimension: d, shift: 1e-8 * Swift.max(1, hMax)) == nil { return nil }
            guard let p = newtonStep(hessian: h, gradient: g, dimension: d, scale: Swift.max(1, hMax)) else {
                return stationary ? (x, f) : nil
            }
            if stationary && p.allSatisfy({ Swift.abs($0) <= stepTolerance * Swift.max(1, xMax) }) { return (x, f) }
            let slope = zip(g, p).reduce(0) { $0 + $1.0 * $1.1 }
            var t = 1.0
            var next: [Double]?
            for _ in 0..<60 {
                let y = zip(x, p).map { $0 + t * $1 }
                let fy = y.withUnsafeBufferPointer { program.value(at: $0.baseAddress!) }
                if fy.isFinite && fy <= f + 1e-4 * t * slope {
                    next = y
                    break
                }
                t *= 0.5
            }
            guard let next, next != x else { return stationary ? (x, f) : nil }
            if next.contains(where: { Swift.abs($0) > runawayBound }) { return nil }
            x = next
        }
        return nil
    }

    private static func newtonStep(hessian h: [Double], gradient g: [Double], dimension d: Int, scale: Double) -> [Double]? {
        var shift = 0.0
        for _ in 0..<40 {
            if let l = cholesky(h, dimension: d, shift: shift) {
                // Solve L Lᵀ p = −g.
                var y = [Double](repeating: 0, count: d)
                for i in 0..<d {
                    var s = -g[i]
                    for k in 0..<i { s -= l[i * d + k] * y[k] }
                    y[i] = s / l[i * d + i]
                }
                var p = [Double](repeating: 0, count: d)
                for i in stride(from: d - 1, through: 0, by: -1) {
                    var s = y[i]
                    for k in (i + 1)..<d { s -= l[k * d + i] * p[k] }
                    p[i] = s / l[i * d + i]
                }
                return p.allSatisfy(\.isFinite) ? p : nil
            }
            shift = shift == 0 ? 1e-8 * scale : shift * 10
        }
        return nil
    }

    /// The lower Cholesky factor of H + shift·I (row-major), nil unless it is positive definite.
    static func cholesky(_ h: [Double], dimension d: Int, shift: Double) -> [Double]? {
        var l = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var s = h[i * d + j] + (i == j ? shift : 0)
                for k in 0..<j { s -= l[i * d + k] * l[j * d + k] }
                if i == j {
                    guard s > 0 else { return nil }
                    l[i * d + i] = s.squareRoot()
                } else {
                    l[i * d + j] = s / l[j * d + j]
                }
            }
        }
        return l
    }
}
