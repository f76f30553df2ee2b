#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The frozen-preconditioner stationary law of Adam, AdamW, RMSprop (plain, momentum,
/// centered) and — once their step schedules have converged — NAdam and RAdam, on a quadratic
/// f = ½(x − x*)ᵀH(x − x*) with additive gradient noise of covariance C and a constant lr η.
///
/// Hold the second moment at its stationary mean v_k = E[g_k²] and P = diag(1/(√v + ε)) is
/// a constant matrix: the recursion in s = (y, m), y = x − μ, is linear. With G = H + diag(λ)
/// for coupled decay and Δ = diag(1 − η·λ) for decoupled decay (bias corrections → 1):
///
///     Adam, AdamW, RAdam (r_t → 1):  A = [[Δ − η(1−β₁)PG, −ηβ₁P], [(1−β₁)G, β₁I]],
///                                    B = [[−η(1−β₁)P], [(1−β₁)I]]
///     NAdam (μ_t → β₁):              A = [[Δ − η(1−β₁²)PG, −ηβ₁²P], [(1−β₁)G, β₁I]],
///                                    B = [[−η(1−β₁²)P], [(1−β₁)I]]
///     RMSprop:                       A = Δ − ηPG,                          B = −ηP
///     RMSprop, momentum μ:           A = [[Δ − ηPG, −ημI], [PG, μI]],      B = [[−ηP], [P]]
///     centered RMSprop:              s gains a ← αa + (1−α)g: rows [(1−α)G, 0, αI], B row (1−α)I
///
/// Σ = A Σ Aᵀ + B C Bᵀ (`DiscreteLyapunov`; P·G is not symmetric). The mean: E[m] = ḡ must
/// vanish, so μ = G⁻¹Hx* without decoupled decay; with it λμ_k(√v_k + ε) = −ḡ_k
/// (`DecoupledFixedPoint`), ḡ = Gμ − Hx*. Self-consistency: v_k = (GΣ_xGᵀ)_kk + C_kk + ḡ_k²
/// (the gradient g_t = G y_{t−1} + ξ_t sees the cloud); centered, the frozen denominator² is
/// E[s − a²] = Var(g_k) − Var(a_k). Solved for u = v − ḡ² (the gradient's variance) by Newton's
/// method on log u with a finite-difference Jacobian (d ≤ 24; damped iteration above).
/// β₂ (α without centering) does not enter: this is the β₂ → 1 limit, where v's relative
/// fluctuation √(1 − β₂) vanishes.
///
/// Stability (`stabilityLimit`): when C is positive definite, noise excites every mode, so as
/// ρ(A) → 1 the cloud and with it v grow without bound and P → 0: the self-consistent map stays
/// stable at every lr, except that decoupled decay diverges once |1 − η·λ| > 1 whatever P
/// does — the limit is 2/max λ (closed form), or none. Otherwise (C singular, or zero) the
/// largest η with a stable self-consistent solution, by bisection on η.
public struct AdaptiveStationaryTheory: Sendable {
    public enum Rule: Sendable, Equatable {
        /// Adam, AdamW and RAdam's rectified limit.
        case adam(beta1: Double)
        /// NAdam's limit μ_t → β₁, P → 0.
        case nadam(beta1: Double)
        case rmsprop(momentum: Double, centered: Bool, alpha: Double)
    }

    public struct Parameters: Sendable {
        public var hessian: [Double]
        public var minimum: [Double]
        public var noiseCovariance: [Double]
        public var lr: Double
        public var rule: Rule
        public var eps: Double
        public var coupledDecay: [Double]
        public var decoupledDecay: [Double]

        public init(hessian: [Double], minimum: [Double], noiseCovariance: [Double], lr: Double, rule: Rule,
                    eps: Double, coupledDecay: [Double], decoupledDecay: [Double]) {
            self.hessian = hessian
            self.minimum = minimum
            self.noiseCovariance = noiseCovariance
            self.lr = lr
            self.rule = rule
            self.eps = eps
            self.coupledDecay = coupledDecay
            self.decoupledDecay = decoupledDecay
        }
    }

