/// Damped Newton minimisation and safeguarded one-dimensional root finding, run once when a
/// landscape without a closed-form minimiser is built — never on the hot path.
///
/// `minimize` is Levenberg–Marquardt-damped Newton: the step s solves (H + λI) s = −∇f with λ
/// raised until H + λI is positive definite and f decreases, and lowered again after every
/// accepted step, so it descends into a local minimum (never a saddle or maximum) from anywhere
/// and ends with undamped Newton steps that reach the minimiser to rounding precision.
enum NewtonMinimizer {
    /// Solves (H(x) + λI) s = −g for the step s; nil when H(x) + λI is not positive definite.
    typealias DampedSolve = (_ x: [Double], _ gradient: [Double], _ lambda: Double) -> [Double]?

    struct Result {
        var x: [Double]
        var value: Double
        var gradient: [Double]
        /// The undamped Newton step at x, nil if the Hessian there is not positive definite.
        var newtonStep: [Double]?
    }

    /// Descends from `start` to a local minimum.
    ///
    /// - Parameter curvatureScale: a typical magnitude of the Hessian, the unit of the damping λ.
    static func minimize(
        from start: [Double], value: ([Double]) -> Double, gradient: ([Double]) -> [Double],
        solve: DampedSolve, curvatureScale: Double, maxIterations: Int = 5000
    ) -> Result {
        let lambdaFloor = 1e-12 * Swift.max(curvatureScale, 1e-300)
        var x = start, f = value(x), g = gradient(x)
        var lambda = 0.0
        iterations: for _ in 0..<maxIterations {
            if !(norm(g) > 0) { break }
            var accepted = false
            for _ in 0..<200 {
                if let s = solve(x, g, lambda), s.allSatisfy(\.isFinite) {
                    if isNegligible(s, relativeTo: x) { break iterations }
                    let trial = zip(x, s).map { $0 + $1 }
                    let ft = value(trial)
                    if ft < f {
                        x = trial
                        f = ft
                        g = gradient(x)
                        lambda = lambda <= lambdaFloor ? 0 : lambda / 10
                        accepted = true
                        break
                    }
                }
                lambda = Swift.max(10 * lambda, lambdaFloor)
                if lambda > 1e200 { break iterations }
            }
            if !accepted { break }
        }
        // Near the minimiser f is flat to rounding, so the descent test above stops a little
        // early; undamped Newton steps judged by the gradient norm finish the job.
        var gNorm = norm(g)
        for _ in 0..<50 {
            guard gNorm > 0, let s = solve(x, g, 0), s.allSatisfy(\.isFinite) else { break }
            let trial = zip(x, s).map { $0 + $1 }
            let gt = gradient(trial), ft = value(trial)
            let tNorm = norm(gt)
            guard tNorm < gNorm, ft <= f + 1e-12 * (1 + Swift.abs(f)) else { break }
            x = trial
            g = gt
            f = ft
            gNorm = tNorm
        }
        return Result(x: x, value: f, gradient: g, newtonStep: solve(x, g, 0))
    }

    /// A root of f in [lo, hi], where f(lo) and f(hi) have opposite signs: Newton steps kept
    /// inside a shrinking bracket (bisection when a step leaves it), to machine precision.
    static func root(
        between lo: Double, and hi: Double, _ f: (Double) -> (value: Double, derivative: Double)
    ) -> Double {
        var below = lo, above = hi  // f(below) < 0 < f(above)
        let fLo = f(lo).value, fHi = f(hi).value
        if fLo == 0 { return lo }
        if fHi == 0 { return hi }
        precondition((fLo < 0) != (fHi < 0), "root(between:and:) needs a sign change")
        if fLo > 0 { swap(&below, &above) }
        var x = 0.5 * (lo + hi)
        var best = x, bestResidual = Double.infinity
        for _ in 0..<400 {
            let (v, dv) = f(x)
            if Swift.abs(v) < bestResidual { best = x; bestResidual = Swift.abs(v) }
            if v == 0 { return x }
            if v < 0 { below = x } else { above = x }
            let a = Swift.min(below, above), b = Swift.max(below, above)
            var next = x - v / dv
            if !(next > a && next < b) { next = a + 0.5 * (b - a) }
            if next == x || next <= a || next >= b { break }
            x = next
        }
        return best
    }

    /// Cholesky factor L (row-major, lower) of the symmetric n×n matrix a + shift·I, or nil if
    /// that matrix is not positive definite (a pivot ≤ 0 or not finite).
    static func cholesky(_ a: [Double], order n: Int, shift: Double = 0) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var pivot = a[j * n + j] + shift
            for k in 0..<j { pivot -= l[j * n + k] * l[j * n + k] }
            guard pivot > 0, pivot.isFinite else { return nil }
            let ljj = pivot.squareRoot()
            l[j * n + j] = ljj
            for i in (j + 1)..<Swift.max(j + 1, n) {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = sum / ljj
            }
        }
        return l
    }

    /// x solving L Lᵀ x = b for a Cholesky factor from `cholesky`.
    static func choleskySolve(_ l: [Double], order n: Int, _ b: [Double]) -> [Double] {
        var y = b
        for i in 0..<n {
            var sum = y[i]
            for k in 0..<i { sum -= l[i * n + k] * y[k] }
            y[i] = sum / l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<Swift.max(i + 1, n) { sum -= l[k * n + i] * y[k] }
            y[i] = sum / l[i * n + i]
        }
        return y
    }

    /// The damped solve for a dense Hessian: s = −(H + λI)⁻¹ g by Cholesky.
    static func denseSolve(hessian: @escaping ([Double]) -> [Double]) -> DampedSolve {
        { x, g, lambda in
            let n = x.count
            guard let l = cholesky(hessian(x), order: n, shift: lambda) else { return nil }
            return choleskySolve(l, order: n, g).map { -$0 }
        }
    }

    static func norm(_ v: [Double]) -> Double {
        let scale = v.reduce(0) { Swift.max($0, Swift.abs($1)) }
        guard scale > 0, scale.isFinite else { return scale }
        return scale * v.reduce(0) { $0 + ($1 / scale) * ($1 / scale) }.squareRoot()
    }

    /// Whether adding s to x changes it by no more than a few units in the last place.
    static func isNegligible(_ s: [Double], relativeTo x: [Double]) -> Bool {
        zip(s, x).allSatisfy { Swift.abs($0) <= 4 * Double.ulpOfOne * Swift.abs($1) || $0 == 0 }
    }
}
