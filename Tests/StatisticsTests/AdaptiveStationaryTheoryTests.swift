import XCTest
@testable import Statistics

final class AdaptiveStationaryTheoryTests: XCTestCase {
    /// A rotated 3-D Hessian (eigenvalues 0.4…3.1) and a full noise covariance.
    static let hessian = [3.0, 0.4, -0.2, 0.4, 1.0, 0.1, -0.2, 0.1, 0.5]
    static let noise = [1.0, 0.3, 0, 0.3, 0.5, 0.1, 0, 0.1, 0.8]
    static let minimum = [1.0, -1.0, 0.5]

    func parameters(_ rule: AdaptiveStationaryTheory.Rule, lr: Double, eps: Double = 1e-8, hessian: [Double] = hessian,
                    noise: [Double] = noise, minimum: [Double] = minimum, coupled: [Double]? = nil,
                    decoupled: [Double]? = nil) -> AdaptiveStationaryTheory.Parameters {
        let zero = [Double](repeating: 0, count: minimum.count)
        return .init(hessian: hessian, minimum: minimum, noiseCovariance: noise, lr: lr, rule: rule, eps: eps,
                     coupledDecay: coupled ?? zero, decoupledDecay: decoupled ?? zero)
    }

    static func gPlusDecay(_ h: [Double], _ decay: [Double]) -> [Double] {
        let d = decay.count
        var g = h
        for k in 0..<d { g[k * d + k] += decay[k] }
        return g
    }

    /// v_k = (GΣGᵀ)_kk + C_kk + ḡ_k² from the returned covariance and mean.
    /// Relative to 10⁻¹⁰, or to the Lyapunov solve's rounding 10⁻¹³/(1 − ρ) near instability.
    func assertSelfConsistent(_ t: AdaptiveStationaryTheory, _ p: AdaptiveStationaryTheory.Parameters,
                              file: StaticString = #filePath, line: UInt = #line) throws {
        let d = t.dimension, g = Self.gPlusDecay(p.hessian, p.coupledDecay)
        let tolerance = Swift.max(1e-10, 1e-13 / (1 - t.spectralRadius))
        let sigma = try XCTUnwrap(t.covariance, file: file, line: line)
        for k in 0..<d {
            var gbar = 0.0
            for j in 0..<d { gbar += g[k * d + j] * t.mean[j] - p.hessian[k * d + j] * p.minimum[j] }
            var v = p.noiseCovariance[k * d + k] + gbar * gbar
            for i in 0..<d { for j in 0..<d { v += g[k * d + i] * sigma[i * d + j] * g[k * d + j] } }
            XCTAssertEqual(t.secondMoment[k], v, accuracy: tolerance * v, "v[\(k)]", file: file, line: line)
            XCTAssertEqual(t.gradientMean[k], gbar, accuracy: 1e-12 * (1 + Swift.abs(gbar)), file: file, line: line)
            XCTAssertEqual(t.preconditioner[k], 1 / (v.squareRoot() + p.eps), accuracy: tolerance * t.preconditioner[k], file: file, line: line)
        }
    }

    /// With P frozen, z = P^(−½)y turns the preconditioned recursion into plain SGD on the
    /// symmetric Hessian P^(½)GP^(½) with noise P^(½)CP^(½): Adam is heavy ball with momentum
    /// and dampening β₁, RMSprop plain SGD, RMSprop with momentum μ heavy ball without
    /// dampening. `SGDStationaryTheory` (its own recursion) is the oracle: Σ = P^(½)Σ_z P^(½).
    func testPreconditionedRecursionIsSGDInScaledCoordinates() throws {
        let cases: [(AdaptiveStationaryTheory.Rule, Double, Double, Double)] = [
            (.adam(beta1: 0.9), 0.02, 0.9, 0.9), (.rmsprop(momentum: 0, centered: false, alpha: 0.99), 0.01, 0, 0),
            (.rmsprop(momentum: 0.8, centered: false, alpha: 0.99), 0.005, 0.8, 0),
        ]
        for (rule, lr, momentum, dampening) in cases {
            let p = parameters(rule, lr: lr, coupled: [0.1, 0, 0.3])
            let t = try AdaptiveStationaryTheory(p)
            XCTAssertNil(t.failure)
            try assertSelfConsistent(t, p)
            let root = t.preconditioner.map { $0.squareRoot() }
            let g = Self.gPlusDecay(p.hessian, p.coupledDecay)
            let scaled = { (m: [Double]) in (0..<9).map { m[$0] * root[$0 / 3] * root[$0 % 3] } }
            let sgd = try SGDStationaryTheory(.init(hessian: scaled(g), minimum: [0, 0, 0], noiseCovariance: scaled(p.noiseCovariance),
                                                    lr: lr, momentum: momentum, dampening: dampening, nesterov: false,
                                                    weightDecay: [0, 0, 0]))
            let expected = scaled(try XCTUnwrap(sgd.covariance))
            let sigma = try XCTUnwrap(t.covariance)
            let scale = expected.map(Swift.abs).max()!
            for i in 0..<9 { XCTAssertEqual(sigma[i], expected[i], accuracy: 1e-11 * scale, "\(rule) entry \(i)") }
            // Coupled decay: the mean is the L2-regularised minimiser, whatever P is.
            let mean = try LinearAlgebra.solve(g, (0..<3).map { i in (0..<3).reduce(0) { $0 + p.hessian[i * 3 + $1] * p.minimum[$1] } }, n: 3)
            for k in 0..<3 { XCTAssertEqual(t.mean[k], mean[k], accuracy: 1e-13) }
        }
    }

