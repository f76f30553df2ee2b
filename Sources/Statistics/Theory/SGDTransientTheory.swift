/// The exact mean loss and covariance trace of SGD (plain, heavy ball, Nesterov, dampening,
/// coupled L2) or SGLD on a quadratic at every step, from the initial law on: the linear
/// recursion of `SGDStationaryTheory` run forward with each step's learning rate.
///
/// With y = x − x̄ (x̄ = H_λ⁻¹ H x*, which no lr moves), the state s = (y, b) follows
/// s_t = A_t s_{t−1} + B_t ξ_t with A_t, B_t those of `SGDStationaryTheory.recursion` at
/// lr_t and, because torch copies the first gradient into the buffer (b_1 = g_1), no
/// dampening at t = 1. Its mean and covariance are propagated exactly,
///
///     m_t = A_t m_{t−1},    S_t = A_t S_{t−1} A_tᵀ + B_t C B_tᵀ (+ 2·lr_t·T·I for SGLD),
///
/// from m_0 = (E x_0 − x̄, 0) and S_0 = (Cov x_0, 0), so they hold for any additive noise of
/// covariance C (Gaussian or not). The mean loss follows from the first two moments:
///
///     E f(x_t) = ½ tr(H S_t) + ½ (m_t + x̄ − x*)ᵀ H (m_t + x̄ − x*)
///
/// (S_t, m_t restricted to the iterate block). When H, C, λ and Cov x_0 are all diagonal
/// every coordinate is its own 1×1 or 2×2 recursion, O(d) per step; otherwise the dense
/// recursion costs O(n³) per step, n = d or 2d. Refused (`TooCostly`) beyond `workBudget`
/// flops or `maximumSteps` steps.
public struct SGDTransientTheory: Sendable {
    public struct Parameters: Sendable {
        public var hessian: [Double]
        public var minimum: [Double]
        public var noiseCovariance: [Double]
        public var momentum: Double
        public var dampening: Double
        public var nesterov: Bool
        public var weightDecay: [Double]
        /// SGLD's temperature T (0 for SGD).
        public var temperature: Double
        public var initialMean: [Double]
        /// Cov x_0, row-major d×d.
        public var initialCovariance: [Double]
        /// lr_t of updates t = 1 … steps (index t − 1).
        public var learningRates: [Double]

        public init(hessian: [Double], minimum: [Double], noiseCovariance: [Double], momentum: Double, dampening: Double,
                    nesterov: Bool, weightDecay: [Double], temperature: Double = 0, initialMean: [Double],
                    initialCovariance: [Double], learningRates: [Double]) {
            self.hessian = hessian
            self.minimum = minimum
            self.noiseCovariance = noiseCovariance
            self.momentum = momentum
            self.dampening = dampening
            self.nesterov = nesterov
            self.weightDecay = weightDecay
            self.temperature = temperature
            self.initialMean = initialMean
            self.initialCovariance = initialCovariance
            self.learningRates = learningRates
        }
    }

    /// The largest cost in floating-point operations (about 4n³ per step dense, 20d diagonal):
    /// every run of a quadratic computes the theory, so it must stay a small part of the run.
    public static let workBudget = 4e9
    /// The most steps whose loss and trace are kept (two arrays of doubles).
    public static let maximumSteps = 10_000_000

    public struct TooCostly: Error, CustomStringConvertible {
        public let description: String
    }

    /// E f(x_t) for t = 0 … steps (index t; t = 0 is the initial law).
    public let lossMean: [Double]
    /// tr Cov(x_t) for t = 0 … steps.
    public let covarianceTrace: [Double]
    /// Whether the O(d) coordinate-wise recursion was used.
    public let isDiagonal: Bool

