import XCTest
@testable import Statistics

final class SGDStationaryTheoryTests: XCTestCase {
    func parameters(lr: Double, momentum: Double = 0, dampening: Double = 0, nesterov: Bool = false,
                    hessian: [Double] = [1.5], noise: [Double] = [0.49], decay: [Double] = [0]) -> SGDStationaryTheory.Parameters {
        .init(hessian: hessian, minimum: [Double](repeating: 1, count: decay.count), noiseCovariance: noise, lr: lr,
              momentum: momentum, dampening: dampening, nesterov: nesterov, weightDecay: decay)
    }

    /// Plain SGD in 1-D: Var = lr σ² / (h (2 − lr h)); the SDE gives lr σ² / (2h).
    func testPlainSGDClosedForm() throws {
        let t = try SGDStationaryTheory(parameters(lr: 0.4))
        XCTAssertEqual(t.covariance![0], 0.4 * 0.49 / (1.5 * (2 - 0.4 * 1.5)), accuracy: 1e-15)
        XCTAssertEqual(t.continuousCovariance![0], 0.4 * 0.49 / 3, accuracy: 1e-15)
        XCTAssertEqual(t.stabilityLimit!, 2 / 1.5, accuracy: 1e-15)
        XCTAssertEqual(t.mean[0], 1, accuracy: 1e-15)
    }

    /// Heavy ball in 1-D: Var = lr σ² (1 + μ) / (h (1 − μ) (2(1 + μ) − lr h)).
    func testHeavyBallClosedForm() throws {
        let t = try SGDStationaryTheory(parameters(lr: 0.1, momentum: 0.9))
        XCTAssertEqual(t.covariance![0], 0.1 * 0.49 * 1.9 / (1.5 * 0.1 * (2 * 1.9 - 0.15)), accuracy: 1e-13)
        XCTAssertLessThan(t.spectralRadius, 1)
    }

    /// Dampening τ is heavy ball with lr·(1 − τ) (the buffer is (1 − τ) times heavy ball's from
    /// step 2 on; the stationary law forgets the undampened first step): the same stationary
    /// mean and covariance, on the rotated 3-D problem of `testLyapunovResidual`, with coupled L2.
    func testDampeningIsHeavyBallWithAScaledLearningRate() throws {
        let h = [3.0, 0.4, -0.2, 0.4, 1.0, 0.1, -0.2, 0.1, 0.5]
        let c = [1.0, 0.3, 0, 0.3, 0.5, 0.1, 0, 0.1, 0.8]
        for tau in [0.1, 0.5, 0.9] {
            let dampened = try SGDStationaryTheory(parameters(lr: 0.05, momentum: 0.8, dampening: tau, hessian: h, noise: c,
                                                              decay: [0.01, 0.02, 0]))
            let heavyBall = try SGDStationaryTheory(parameters(lr: 0.05 * (1 - tau), momentum: 0.8, hessian: h, noise: c,
                                                               decay: [0.01, 0.02, 0]))
            let a = try XCTUnwrap(dampened.covariance), b = try XCTUnwrap(heavyBall.covariance)
            let scale = b.map(Swift.abs).max()!
            for i in 0..<9 { XCTAssertEqual(a[i], b[i], accuracy: 1e-12 * scale, "τ \(tau), entry \(i)") }
            for k in 0..<3 { XCTAssertEqual(dampened.mean[k], heavyBall.mean[k], accuracy: 1e-15) }
            let sde = try XCTUnwrap(dampened.continuousCovariance), sdeHeavyBall = try XCTUnwrap(heavyBall.continuousCovariance)
            for i in 0..<9 { XCTAssertEqual(sde[i], sdeHeavyBall[i], accuracy: 1e-12 * scale, "τ \(tau), SDE entry \(i)") }
        }
    }

    /// Coupled L2 moves the mean to (H + λ)⁻¹ H x*.
    func testWeightDecayShiftsTheMean() throws {
        let t = try SGDStationaryTheory(parameters(lr: 0.1, decay: [0.5]))
        XCTAssertEqual(t.mean[0], 1.5 / 2.0, accuracy: 1e-15)
    }

    /// The solution satisfies Σ = A Σ Aᵀ + B C Bᵀ for a rotated 3-D problem with momentum,
    /// dampening and Nesterov.
    func testLyapunovResidual() throws {
        let h = [3.0, 0.4, -0.2, 0.4, 1.0, 0.1, -0.2, 0.1, 0.5]
        let c = [1.0, 0.3, 0, 0.3, 0.5, 0.1, 0, 0.1, 0.8]
        for (momentum, dampening, nesterov) in [(0.0, 0.0, false), (0.8, 0.1, false), (0.9, 0.0, true)] {
            let p = parameters(lr: 0.05, momentum: momentum, dampening: dampening, nesterov: nesterov, hessian: h, noise: c,
                               decay: [0.01, 0.02, 0])
            var hw = h
            for k in 0..<3 { hw[k * 3 + k] += p.weightDecay[k] }
            let (a, b, n) = SGDStationaryTheory.recursion(p, hw: hw)
            let q = DiscreteLyapunov.input(b: b, noise: c, n: n, d: 3)
            let sigma = DiscreteLyapunov.smithDoubling(a: a, q: q, n: n)
            let image = LinearAlgebra.multiply(LinearAlgebra.multiply(a, sigma, n: n), a, n: n, transposeB: true)
            let scale = sigma.map(Swift.abs).max()!
            for i in 0..<(n * n) { XCTAssertEqual(image[i] + q[i], sigma[i], accuracy: 1e-13 * scale) }
            let t = try SGDStationaryTheory(p)
            for i in 0..<3 { for j in 0..<3 { XCTAssertEqual(t.covariance![i * 3 + j], sigma[i * n + j], accuracy: 1e-15 * scale) } }
        }
    }

    /// Above the stability limit there is no stationary covariance.
    func testUnstable() throws {
        let t = try SGDStationaryTheory(parameters(lr: 1.4))
        XCTAssertGreaterThan(t.spectralRadius, 1)
        XCTAssertNil(t.covariance)
    }
}