    /// How `stabilityLimit` was found.
    public enum StabilityMethod: String, Sendable {
        /// Noise excites every mode: 2/max λ of decoupled decay, or no limit.
        case closedForm = "closed form"
        case bisection
    }

    public let dimension: Int
    /// μ: the stationary mean (for decoupled decay the frozen-v point of `DecoupledFixedPoint`).
    public let mean: [Double]
    /// ḡ = Gμ − Hx*, the mean gradient.
    public let gradientMean: [Double]
    /// The frozen v (centered: Var(g) − Var(a)).
    public let secondMoment: [Double]
    /// 1/(√v + ε) per coordinate.
    public let preconditioner: [Double]
    /// ρ(A) at the solution; ≥ 1 when there is no stable one.
    public let spectralRadius: Double
    /// The stationary covariance of x (nil when there is no stable self-consistent solution).
    public let covariance: [Double]?
    /// Newton iterations of the self-consistency.
    public let iterations: Int
    /// Why there is no covariance, when there is none.
    public let failure: String?
    /// The largest stable lr (nil: stable at every lr).
    public let stabilityLimit: Double?
    public let stabilityMethod: StabilityMethod

    /// Largest dimension solved with a full finite-difference Jacobian.
    static let newtonDimension = 24

    public init(_ p: Parameters) throws {
        let d = p.minimum.count
        dimension = d
        let model = Model(p)
        let solution = model.solve()
        mean = solution.evaluation.mean
        gradientMean = solution.evaluation.gradientMean
        secondMoment = solution.evaluation.secondMoment
        preconditioner = secondMoment.map { 1 / ($0.squareRoot() + p.eps) }
        spectralRadius = solution.evaluation.spectralRadius
        covariance = solution.failure == nil ? solution.evaluation.covariance : nil
        iterations = solution.iterations
        failure = solution.failure
        (stabilityLimit, stabilityMethod) = Self.stability(p)
    }

    /// The largest lr with a stable self-consistent solution, and how it was found.
    static func stability(_ p: Parameters) -> (Double?, StabilityMethod) {
        let maxDecay = p.decoupledDecay.max() ?? 0
        let cap: Double? = maxDecay > 0 ? 2 / maxDecay : nil
        if (try? LinearAlgebra.cholesky(p.noiseCovariance, n: p.minimum.count)) != nil { return (cap, .closedForm) }
        // Newton's method alone (no continuation in lr) per probe: the limit of a mode the
        // noise does not reach is sharp, with Σ bounded, where Newton converges.
        func stable(_ lr: Double) -> Bool {
            var q = p
            q.lr = lr
            return Model(q).solve(start: nil).failure == nil
        }
        var lo = 0.0, hi = 0.0
        var probe = p.lr > 0 ? p.lr : 1e-3
        if let cap { probe = Swift.min(probe, cap / 2) }
        if stable(probe) {
            lo = probe
            while true {
                let next = 2 * lo
                if let cap, next >= cap { if stable(cap * (1 - 1e-9)) { return (cap, .bisection) }; hi = cap; break }
                if next > 1e12 * probe { return (nil, .bisection) }
                if stable(next) { lo = next } else { hi = next; break }
            }
        } else {
            hi = probe
            while true {
                let next = hi / 2
                if next < 1e-12 * probe { return (0, .bisection) }
                if stable(next) { lo = next; break } else { hi = next }
            }
        }
        for _ in 0..<60 where hi - lo > 1e-10 * hi {
            let mid = (lo + hi) / 2
            if stable(mid) { lo = mid } else { hi = mid }
        }
        return (lo, .bisection)
    }
}

extension AdaptiveStationaryTheory {
    /// One evaluation of the frozen-v map at a given gradient variance u.
    struct Evaluation {
        var mean: [Double]
        var gradientMean: [Double]
        var secondMoment: [Double]
        var spectralRadius: Double
        var covariance: [Double]?
        /// The gradient variance the cloud implies (centered: minus Var(a)); nil when unstable.
        var implied: [Double]?
    }