    /// 1-D RMSprop, ε = 0: with k = lr·p·h, Var x = k σ²/(h²(2 − k)) and v = h²Var + σ² =
    /// 2σ²/(2 − k), so k solves k/√(2 − k) = lr·h/(σ√2) — a scalar equation, by bisection here.
    func testOneDimensionalRMSpropClosedForm() throws {
        let h = 4.0, sigma2 = 0.3
        for lr in [0.01, 0.3, 3.0] {
            let t = try AdaptiveStationaryTheory(parameters(.rmsprop(momentum: 0, centered: false, alpha: 0.9), lr: lr, eps: 0,
                                                            hessian: [h], noise: [sigma2], minimum: [0.7]))
            var lo = 0.0, hi = 2.0
            for _ in 0..<200 {
                let k = (lo + hi) / 2
                if k / (2 - k).squareRoot() < lr * h / (2 * sigma2).squareRoot() { lo = k } else { hi = k }
            }
            let k = (lo + hi) / 2
            XCTAssertEqual(try XCTUnwrap(t.covariance)[0], k * sigma2 / (h * h * (2 - k)), accuracy: 1e-10 * sigma2 / (h * h), "lr \(lr)")
            XCTAssertEqual(t.secondMoment[0], 2 * sigma2 / (2 - k), accuracy: 1e-10 * sigma2, "lr \(lr)")
            XCTAssertEqual(t.mean[0], 0.7, accuracy: 1e-15)
        }
    }

    /// Centered RMSprop in 1-D: the frozen denominator² is Var(g) − Var(a) with
    /// a the α-EMA of g. With r = 1 − lr·p·h, s² = Var x and σ² the noise variance,
    /// γ₀ = h²s² + σ², γ_j = Cov(g_t, g_{t−j}) = h r^(j−1)(r h s² − lr·p·σ²), and
    /// Var(a) = (1−α)/(1+α)·(γ₀ + 2 Σ_j α^j γ_j) = (1−α)/(1+α)·(γ₀ + 2α h c/(1 − αr)).
    func testCenteredDenominatorIsGradientVarianceMinusItsAverage() throws {
        let h = 2.0, sigma2 = 0.5, lr = 0.05, alpha = 0.9
        let t = try AdaptiveStationaryTheory(parameters(.rmsprop(momentum: 0, centered: true, alpha: alpha), lr: lr, eps: 1e-3,
                                                        hessian: [h], noise: [sigma2], minimum: [0]))
        let s2 = try XCTUnwrap(t.covariance)[0], p = t.preconditioner[0], r = 1 - lr * p * h
        XCTAssertEqual(s2, lr * p * sigma2 / (h * (2 - lr * p * h)), accuracy: 1e-12 * s2)
        let gamma0 = h * h * s2 + sigma2, c = r * h * s2 - lr * p * sigma2
        let varA = (1 - alpha) / (1 + alpha) * (gamma0 + 2 * alpha * h * c / (1 - alpha * r))
        XCTAssertEqual(t.secondMoment[0], gamma0 - varA, accuracy: 1e-10 * gamma0)
        XCTAssertEqual(p, 1 / ((gamma0 - varA).squareRoot() + 1e-3), accuracy: 1e-10 * p)
    }

    /// The numbers of issue 14 (diag(1, 10), noise std (1, 0.5)), from an independent
    /// fixed-point iteration around scipy.linalg.solve_discrete_lyapunov.
    func testIssueReferenceNumbers() throws {
        let h = [1.0, 0, 0, 10], c = [1.0, 0, 0, 0.25]
        let adam = try AdaptiveStationaryTheory(parameters(.adam(beta1: 0.9), lr: 0.01, hessian: h, noise: c, minimum: [0, 0]))
        XCTAssertEqual(adam.covariance![0] + adam.covariance![3], 0.005228890352355, accuracy: 1e-14)
        let rms = try AdaptiveStationaryTheory(parameters(.rmsprop(momentum: 0, centered: false, alpha: 0.99), lr: 0.001,
                                                          hessian: h, noise: c, minimum: [0, 0]))
        XCTAssertEqual(rms.covariance![0] + rms.covariance![3], 0.0005252503226193, accuracy: 1e-15)
        let p = parameters(.adam(beta1: 0.9), lr: 0.01, hessian: h, noise: c, minimum: [1, -1], decoupled: [0.5, 0.5])
        let adamw = try AdaptiveStationaryTheory(p)
        XCTAssertEqual(adamw.mean[0], 0.65366528, accuracy: 1e-8)
        XCTAssertEqual(adamw.mean[1], -0.97115642, accuracy: 1e-8)
        XCTAssertEqual(adamw.covariance![0] + adamw.covariance![3], 0.0031490596252429, accuracy: 1e-14)
        try assertSelfConsistent(adamw, p)
    }

