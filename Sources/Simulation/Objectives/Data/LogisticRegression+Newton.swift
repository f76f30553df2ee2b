#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The minimiser of the (regularised) logistic loss by Newton's method.
extension LogisticRegression {
    /// The minimiser of F(x) = f(x) + ½ Σ λ_k x_k² (λ = `decay`, or 0), or nil if F has none.
    ///
    /// Newton from x = 0 with Armijo backtracking while the predicted decrease gᵀH⁻¹g is above
    /// the rounding of F (10⁻¹³·F), then full Newton steps while they shrink ‖∇F‖: F is convex,
    /// so this reaches the unique minimiser to rounding precision in a few dozen steps. F has
    /// no minimiser when the data are separable (and λ = 0): F → 0 along the separating
    /// direction, and nil is returned as soon as an iterate provably separates them (F below
    /// min ωᵢ·log 2/n, reached after about log n steps), ∇²F is numerically singular (e.g.
    /// n < d), a value is not finite, or after 200 steps.
    static func newtonMinimum(data: LogisticData, exampleWeights: [Double], decay: [Double]?) -> [Double]? {
        let d = data.dimension
        let lambda = decay ?? [Double](repeating: 0, count: d)
        // Without decay, f(x) < min ωᵢ·log 2/n (over ωᵢ > 0) means every weighted example has
        // sᵢzᵢᵀx > 0: x separates the data, and f has no minimiser.
        let smallestWeight = exampleWeights.filter { $0 > 0 }.min() ?? 0
        let separating = decay == nil ? smallestWeight * log(2) / Double(data.count) : -Double.infinity
        var x = [Double](repeating: 0, count: d)
        for _ in 0..<200 {
            let (f, g, h) = derivatives(data: data, exampleWeights: exampleWeights, lambda: lambda, at: x)
            guard f.isFinite, g.allSatisfy(\.isFinite), !(f < separating) else { return nil }
            guard let step = newtonStep(gradient: g, hessian: h, order: d) else { return nil }
            let decrease = -zip(g, step).reduce(0) { $0 + $1.0 * $1.1 }
            if decrease <= 1e-13 * f && f > 0 {
                return polish(x, data: data, exampleWeights: exampleWeights, lambda: lambda)
            }
            var t = 1.0
            while value(data: data, exampleWeights: exampleWeights, lambda: lambda, at: zip(x, step).map { $0 + t * $1 })
                    > f - 1e-4 * t * decrease {
                t *= 0.5
                if t < 1e-12 { return nil }
            }
            x = zip(x, step).map { $0 + t * $1 }
        }
        return nil
    }

    /// −H⁻¹g by Cholesky; nil when H is not numerically positive definite.
    private static func newtonStep(gradient g: [Double], hessian h: [Double], order d: Int) -> [Double]? {
        guard let l = NewtonMinimizer.cholesky(h, order: d) else { return nil }
        return NewtonMinimizer.choleskySolve(l, order: d, g).map { -$0 }
    }

    /// Near the minimiser F is flat to rounding and cannot judge a step; full Newton steps
    /// judged by the gradient norm finish the job (at most 10).
    private static func polish(_ start: [Double], data: LogisticData, exampleWeights: [Double], lambda: [Double]) -> [Double] {
        var x = start
        var (_, g, h) = derivatives(data: data, exampleWeights: exampleWeights, lambda: lambda, at: x)
        var gradientNorm = NewtonMinimizer.norm(g)
        for _ in 0..<10 {
            guard gradientNorm > 0, let step = newtonStep(gradient: g, hessian: h, order: data.dimension) else { break }
            let trial = zip(x, step).map { $0 + $1 }
            let (_, gt, ht) = derivatives(data: data, exampleWeights: exampleWeights, lambda: lambda, at: trial)
            let trialNorm = NewtonMinimizer.norm(gt)
            guard trialNorm < gradientNorm else { break }
            (x, g, h, gradientNorm) = (trial, gt, ht, trialNorm)
        }
        return x
    }

    /// F(x) = (1/n) Σ ωᵢ softplus(−sᵢzᵢᵀx) + ½ Σ λ_k x_k².
    static func value(data: LogisticData, exampleWeights: [Double], lambda: [Double], at x: [Double]) -> Double {
        let d = data.dimension
        var total = 0.0
        for i in 0..<data.count {
            var m = 0.0
            for k in 0..<d { m += data.features[i * d + k] * x[k] }
            total += exampleWeights[i] * softplus(-data.labels[i] * m)
        }
        var penalty = 0.0
        for k in 0..<d { penalty += lambda[k] * x[k] * x[k] }
        return total / Double(data.count) + 0.5 * penalty
    }

    /// F, ∇F and ∇²F (row-major) in one pass over the data.
    static func derivatives(
        data: LogisticData, exampleWeights: [Double], lambda: [Double], at x: [Double]
    ) -> (value: Double, gradient: [Double], hessian: [Double]) {
        let d = data.dimension, n = data.count
        var f = 0.0
        var g = [Double](repeating: 0, count: d), h = [Double](repeating: 0, count: d * d)
        for i in 0..<n {
            let row = i * d
            var m = 0.0
            for k in 0..<d { m += data.features[row + k] * x[k] }
            let s = data.labels[i], w = exampleWeights[i]
            f += w * softplus(-s * m)
            let slope = -w * s * sigmoid(-s * m), curve = w * curvature(m)
            for a in 0..<d {
                let za = data.features[row + a]
                g[a] += slope * za
                for b in a..<d { h[a * d + b] += curve * za * data.features[row + b] }
            }
        }
        let scale = 1 / Double(n)
        f *= scale
        for a in 0..<d {
            g[a] = g[a] * scale + lambda[a] * x[a]
            f += 0.5 * lambda[a] * x[a] * x[a]
            for b in a..<d {
                h[a * d + b] *= scale
                h[b * d + a] = h[a * d + b]
            }
            h[a * d + a] += lambda[a]
        }
        return (f, g, h)
    }
}
