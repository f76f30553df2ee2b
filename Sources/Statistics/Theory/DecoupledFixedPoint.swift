import CGSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the expected update of an optimizer with decoupled weight decay vanishes:
/// ∇f(x) + ψ(x) = 0, one balance ψ_k per coordinate.
///
/// The decay x ← x·(1 − lr·λ) pulls by lr·λ·x; the optimizer's mean step pushes back. Per
/// coordinate with λ_k > 0 the balance is ∇f(x)_k = −ψ_k(x_k) with ψ_k increasing on
/// (−1/λ_k, 1/λ_k) and infinite at its ends, so on a convex f the point is unique. Writing
/// a = λ_k·x_k and ḡ = ∇f(x):
///
/// - AdamW (and NAdam/RAdam with decoupled decay, once their schedules μ_t and r_t have
///   converged) with the second moment frozen at v = u + ḡ² (u the gradient's variance):
///   λx(√v + ε) = −ḡ, solved for ḡ:
///
///       ψ = a·(ε + √(a²ε² + (1 − a²)·u)) / (1 − a²)
///
///   Noiseless (u = 0): ψ = a·ε/(1 − |a|), so the point minimises
///   f(x) + ε·Σ_k (−|x_k| − ln(1 − λ_k|x_k|)/λ_k): a log barrier of the box ‖x‖∞ ≤ 1/λ with
///   weight ε. It depends on λ and ε, never on lr.
/// - Lion: stationarity of the mean gives λ·E[x] = −E[sign(c)], c = β₁m + (1 − β₁)g; with c
///   Gaussian of mean ḡ and standard deviation s, E[sign c] = erf(ḡ/(√2·s)) and
///
///       ψ = s·Φ⁻¹((1 + a)/2)
///
///   (s from the noise alone, `lionNoiseStd`: the cloud's own spread is neglected, so this is
///   the lr → 0 limit). Noiseless (s = 0): the box-constrained minimiser argmin f subject to
///   ‖x‖∞ ≤ 1/λ, the ε → 0 limit of AdamW's point, computed as such (ε = 1e-12 times the
///   gradient's scale at the start).
///
/// Solved by Newton's method on ∇f + κψ = 0 with backtracking on ‖·‖₂ inside the box; when
/// the direct solve from `start` fails, by continuation κ = 10¹⁶, 10¹⁵, …, 1 from x = 0 (ψ is
/// homogeneous in (ε, √u) and in s, so κ scales the barrier).
public enum DecoupledFixedPoint {
    /// The balance of one coordinate.
    public enum Balance: Sendable, Equatable {
        /// λ = 0: ∇f(x)_k = 0.
        case none
        /// AdamW with v frozen at variance + ḡ².
        case adamW(decay: Double, eps: Double, variance: Double)
        /// Lion with c ~ N(ḡ, std²); std 0 is the box ‖x‖∞ ≤ 1/λ.
        case lion(decay: Double, std: Double)
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// s of Lion's c = β₁m + (1 − β₁)g from additive noise of variance σ², with m the β₂-EMA of
    /// past gradients: s² = σ²·((1 − β₁)² + β₁²(1 − β₂)/(1 + β₂)).
    public static func lionNoiseStd(variance: Double, beta1: Double, beta2: Double) -> Double {
        (variance * ((1 - beta1) * (1 - beta1) + beta1 * beta1 * (1 - beta2) / (1 + beta2))).squareRoot()
    }

    /// The point where ∇f(x) + ψ(x) = 0.
    /// - Parameters:
    ///   - gradient, hessian: ∇f(x) (d) and ∇²f(x) (d×d row-major); f convex for uniqueness.
    ///   - start: a point inside the box to start Newton's method from [0].
    public static func solve(balances: [Balance], start: [Double]? = nil,
                             gradient: @escaping ([Double]) -> [Double], hessian: @escaping ([Double]) -> [Double]) throws -> [Double] {
        let d = balances.count
        let zero = [Double](repeating: 0, count: d)
        // Lion without noise: AdamW's barrier with a vanishing ε.
        let scale = Swift.max(1, gradient(zero).map(Swift.abs).max() ?? 1)
        let resolved = balances.map { b -> Balance in
            if case .lion(let decay, let std) = b, std == 0 { return .adamW(decay: decay, eps: 1e-12 * scale, variance: 0) }
            return b
        }
        let problem = Problem(balances: resolved, gradient: gradient, hessian: hessian)
        if let start, problem.feasible(start), let x = problem.newton(from: start, kappa: 1) { return x }
        var x = zero
        for exponent in stride(from: 16, through: 0, by: -1) {
            guard let next = problem.newton(from: x, kappa: pow10(exponent)) else {
                throw Failure(description: "Newton's method did not converge (barrier scale 1e\(exponent))")
            }
            x = next
        }
        return x
    }