    /// Decoupled decay: λμ_k(√v_k + ε) = −ḡ_k at the solution, on the rotated problem, with β₁ = 0
    /// (RMSprop-like AdamW) and 0.9, and for NAdam's limit.
    func testDecoupledMeanBalancesTheDecay() throws {
        for rule in [AdaptiveStationaryTheory.Rule.adam(beta1: 0), .adam(beta1: 0.9), .nadam(beta1: 0.9)] {
            let p = parameters(rule, lr: 0.01, decoupled: [0.5, 0.2, 1.0])
            let t = try AdaptiveStationaryTheory(p)
            try assertSelfConsistent(t, p)
            for k in 0..<3 {
                let balance = p.decoupledDecay[k] * t.mean[k] * (t.secondMoment[k].squareRoot() + p.eps)
                XCTAssertEqual(balance, -t.gradientMean[k], accuracy: 1e-12, "\(rule) coordinate \(k)")
            }
        }
    }

    /// The largest stable lr: closed form with positive-definite noise, bisection without
    /// noise against the closed forms of the SGD-like maps at P = 1/ε.
    func testStabilityLimits() throws {
        // Positive-definite noise: 2/max λ with decoupled decay, none without.
        let adamw = try AdaptiveStationaryTheory(parameters(.adam(beta1: 0.9), lr: 0.01, decoupled: [0.5, 0.2, 1.0]))
        XCTAssertEqual(try XCTUnwrap(adamw.stabilityLimit), 2.0, accuracy: 1e-15)
        XCTAssertEqual(adamw.stabilityMethod, .closedForm)
        let adam = try AdaptiveStationaryTheory(parameters(.adam(beta1: 0.9), lr: 0.01))
        XCTAssertNil(adam.stabilityLimit)
        // Up to 0.2 % below AdamW's limit, where ρ(A) is within 10⁻⁶ of 1 and v is ~10⁴ times
        // the noise: the self-consistent solution is found and is self-consistent.
        for lr in [1.9, 1.95, 1.99, 1.996] {
            let p = parameters(.adam(beta1: 0.9), lr: lr, decoupled: [0.5, 0.2, 1.0])
            let near = try AdaptiveStationaryTheory(p)
            XCTAssertNil(near.failure, "lr \(lr)")
            try assertSelfConsistent(near, p)
        }
        for lr in [1.0, 10.0, 100.0] {
            let p = parameters(.adam(beta1: 0.9), lr: lr)
            let far = try AdaptiveStationaryTheory(p)
            XCTAssertNil(far.failure, "lr \(lr)")
            try assertSelfConsistent(far, p)
        }

        // Noiseless with coupled decay: ḡ = 0, v = 0, P = 1/ε; the limits of SGD-like maps with
        // lr·ε⁻¹: plain 2/λmax, heavy ball 2(1 + μ)/λmax, Adam 2(1 + β₁)/((1 − β₁)λmax), NAdam
        // 2(1 + β₁)/((1 − β₁)(1 + 2β₁)λmax) (where det(A + I) = 0).
        let eps = 0.1, decay = [0.1, 0, 0.3]
        let lambdaMax = try LinearAlgebra.symmetricEigen(Self.gPlusDecay(Self.hessian, decay), n: 3).values.last!
        let zero = [Double](repeating: 0, count: 9)
        let expected: [(AdaptiveStationaryTheory.Rule, Double)] = [
            (.rmsprop(momentum: 0, centered: false, alpha: 0.99), 2),
            (.rmsprop(momentum: 0.5, centered: false, alpha: 0.99), 3),
            (.adam(beta1: 0.9), 38),
            (.nadam(beta1: 0.9), 2 * 1.9 / (0.1 * 2.8)),
        ]
        for (rule, factor) in expected {
            let t = try AdaptiveStationaryTheory(parameters(rule, lr: 0.01, eps: eps, noise: zero, coupled: decay))
            XCTAssertEqual(t.stabilityMethod, .bisection)
            XCTAssertEqual(try XCTUnwrap(t.stabilityLimit), factor * eps / lambdaMax, accuracy: 1e-8 * factor * eps / lambdaMax, "\(rule)")
            XCTAssertEqual(t.covariance, zero, "\(rule): noiseless and stable")
            let beyond = try AdaptiveStationaryTheory(parameters(rule, lr: 1.01 * factor * eps / lambdaMax, eps: eps, noise: zero, coupled: decay))
            XCTAssertNil(beyond.covariance)
            XCTAssertNotNil(beyond.failure)
        }
    }
}
