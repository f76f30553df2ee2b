/// The stationary law of SGD (plain, heavy-ball or Nesterov momentum, dampening, coupled L2)
/// on a quadratic f = ½(x − x*)ᵀH(x − x*) with additive gradient noise of covariance C.
///
/// With H_λ = H + diag(λ) the iterate's stationary mean is x̄ = H_λ⁻¹ H x*. Writing
/// y = x − x̄, b the momentum buffer, μ the momentum, τ the dampening and η the lr, one step
/// of torch.optim.SGD is the linear recursion s_t = A s_{t−1} + B ξ_t on s = (y, b):
///
///     no momentum:  A = I − η H_λ,                               B = −η I
///     heavy ball:   A = [[I − η(1−τ)H_λ, −ημ I], [(1−τ)H_λ, μ I]], B = [[−η(1−τ) I], [(1−τ) I]]
///     Nesterov:     A = [[I − η(1+μ(1−τ))H_λ, −ημ² I], [(1−τ)H_λ, μ I]],
///                   B = [[−η(1+μ(1−τ)) I], [(1−τ) I]]
///
/// The exact stationary covariance solves the discrete Lyapunov equation
/// Σ = A Σ Aᵀ + B C Bᵀ (when the spectral radius ρ(A) < 1; `DiscreteLyapunov`); the
/// covariance of x is Σ's top-left block.
/// The continuous-time (Ornstein–Uhlenbeck / SDE) approximation solves
/// H_λ Σ + Σ H_λ = η_eff C with η_eff = η(1 − τ)/(1 − μ), exact only as η → 0.
///
/// SGLD (temperature T, no momentum) adds √(2ηT)·N(0, I) to every step: Q gains 2ηT·I in
/// the iterate block, and the continuous limit becomes H_λ Σ + Σ H_λ = ηC + 2T·I — with
/// C = 0 the Gibbs covariance T·H_λ⁻¹.
public struct SGDStationaryTheory: Sendable {
    public struct Parameters: Sendable {
        public var hessian: [Double]
        public var minimum: [Double]
        public var noiseCovariance: [Double]
        public var lr: Double
        public var momentum: Double
        public var dampening: Double
        public var nesterov: Bool
        public var weightDecay: [Double]
        /// SGLD's temperature T (0 for SGD).
        public var temperature: Double

        public init(hessian: [Double], minimum: [Double], noiseCovariance: [Double], lr: Double,
                    momentum: Double, dampening: Double, nesterov: Bool, weightDecay: [Double], temperature: Double = 0) {
            self.hessian = hessian
            self.minimum = minimum
            self.noiseCovariance = noiseCovariance
            self.lr = lr
            self.momentum = momentum
            self.dampening = dampening
            self.nesterov = nesterov
            self.weightDecay = weightDecay
            self.temperature = temperature
        }
    }

    public let dimension: Int
    public let mean: [Double]
    /// ρ(A): the recursion is stable, and a stationary law exists, iff it is below 1.
    public let spectralRadius: Double
    /// For plain SGD: 2/λ_max(H_λ), the largest stable lr. Nil with momentum.
    public let stabilityLimit: Double?
    /// Exact stationary covariance (nil when unstable).
    public let covariance: [Double]?
    /// Continuous-time approximation (nil when H_λ is not positive definite).
    public let continuousCovariance: [Double]?

    public init(_ p: Parameters) throws {
        let d = p.minimum.count
        dimension = d
        var hw = p.hessian
        for k in 0..<d { hw[k * d + k] += p.weightDecay[k] }
        var hx = [Double](repeating: 0, count: d)
        for i in 0..<d { for j in 0..<d { hx[i] += p.hessian[i * d + j] * p.minimum[j] } }
        mean = try LinearAlgebra.solve(hw, hx, n: d)

        let eigen = try LinearAlgebra.symmetricEigen(hw, n: d)
        stabilityLimit = p.momentum == 0 && eigen.values.last! > 0 ? 2 / eigen.values.last! : nil

        let (a, b, n) = Self.recursion(p, hw: hw)
        spectralRadius = try LinearAlgebra.spectralRadius(a, n: n)
        if spectralRadius < 1 {
            var q = DiscreteLyapunov.input(b: b, noise: p.noiseCovariance, n: n, d: d)
            for k in 0..<d { q[k * n + k] += 2 * p.lr * p.temperature }
            let full = DiscreteLyapunov.smithDoubling(a: a, q: q, n: n)
            covariance = (0..<(d * d)).map { full[($0 / d) * n + $0 % d] }
        } else {
            covariance = nil
        }

        if eigen.values.first! > 0, p.momentum < 1 {
            let effectiveLR = p.lr * (1 - p.dampening) / (1 - p.momentum)
            // In H_λ's eigenbasis V: Σ' = (Vᵀ η C V)_ij / (λ_i + λ_j), then Σ = V Σ' Vᵀ.
            let v = eigen.vectors
            var rotated = LinearAlgebra.multiply(LinearAlgebra.multiply(v, p.noiseCovariance, n: d, transposeA: true), v, n: d)
            for i in 0..<d {
                for j in 0..<d {
                    let langevin = i == j ? 2 * p.temperature : 0
                    rotated[i * d + j] = (effectiveLR * rotated[i * d + j] + langevin) / (eigen.values[i] + eigen.values[j])
                }
            }
            continuousCovariance = LinearAlgebra.multiply(LinearAlgebra.multiply(v, rotated, n: d), v, n: d, transposeB: true)
        } else {
            continuousCovariance = nil
        }
    }

    /// A (n×n) and B (n×d) of the linear recursion, n = d or 2d.
    static func recursion(_ p: Parameters, hw: [Double]) -> (a: [Double], b: [Double], n: Int) {
        let d = p.minimum.count, eta = p.lr, mu = p.momentum, keep = 1 - p.dampening
        if mu == 0 {
            var a = [Double](repeating: 0, count: d * d), b = a
            for i in 0..<d {
                for j in 0..<d { a[i * d + j] = (i == j ? 1 : 0) - eta * hw[i * d + j] }
                b[i * d + i] = -eta
            }
            return (a, b, d)
        }
        let n = 2 * d
        let gain = p.nesterov ? 1 + mu * keep : keep
        let carry = p.nesterov ? mu * mu : mu
        var a = [Double](repeating: 0, count: n * n), b = [Double](repeating: 0, count: n * d)
        for i in 0..<d {
            for j in 0..<d {
                a[i * n + j] = (i == j ? 1 : 0) - eta * gain * hw[i * d + j]
                a[(d + i) * n + j] = keep * hw[i * d + j]
            }
            a[i * n + d + i] = -eta * carry
            a[(d + i) * n + d + i] = mu
            b[i * d + i] = -eta * gain
            b[(d + i) * d + i] = keep
        }
        return (a, b, n)
    }
}