    struct Solution {
        var evaluation: Evaluation
        var iterations: Int
        var failure: String?
        /// u at the last iterate.
        var variance: [Double] = []
    }

    struct Model {
        let p: Parameters
        let d: Int
        /// G = H + diag(λ coupled).
        let g: [Double]
        /// H x*.
        let hx: [Double]

        init(_ p: Parameters) {
            self.p = p
            d = p.minimum.count
            var g = p.hessian
            for k in 0..<d { g[k * d + k] += p.coupledDecay[k] }
            self.g = g
            var hx = [Double](repeating: 0, count: d)
            for i in 0..<d { for j in 0..<d { hx[i] += p.hessian[i * d + j] * p.minimum[j] } }
            self.hx = hx
        }

        var centered: Bool { if case .rmsprop(_, true, _) = p.rule { return true }; return false }

        func gradient(_ x: [Double]) -> [Double] {
            (0..<d).map { i in (0..<d).reduce(-hx[i]) { $0 + g[i * d + $1] * x[$1] } }
        }

        /// μ given the gradient variance u.
        func mean(variance u: [Double], start: [Double]?) throws -> [Double] {
            guard p.decoupledDecay.contains(where: { $0 != 0 }) else { return try LinearAlgebra.solve(g, hx, n: d) }
            let balances: [DecoupledFixedPoint.Balance] = (0..<d).map { k in
                p.decoupledDecay[k] == 0 ? .none : .adamW(decay: p.decoupledDecay[k], eps: p.eps, variance: Swift.max(0, u[k]))
            }
            return try DecoupledFixedPoint.solve(balances: balances, start: start, gradient: gradient, hessian: { _ in g })
        }

        /// A (n×n) and B (n×d) of the linear recursion at preconditioner P.
        func recursion(_ pre: [Double]) -> (a: [Double], b: [Double], n: Int) {
            let eta = p.lr
            let keep = (0..<d).map { 1 - eta * p.decoupledDecay[$0] }
            // Blocks: x, then the momentum-like state, then a (centered).
            let gain: Double, carry: Double, memory: Double, input: Double
            let momentumBlock: Bool, centeredAlpha: Double?
            switch p.rule {
            case .adam(let b1):
                (gain, carry, memory, input, momentumBlock, centeredAlpha) = (1 - b1, b1, b1, 1 - b1, true, nil)
            case .nadam(let b1):
                (gain, carry, memory, input, momentumBlock, centeredAlpha) = (1 - b1 * b1, b1 * b1, b1, 1 - b1, true, nil)
            case .rmsprop(let mu, let centered, let alpha):
                (gain, carry, memory, input, momentumBlock, centeredAlpha) = (1, mu, mu, 1, mu > 0, centered ? alpha : nil)
            }
            let isRMSprop: Bool
            if case .rmsprop = p.rule { isRMSprop = true } else { isRMSprop = false }
            let n = d * (1 + (momentumBlock ? 1 : 0) + (centeredAlpha == nil ? 0 : 1))
            var a = [Double](repeating: 0, count: n * n), b = [Double](repeating: 0, count: n * d)
            for i in 0..<d {
                for j in 0..<d { a[i * n + j] = -eta * gain * pre[i] * g[i * d + j] }
                a[i * n + i] += keep[i]
                b[i * d + i] = -eta * gain * pre[i]
                if momentumBlock {
                    let row = d + i
                    // Adam: m ← β₁m + (1 − β₁)g; RMSprop: b ← μb + P g.
                    for j in 0..<d { a[row * n + j] = (isRMSprop ? pre[i] : input) * g[i * d + j] }
                    a[row * n + row] = memory
                    b[row * d + i] = isRMSprop ? pre[i] : input
                    // x's step carries the old state: −η·carry·(P for Adam, I for RMSprop).
                    a[i * n + row] = -eta * carry * (isRMSprop ? 1 : pre[i])
                }
                if let alpha = centeredAlpha {
                    let row = n - d + i
                    for j in 0..<d { a[row * n + j] = (1 - alpha) * g[i * d + j] }
                    a[row * n + row] = alpha
                    b[row * d + i] = 1 - alpha
                }
            }
            return (a, b, n)
        }