    public init(_ p: Parameters) throws {
        let d = p.minimum.count
        var hw = p.hessian
        for k in 0..<d { hw[k * d + k] += p.weightDecay[k] }
        let centre: [Double]
        if p.weightDecay.allSatisfy({ $0 == 0 }) {
            centre = p.minimum
        } else {
            var hx = [Double](repeating: 0, count: d)
            for i in 0..<d { for j in 0..<d { hx[i] += p.hessian[i * d + j] * p.minimum[j] } }
            centre = try LinearAlgebra.solve(hw, hx, n: d)
        }
        let diagonal = [p.hessian, p.noiseCovariance, p.initialCovariance].allSatisfy { Self.isDiagonal($0, d: d) }
        isDiagonal = diagonal
        let steps = p.learningRates.count, n = Double(p.momentum == 0 ? d : 2 * d)
        let work = (diagonal ? 20 * Double(d) : 4 * n * n * n) * Double(steps)
        guard steps <= Self.maximumSteps, work <= Self.workBudget else {
            throw TooCostly(description: "the \(diagonal ? "diagonal" : "dense") transient recursion over \(steps) steps would take "
                            + "\(work) flops (limits: \(Self.maximumSteps) steps, \(Self.workBudget) flops)")
        }
        if diagonal {
            (lossMean, covarianceTrace) = Self.diagonalRecursion(p, hw: hw, centre: centre)
        } else {
            (lossMean, covarianceTrace) = Self.denseRecursion(p, hw: hw, centre: centre)
        }
    }

    /// The first step t ≥ 1 with E f(x_t) ≤ target, nil if there is none.
    public func firstStep(atOrBelow target: Double) -> Int? {
        lossMean.indices.dropFirst().first { lossMean[$0] <= target }
    }

    static func isDiagonal(_ m: [Double], d: Int) -> Bool {
        for i in 0..<d { for j in 0..<d where i != j && m[i * d + j] != 0 { return false } }
        return true
    }

    /// The gain of the gradient in the x update and the buffer's carry coefficient of step t:
    /// x ← x − lr·(gain·g + carry·b_{t−1}) (with carry multiplied by lr), b ← μ·b + keep·g.
    @inline(__always)
    static func coefficients(_ p: Parameters, step t: Int) -> (gain: Double, carry: Double, keep: Double) {
        let mu = p.momentum
        let keep = t == 1 ? 1 : 1 - p.dampening
        if mu == 0 { return (1, 0, keep) }
        return p.nesterov ? (1 + mu * keep, mu * mu, keep) : (keep, mu, keep)
    }

    private static func diagonalRecursion(_ p: Parameters, hw: [Double], centre: [Double]) -> ([Double], [Double]) {
        let d = p.minimum.count, steps = p.learningRates.count, mu = p.momentum
        var my = (0..<d).map { p.initialMean[$0] - centre[$0] }
        var mb = [Double](repeating: 0, count: d)
        var vyy = (0..<d).map { p.initialCovariance[$0 * d + $0] }
        var vyb = [Double](repeating: 0, count: d), vbb = vyb
        let h = (0..<d).map { hw[$0 * d + $0] }, curvature = (0..<d).map { p.hessian[$0 * d + $0] }
        let c = (0..<d).map { p.noiseCovariance[$0 * d + $0] }
        let offset = (0..<d).map { centre[$0] - p.minimum[$0] }
        var loss = [Double](repeating: 0, count: steps + 1), trace = loss
        func record(_ t: Int) {
            var f = 0.0, tr = 0.0
            for k in 0..<d {
                let e = my[k] + offset[k]
                f += curvature[k] * (vyy[k] + e * e)
                tr += vyy[k]
            }
            loss[t] = 0.5 * f
            trace[t] = tr
        }
        record(0)
        for t in stride(from: 1, through: steps, by: 1) {
            let eta = p.learningRates[t - 1]
            let (gain, carry, keep) = coefficients(p, step: t)
            let langevin = 2 * eta * p.temperature
            for k in 0..<d {
                let a11 = 1 - eta * gain * h[k], b1 = -eta * gain
                if mu == 0 {
                    my[k] *= a11
                    vyy[k] = a11 * a11 * vyy[k] + b1 * b1 * c[k] + langevin
                    continue
                }
                let a12 = -eta * carry, a21 = keep * h[k], a22 = mu, b2 = keep
                let y = my[k], b = mb[k]
                my[k] = a11 * y + a12 * b
                mb[k] = a21 * y + a22 * b
                let syy = vyy[k], syb = vyb[k], sbb = vbb[k]
                vyy[k] = a11 * a11 * syy + 2 * a11 * a12 * syb + a12 * a12 * sbb + b1 * b1 * c[k] + langevin
                vyb[k] = a11 * a21 * syy + (a11 * a22 + a12 * a21) * syb + a12 * a22 * sbb + b1 * b2 * c[k]
                vbb[k] = a21 * a21 * syy + 2 * a21 * a22 * syb + a22 * a22 * sbb + b2 * b2 * c[k]
            }
            record(t)
        }
        return (loss, trace)
    }

