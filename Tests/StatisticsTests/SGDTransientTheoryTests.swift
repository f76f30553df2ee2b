import XCTest
@testable import Statistics

/// `SGDTransientTheory` against closed forms and against the stationary theory it must
/// converge to (its agreement with an independent moment recursion and with simulations is in
/// ExperimentsTests/TransientTheoryTests).
final class SGDTransientTheoryTests: XCTestCase {
    let h = [3.0, 0.4, -0.2, 0.4, 1.0, 0.1, -0.2, 0.1, 0.5]
    let c = [1.0, 0.3, 0, 0.3, 0.5, 0.1, 0, 0.1, 0.8]

    func parameters(momentum: Double = 0, dampening: Double = 0, nesterov: Bool = false, hessian: [Double]? = nil,
                    noise: [Double]? = nil, decay: [Double] = [0.01, 0.02, 0], lrs: [Double]) -> SGDTransientTheory.Parameters {
        .init(hessian: hessian ?? h, minimum: [1, -1, 0.5], noiseCovariance: noise ?? c, momentum: momentum, dampening: dampening,
              nesterov: nesterov, weightDecay: decay, initialMean: [3, 0, -1], initialCovariance: [0.2, 0, 0, 0, 0.1, 0, 0, 0, 0.3],
              learningRates: lrs)
    }

    /// 1-D SGD from a point: m_t = (1 − ηh)^t m_0 and v_t = η²σ²(1 − a^{2t})/(1 − a²), a = 1 − ηh.
    func testPlainSGDClosedForm() throws {
        let eta = 0.3, hh = 2.0, s2 = 0.5, a = 1 - eta * hh
        let theory = try SGDTransientTheory(.init(hessian: [hh], minimum: [1], noiseCovariance: [s2], momentum: 0, dampening: 0,
                                                  nesterov: false, weightDecay: [0], initialMean: [4], initialCovariance: [0],
                                                  learningRates: [Double](repeating: eta, count: 50)))
        XCTAssertTrue(theory.isDiagonal)
        for t in 0...50 {
            let m = pow(a, Double(t)) * 3, v = eta * eta * s2 * (1 - pow(a, Double(2 * t))) / (1 - a * a)
            XCTAssertEqual(theory.covarianceTrace[t], v, accuracy: 1e-14)
            XCTAssertEqual(theory.lossMean[t], 0.5 * hh * (v + m * m), accuracy: 1e-13)
        }
    }

    /// With a constant lr the recursion converges to the stationary law of the discrete
    /// Lyapunov equation (`SGDStationaryTheory`, Smith doubling): heavy ball with dampening,
    /// Nesterov and plain SGD, dense (rotated H) and diagonal.
    func testConstantLearningRateConvergesToTheStationaryTheory() throws {
        let cases: [(Double, Double, Bool, Double)] = [(0, 0, false, 0.2), (0.9, 0.3, false, 0.03), (0.8, 0, true, 0.04)]
        for (mu, tau, nesterov, lr) in cases {
            for diagonal in [false, true] {
                let hessian = diagonal ? [3.0, 0, 0, 0, 1, 0, 0, 0, 0.5] : h, noise = diagonal ? [1.0, 0, 0, 0, 0.5, 0, 0, 0, 0.8] : c
                let transient = try SGDTransientTheory(parameters(momentum: mu, dampening: tau, nesterov: nesterov, hessian: hessian,
                                                                  noise: noise, lrs: [Double](repeating: lr, count: 4000)))
                XCTAssertEqual(transient.isDiagonal, diagonal)
                let stationary = try SGDStationaryTheory(.init(hessian: hessian, minimum: [1, -1, 0.5], noiseCovariance: noise, lr: lr,
                                                               momentum: mu, dampening: tau, nesterov: nesterov, weightDecay: [0.01, 0.02, 0]))
                let covariance = try XCTUnwrap(stationary.covariance)
                let trace = covariance[0] + covariance[4] + covariance[8]
                XCTAssertEqual(transient.covarianceTrace.last!, trace, accuracy: 1e-9 * trace, "μ \(mu), diagonal \(diagonal)")
            }
        }
    }

    /// Dampening does not apply to torch's first step (b_1 = g_1): one step of heavy ball
    /// from a point moves the mean by exactly −η·∇f, whatever τ.
    func testFirstStepIgnoresDampening() throws {
        for tau in [0.0, 0.5, 0.9] {
            let theory = try SGDTransientTheory(.init(hessian: [2], minimum: [0], noiseCovariance: [0], momentum: 0.9, dampening: tau,
                                                      nesterov: false, weightDecay: [0], initialMean: [1], initialCovariance: [0],
                                                      learningRates: [0.1, 0.1]))
            XCTAssertEqual(theory.lossMean[1], 0.5 * 2 * 0.8 * 0.8, accuracy: 1e-15, "τ \(tau)")
            // Step 2: b = 0.9·(2·1) + (1 − τ)·(2·0.8), x = 0.8 − 0.1·b.
            let x2 = 0.8 - 0.1 * (0.9 * 2 + (1 - tau) * 1.6)
            XCTAssertEqual(theory.lossMean[2], x2 * x2, accuracy: 1e-15, "τ \(tau)")
        }
    }

    func testStepsToTargetIsTheFirstStepAtOrBelowIt() throws {
        let theory = try SGDTransientTheory(parameters(lrs: [Double](repeating: 0.1, count: 300)))
        let target = theory.lossMean[37]
        XCTAssertEqual(theory.firstStep(atOrBelow: target), 37)
        XCTAssertEqual(theory.firstStep(atOrBelow: theory.lossMean[0]), 1, "t = 0 does not count")
        XCTAssertNil(theory.firstStep(atOrBelow: -1))
    }

    func testDenseRecursionBeyondItsBudgetIsRefused() {
        let d = 60
        var hessian = [Double](repeating: 0.01, count: d * d)
        for k in 0..<d { hessian[k * d + k] = 1 }
        let p = SGDTransientTheory.Parameters(
            hessian: hessian, minimum: [Double](repeating: 0, count: d), noiseCovariance: hessian, momentum: 0.9, dampening: 0,
            nesterov: false, weightDecay: [Double](repeating: 0, count: d), initialMean: [Double](repeating: 1, count: d),
            initialCovariance: [Double](repeating: 0, count: d * d), learningRates: [Double](repeating: 0.01, count: 1_000_000))
        XCTAssertThrowsError(try SGDTransientTheory(p)) { XCTAssertTrue($0 is SGDTransientTheory.TooCostly) }
    }
}