        /// The map at u; with `covariance: false` only up to the spectral radius.
        func evaluate(variance u: [Double], meanStart: [Double]?, covariance: Bool = true) throws -> Evaluation {
            let mu = try mean(variance: u, start: meanStart)
            let gbar = gradient(mu)
            let v = (0..<d).map { k in Swift.max(0, centered ? u[k] : u[k] + gbar[k] * gbar[k]) }
            let pre = v.map { 1 / ($0.squareRoot() + p.eps) }
            let (a, b, n) = recursion(pre)
            let rho = try LinearAlgebra.spectralRadius(a, n: n)
            var e = Evaluation(mean: mu, gradientMean: gbar, secondMoment: v, spectralRadius: rho, covariance: nil, implied: nil)
            guard rho < 1, pre.allSatisfy(\.isFinite), covariance else { return e }
            let full = DiscreteLyapunov.smithDoubling(a: a, q: DiscreteLyapunov.input(b: b, noise: p.noiseCovariance, n: n, d: d), n: n)
            let sigma = (0..<(d * d)).map { full[($0 / d) * n + $0 % d] }
            e.covariance = sigma
            e.implied = (0..<d).map { k in
                var s = p.noiseCovariance[k * d + k]
                for i in 0..<d { for j in 0..<d { s += g[k * d + i] * sigma[i * d + j] * g[k * d + j] } }
                if centered { s -= full[(n - d + k) * n + (n - d + k)] }
                return s
            }
            return e
        }

        /// The self-consistent u = implied(u): Newton's method from the noise variances, and the
        /// path in lr from a smaller lr where that fails (`continuation`).
        func solve() -> Solution {
            let direct = solve(start: nil)
            guard direct.failure != nil, !p.noiseCovariance.allSatisfy({ $0 == 0 }),
                  direct.evaluation.spectralRadius.isFinite else { return direct }
            return continuation() ?? direct
        }

        /// Near ρ(A) = 1 (lr close to 2/λ, or a noise weak along some direction) the residual is
        /// dominated by the nearly critical mode and Newton's method from afar wanders. From an
        /// lr where it converges (halving), walk up to the target lr in geometric steps, each
        /// started from the log-linear extrapolation of the last two solutions (steps halved on
        /// failure, doubled on success; at most 100 of them).
        func continuation() -> Solution? {
            var lr = p.lr, base: Solution? = nil
            for _ in 0..<30 {
                lr /= 2
                var q = p
                q.lr = lr
                let trial = Model(q).solve(start: nil)
                if trial.failure == nil { base = trial; break }
            }
            guard var current = base else { return nil }
            var previous: (lr: Double, u: [Double])? = nil
            var fraction = 0.25, total = current.iterations, steps = 0
            while lr < p.lr {
                steps += 1
                if steps > 100 { return nil }
                let next = Swift.min(p.lr, lr * (1 + fraction))
                var start = current.variance
                if let previous {
                    let slope = log(next / lr) / log(lr / previous.lr)
                    start = (0..<d).map { k in
                        current.variance[k] > 0 && previous.u[k] > 0
                            ? current.variance[k] * pow(current.variance[k] / previous.u[k], slope) : current.variance[k]
                    }
                }
                var q = p
                q.lr = next
                // A good start converges in a few iterations; more means the step was too long.
                let trial = Model(q).solve(start: start, inflation: 1.25, maxIterations: 12)
                total += trial.iterations
                if trial.failure == nil {
                    previous = (lr, current.variance)
                    (lr, current, fraction) = (next, trial, Swift.min(1, 2 * fraction))
                } else {
                    fraction /= 2
                    if fraction < 1e-6 { return nil }
                }
            }
            current.iterations = total
            return current
        }