    private static func denseRecursion(_ p: Parameters, hw: [Double], centre: [Double]) -> ([Double], [Double]) {
        let d = p.minimum.count, steps = p.learningRates.count, mu = p.momentum
        let n = mu == 0 ? d : 2 * d
        var m = [Double](repeating: 0, count: n)
        for k in 0..<d { m[k] = p.initialMean[k] - centre[k] }
        var s = [Double](repeating: 0, count: n * n)
        for i in 0..<d { for j in 0..<d { s[i * n + j] = p.initialCovariance[i * d + j] } }
        let offset = (0..<d).map { centre[$0] - p.minimum[$0] }
        var loss = [Double](repeating: 0, count: steps + 1), trace = loss
        func record(_ t: Int) {
            var f = 0.0, tr = 0.0
            for i in 0..<d {
                tr += s[i * n + i]
                for j in 0..<d {
                    f += p.hessian[i * d + j] * (s[i * n + j] + (m[i] + offset[i]) * (m[j] + offset[j]))
                }
            }
            loss[t] = 0.5 * f
            trace[t] = tr
        }
        record(0)
        var a = [Double](repeating: 0, count: n * n), q = a
        for t in stride(from: 1, through: steps, by: 1) {
            let eta = p.learningRates[t - 1]
            let (gain, carry, keep) = coefficients(p, step: t)
            // A_t as `SGDStationaryTheory.recursion`, and Q_t = B_t C B_tᵀ with B_t = [−η·gain·I; keep·I].
            for i in 0..<d {
                for j in 0..<d {
                    a[i * n + j] = (i == j ? 1 : 0) - eta * gain * hw[i * d + j]
                    let cij = p.noiseCovariance[i * d + j]
                    q[i * n + j] = eta * gain * eta * gain * cij + (i == j ? 2 * eta * p.temperature : 0)
                    if mu != 0 {
                        a[(d + i) * n + j] = keep * hw[i * d + j]
                        q[i * n + d + j] = -eta * gain * keep * cij
                        q[(d + i) * n + j] = -eta * gain * keep * cij
                        q[(d + i) * n + d + j] = keep * keep * cij
                    }
                }
                if mu != 0 {
                    a[i * n + d + i] = -eta * carry
                    a[(d + i) * n + d + i] = mu
                }
            }
            var next = [Double](repeating: 0, count: n)
            for i in 0..<n { for j in 0..<n { next[i] += a[i * n + j] * m[j] } }
            m = next
            s = LinearAlgebra.multiply(LinearAlgebra.multiply(a, s, n: n), a, n: n, transposeB: true)
            for i in 0..<(n * n) { s[i] += q[i] }
            // Exactly symmetric, as a covariance.
            for i in 0..<n { for j in 0..<i { let v = 0.5 * (s[i * n + j] + s[j * n + i]); s[i * n + j] = v; s[j * n + i] = v } }
            record(t)
        }
        return (loss, trace)
    }
}
