import XCTest
@testable import Simulation

/// SGD with momentum μ and dampening τ against an independent closed form: heavy ball with
/// lr·(1 − τ). From step 2 on, torch's dampened buffer b_t = μ·b_{t−1} + (1 − τ)·g_t is
/// (1 − τ) times the heavy-ball buffer b′_t = μ·b′_{t−1} + g_t started from b′_1 = b_1/(1 − τ),
/// so x ← x − lr·b_t and x ← x − lr·(1 − τ)·b′_t are the same update; the first step is the
/// undampened b_1 = g_1 of both. Only rounding separates the trajectories: each step rounds
/// (1 − τ)·g and lr·(1 − τ) differently, by an ulp, and the contracting dynamics do not
/// amplify it. With 1 − τ a power of 2 the scaling is exact and so are the trajectories.
final class DampeningTests: XCTestCase {
    let normals = NormalSource(generator: Philox4x32(seed: 8))

    func testDampenedMomentumIsHeavyBallWithAScaledLearningRate() {
        let lr = 0.05, mu = 0.9
        for tau in [0.1, 0.5, 0.75] {
            let dampened = SGD(momentum: mu, dampening: tau)
            let heavyBall = SGD(momentum: mu)
            let start: (Int, Int) -> Double = { chain, k in Double(chain % 3) - Double(k) + 0.5 }
            var a = OptimizerHarness(dampened, dimension: 3, stride: 6, count: 5, firstChain: 20, start: start)
            a.step(dampened, t: 1, lr: lr, normals: normals, gradient: testGradient(normals: normals, t: 1))
            // Heavy ball from the dampened run's state after step 1, its buffer rescaled.
            var b = a
            for i in b.state.indices where b.state[i] != OptimizerHarness.sentinel { b.state[i] /= 1 - tau }
            var worst = 0.0, scale = 0.0
            for t in 2...400 {
                a.step(dampened, t: t, lr: lr, normals: normals, gradient: testGradient(normals: normals, t: t))
                b.step(heavyBall, t: t, lr: lr * (1 - tau), normals: normals, gradient: testGradient(normals: normals, t: t))
                for chain in 20..<25 {
                    let xa = a.x(chain: chain), xb = b.x(chain: chain)
                    for k in 0..<3 {
                        worst = Swift.max(worst, Swift.abs(xa[k] - xb[k]))
                        scale = Swift.max(scale, Swift.abs(xa[k]))
                    }
                }
            }
            print("dampening \(tau): max |x_dampened − x_heavy-ball| = \(worst) over 400 steps (max |x| \(scale))")
            if tau == 0.1 {
                XCTAssertLessThan(worst, 1e-14 * scale, "dampening \(tau)")
            } else {
                XCTAssertEqual(worst, 0, "dampening \(tau): 1 − τ is a power of 2, so the two are bit-identical")
            }
            XCTAssertTrue(a.paddingIsUntouched && b.paddingIsUntouched)
        }
    }

    /// The first step is undampened (torch): b_1 = g_1, so dampened SGD's first update is
    /// lr·g_1 and not lr·(1 − τ)·g_1 — the closed form above starts from step 2 for that reason.
    func testTheFirstStepIsUndampened() {
        let dampened = SGD(momentum: 0.9, dampening: 0.5)
        var tile = OptimizerHarness(dampened, dimension: 1, stride: 1, count: 1, firstChain: 0) { _, _ in 1 }
        tile.step(dampened, t: 1, lr: 0.1, normals: normals) { _, _, _ in 2 }
        XCTAssertEqual(tile.x(chain: 0), [1 - 0.1 * 2])
        XCTAssertEqual(tile.state(chain: 0, vector: 0), [2])
        tile.step(dampened, t: 2, lr: 0.1, normals: normals) { _, _, _ in 2 }
        XCTAssertEqual(tile.state(chain: 0, vector: 0), [0.9 * 2 + 0.5 * 2])
    }
}