        /// Newton's method on R(w) = w − log implied(eʷ), w = log u, from `start` (default: the
        /// noise variances), first inflated by `inflation` until the map is stable.
        func solve(start: [Double]?, inflation: Double = 4, maxIterations: Int = 200) -> Solution {
            let noise = (0..<d).map { p.noiseCovariance[$0 * d + $0] }
            let floor = 1e-300
            func unstable(_ e: Evaluation?, _ i: Int) -> Solution {
                Solution(evaluation: e ?? Evaluation(mean: p.minimum, gradientMean: [Double](repeating: .nan, count: d),
                                                     secondMoment: [Double](repeating: .nan, count: d), spectralRadius: .nan),
                         iterations: i,
                         failure: e.map { String(format: "no stable self-consistent preconditioner: spectral radius %.6g ≥ 1", $0.spectralRadius) }
                             ?? "the mean could not be solved")
            }
            guard var e = try? evaluate(variance: start ?? noise, meanStart: nil) else { return unstable(nil, 0) }
            // Noiseless: Σ = 0 and u = 0 whenever the map is stable.
            if noise.allSatisfy({ $0 == 0 }) && p.noiseCovariance.allSatisfy({ $0 == 0 }) {
                guard e.implied == nil else { return Solution(evaluation: e, iterations: 0, failure: nil) }
                return Solution(evaluation: e, iterations: 0, failure: String(
                    format: "without noise the fixed point is not linearly stable at this lr (spectral radius %.6g; v = ḡ² "
                        + "leaves P as large as 1/ε): the iterates oscillate about it", e.spectralRadius))
            }
            // Start where the map is stable: a larger v shrinks P.
            var u = start ?? noise
            for _ in 0..<400 where e.implied == nil {
                let top = u.max() ?? 0
                u = u.map { inflation * Swift.max($0, 1e-6 * top, 1e-300) }
                guard let next = try? evaluate(variance: u, meanStart: e.mean) else { return unstable(e, 0) }
                e = next
            }
            guard e.implied != nil else { return unstable(e, 0) }

            var w = u.map { log($0 + floor) }
            func residual(_ w: [Double], start: [Double]) -> (r: [Double], e: Evaluation)? {
                guard let e = try? evaluate(variance: w.map { Swift.max(0, exp($0) - floor) }, meanStart: start),
                      let implied = e.implied else { return nil }
                let r = (0..<d).map { w[$0] - log(Swift.max(0, implied[$0]) + floor) }
                return r.allSatisfy(\.isFinite) ? (r, e) : nil
            }
            guard var current = residual(w, start: e.mean) else { return unstable(e, 0) }
            func size(_ r: [Double]) -> Double { r.reduce(0) { $0 + $1 * $1 }.squareRoot() }
            func variance(_ w: [Double]) -> [Double] { w.map { Swift.max(0, exp($0) - floor) } }
            /// The largest t ∈ (0, 1) with ρ ≤ 1 − 10⁻¹⁰ at w − t·step (bisection on t, to 2⁻⁴⁰):
            /// closer to 1 the Lyapunov solution is rounding noise.
            func lastStable(from w: [Double], step: [Double], start: [Double]) -> Double? {
                var lo = 0.0, hi = 1.0
                for _ in 0..<40 {
                    let mid = (lo + hi) / 2
                    let trial = zip(w, step).map { $0 - mid * $1 }
                    if let e = try? evaluate(variance: trial.map { Swift.max(0, exp($0) - floor) }, meanStart: start, covariance: false),
                       e.spectralRadius <= 1 - 1e-10 {
                        lo = mid
                    } else {
                        hi = mid
                    }
                }
                return lo > 0 ? lo : nil
            }
            /// Bisection on t ∈ (0, edge] for the sign change of ⟨R(w − t·step), R(w)⟩; the
            /// end point with the smaller residual.
            func rootAlong(_ w: [Double], step: [Double], upTo edge: Double,
                           current: (r: [Double], e: Evaluation)) -> (w: [Double], value: (r: [Double], e: Evaluation))? {
                let point = { (t: Double) in zip(w, step).map { $0 - t * $1 } }
                guard let far = residual(point(edge), start: current.e.mean) else { return nil }
                func along(_ r: [Double]) -> Double { zip(r, current.r).reduce(0) { $0 + $1.0 * $1.1 } }
                if along(far.r) >= 0 { return (point(edge), far) }
                var lo = (t: 0.0, value: current), hi = (t: edge, value: far)
                for _ in 0..<50 where hi.t - lo.t > 1e-12 * edge {
                    let mid = (lo.t + hi.t) / 2
                    guard let value = residual(point(mid), start: current.e.mean) else { return nil }
                    if along(value.r) > 0 { lo = (mid, value) } else { hi = (mid, value) }
                }
                let best = lo.t > 0 && size(lo.value.r) < size(hi.value.r) ? lo : hi
                return (point(best.t), best.value)
            }
            var boundarySteps = 0
            for iteration in 1...maxIterations {
                if (current.r.map(Swift.abs).max() ?? 0) < 1e-12 {
                    return Solution(evaluation: current.e, iterations: iteration - 1, failure: nil, variance: variance(w))
                }
                var step = current.r
                if d <= AdaptiveStationaryTheory.newtonDimension {
                    var jacobian = [Double](repeating: 0, count: d * d)
                    let h = 1e-6
                    for k in 0..<d {
                        var shifted = w
                        shifted[k] += h
                        var sign = 1.0
                        var other = residual(shifted, start: current.e.mean)
                        if other == nil { shifted[k] = w[k] - h; sign = -1; other = residual(shifted, start: current.e.mean) }
                        guard let other else { return unstable(current.e, iteration) }
                        for i in 0..<d { jacobian[i * d + k] = sign * (other.r[i] - current.r[i]) / h }
                    }
                    if let newton = try? LinearAlgebra.solve(jacobian, current.r, n: d), newton.allSatisfy(\.isFinite) { step = newton }
                }
                var t = 1.0, accepted = false
                let norm = size(current.r)
                let full = zip(w, step).map { $0 - $1 }
                if let next = residual(full, start: current.e.mean) {
                    if size(next.r) <= (1 - 1e-4) * norm { (w, current, accepted) = (full, next, true) }
                } else if boundarySteps < 50, let edge = lastStable(from: w, step: step, start: current.e.mean),
                          let next = rootAlong(w, step: step, upTo: edge, current: current) {
                    // The full step crossed the stability boundary, where v grows without bound:
                    // the root lies before it. Take the point along the step where the residual
                    // turns against the current one (bisection on ⟨R(w − t·step), R(w)⟩), even
                    // if its residual is larger: a merit test would refuse every such step.
                    (w, current, accepted) = (next.w, next.value, true)
                    boundarySteps += 1
                }
                t = 0.5
                while !accepted && t > 1e-10 {
                    let trial = zip(w, step).map { $0 - t * $1 }
                    if let next = residual(trial, start: current.e.mean), size(next.r) <= (1 - 1e-4 * t) * norm {
                        (w, current, accepted) = (trial, next, true)
                        break
                    }
                    t /= 2
                }
                if !accepted {
                    // The rounding floor of the Lyapunov solve, whose condition grows like 1/(1 − ρ).
                    let rounding = Swift.min(1e-6, Swift.max(1e-9, 1e-14 / (1 - current.e.spectralRadius)))
                    if (current.r.map(Swift.abs).max() ?? 0) < rounding {
                        return Solution(evaluation: current.e, iterations: iteration, failure: nil, variance: variance(w))
                    }
                    return Solution(evaluation: current.e, iterations: iteration,
                                    failure: "the self-consistent preconditioner did not converge")
                }
            }
            return Solution(evaluation: current.e, iterations: maxIterations, failure: "the self-consistent preconditioner did not converge")
        }
    }
}