    static func pow10(_ e: Int) -> Double { (0..<e).reduce(1.0) { r, _ in r * 10 } }

    struct Problem {
        let balances: [Balance]
        let gradient: ([Double]) -> [Double]
        let hessian: ([Double]) -> [Double]

        func feasible(_ x: [Double]) -> Bool {
            for (k, b) in balances.enumerated() {
                switch b {
                case .none: continue
                case .adamW(let decay, _, _), .lion(let decay, _):
                    if !(Swift.abs(decay * x[k]) < 1) { return false }
                }
            }
            return x.allSatisfy(\.isFinite)
        }

        /// ψ_k(x_k) and dψ_k/dx_k.
        func balance(_ k: Int, _ x: Double) -> (value: Double, slope: Double) {
            switch balances[k] {
            case .none:
                return (0, 0)
            case .adamW(let decay, let eps, let u):
                let a = decay * x, w = 1 - a * a
                let r = (a * a * eps * eps + w * u).squareRoot()
                let value = a * (eps + r) / w
                let dr = r > 0 ? a * (eps * eps - u) / r : 0
                let slope = ((eps + r) + a * dr) / w + 2 * a * a * (eps + r) / (w * w)
                return (value, decay * slope)
            case .lion(let decay, let s):
                let a = decay * x
                // Φ⁻¹ from the nearer tail, where its argument is small and exact.
                let z = a > 0 ? -gsl_cdf_ugaussian_Pinv((1 - a) / 2) : gsl_cdf_ugaussian_Pinv((1 + a) / 2)
                let density = exp(-z * z / 2) / (2 * Double.pi).squareRoot()
                return (s * z, s * decay / (2 * density))
            }
        }

        func residual(_ x: [Double], kappa: Double) -> [Double] {
            var r = gradient(x)
            for k in r.indices { r[k] += kappa * balance(k, x[k]).value }
            return r
        }

        /// Newton's method from x at barrier scale κ; nil when it stalls.
        func newton(from start: [Double], kappa: Double) -> [Double]? {
            let d = balances.count
            var x = start
            var r = residual(x, kappa: kappa)
            var norm = Self.norm(r)
            guard norm.isFinite else { return nil }
            for _ in 0..<200 {
                if norm == 0 { return x }
                var jacobian = hessian(x)
                var size = 0.0
                for k in 0..<d {
                    let b = balance(k, x[k])
                    jacobian[k * d + k] += kappa * b.slope
                    size = Swift.max(size, Swift.abs(r[k] - kappa * b.value) + Swift.abs(kappa * b.value))
                }
                guard let step = try? LinearAlgebra.solve(jacobian, r, n: d) else { return nil }
                var t = 1.0, accepted = false
                while t > 1e-14 {
                    let trial = zip(x, step).map { $0 - t * $1 }
                    if feasible(trial) {
                        let rt = residual(trial, kappa: kappa), nt = Self.norm(rt)
                        if nt.isFinite, nt <= (1 - 1e-4 * t) * norm {
                            let moved = zip(trial, x).map { Swift.abs($0 - $1) }.max() ?? 0
                            (x, r, norm, accepted) = (trial, rt, nt, true)
                            if moved <= 1e-15 * (1 + (x.map(Swift.abs).max() ?? 0)) { return x }
                            break
                        }
                    }
                    t /= 2
                }
                // Rounding stops the descent: converged if the residual is at rounding level.
                if !accepted { return norm <= 1e-11 * Swift.max(size, 1e-300) * Double(d).squareRoot() ? x : nil }
            }
            return nil
        }

        static func norm(_ r: [Double]) -> Double { r.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    }
}
