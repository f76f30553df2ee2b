import XCTest
@testable import Simulation

/// SGLD: x ← x − lr·(g + λx) + √(2·lr·T)·ξ with ξ from the chain's optimizer-noise stream.
final class SGLDTests: XCTestCase {
    let normals = NormalSource(generator: Philox4x32(seed: 2011))

    /// One step is the gradient step plus √(2·lr·T) times draw k of the chain's
    /// `.optimizerNoise` stream at this step, exactly — as `NormalSource.draws` defines it,
    /// whatever the tiling; the gradient-noise stream is a different one.
    func testStepIsTheGradientStepPlusScaledOptimizerNoise() {
        let decay = WeightDecay.coupled([0.1, 0, 0.3])
        let sgld = SGLD(temperature: 0.7)
        let lr = 0.03, t = 7, firstChain = 9
        var tile = OptimizerHarness(sgld, decay: decay, dimension: 3, stride: 6, count: 4, firstChain: firstChain) { chain, k in Double(chain) - Double(k) }
        let before = tile
        let gradient = testGradient(normals: normals, t: t)
        tile.step(sgld, t: t, lr: lr, normals: normals, gradient: gradient)
        let scale = (2 * lr * 0.7).squareRoot()
        for chain in firstChain..<firstChain + 4 {
            let x0 = before.x(chain: chain), x1 = tile.x(chain: chain)
            let xi = NormalSource.draws(normals.generator, purpose: .optimizerNoise, chain: chain, step: UInt32(t), dimension: 3)
            let other = NormalSource.draws(normals.generator, purpose: .gradientNoise, chain: chain, step: UInt32(t), dimension: 3)
            for k in 0..<3 {
                let expected = (x0[k] - lr * (gradient(chain, k, x0) + decay.values[k] * x0[k])) + scale * xi[k]
                XCTAssertEqual(x1[k], expected, "chain \(chain), coordinate \(k)")
                XCTAssertNotEqual(xi[k], other[k], "optimizer noise is not the gradient noise")
            }
        }
        XCTAssertTrue(tile.paddingIsUntouched)
    }

    /// The standardised increments ξ = Δx/√(2·lr·T) (g = 0) have mean 0 and variance 1, and
    /// are uncorrelated — and their squares too — across coordinates (within and across the
    /// Box–Muller pairs), steps and chains. n samples give an estimate with standard error
    /// 1/√n (mean, correlations) or √(2/n) (variance); 5 standard errors are allowed.
    func testNoiseIsIndependentAcrossChainsStepsAndCoordinates() {
        let chains = 4000, d = 4, steps = 3, lr = 0.01, temperature = 2.0
        let sgld = SGLD(temperature: temperature)
        let scale = (2 * lr * temperature).squareRoot()
        var tile = OptimizerHarness(sgld, dimension: d, stride: chains, count: chains, firstChain: 0) { _, _ in 0 }
        // xi[t][k][c]
        var xi = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: chains), count: d), count: steps)
        for t in 0..<steps {
            let before = tile.x
            tile.step(sgld, t: t + 1, lr: lr, normals: normals) { _, _, _ in 0 }
            for k in 0..<d { for c in 0..<chains { xi[t][k][c] = (tile.x[k * chains + c] - before[k * chains + c]) / scale } }
        }
        let all = xi.flatMap { $0.flatMap { $0 } }
        let n = Double(all.count)
        let mean = all.reduce(0, +) / n
        let variance = all.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)
        XCTAssertLessThan(Swift.abs(mean), 5 / n.squareRoot())
        XCTAssertLessThan(Swift.abs(variance - 1), 5 * (2 / n).squareRoot())

        func correlation(_ a: [Double], _ b: [Double]) -> Double {
            let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
            var ab = 0.0, aa = 0.0, bb = 0.0
            for (u, v) in zip(a, b) { ab += (u - ma) * (v - mb); aa += (u - ma) * (u - ma); bb += (v - mb) * (v - mb) }
            return ab / (aa * bb).squareRoot()
        }
        func assertIndependent(_ a: [Double], _ b: [Double], _ what: String) {
            let bound = 5 / Double(a.count).squareRoot()
            XCTAssertLessThan(Swift.abs(correlation(a, b)), bound, what)
            XCTAssertLessThan(Swift.abs(correlation(a.map { $0 * $0 }, b.map { $0 * $0 })), bound, "\(what), squares")
        }
        let shifted = Array(1..<chains) + [0]
        for t in 0..<steps {
            assertIndependent(xi[t][0], xi[t][1], "coordinates 0, 1 (one pair), step \(t)")
            assertIndependent(xi[t][1], xi[t][2], "coordinates 1, 2 (two pairs), step \(t)")
            assertIndependent(xi[t][0], xi[t][3], "coordinates 0, 3, step \(t)")
            for k in 0..<d {
                assertIndependent(xi[t][k], shifted.map { xi[t][k][$0] }, "neighbouring chains, step \(t), coordinate \(k)")
                if t + 1 < steps { assertIndependent(xi[t][k], xi[t + 1][k], "steps \(t), \(t + 1), coordinate \(k)") }
            }
        }
        // No draw is repeated anywhere (a shared counter would repeat whole blocks).
        XCTAssertEqual(Set(all).count, all.count)
    }

    /// One tile of all chains and several tiles (other capacities, slots and first chains)
    /// give every chain the same trajectory, bit for bit: the noise is addressed by the chain,
    /// never by the slot.
    func testSeveralTilesGiveTheSameTrajectoriesAsOne() {
        let decay = WeightDecay.coupled([0.05, 0.2, 0])
        let sgld = SGLD(temperature: 1)
        func run(_ tiling: [(chains: Range<Int>, stride: Int)]) -> [[Double]] {
            var out: [[Double]] = []
            for (chains, stride) in tiling {
                var tile = OptimizerHarness(sgld, decay: decay, dimension: 3, stride: stride, count: chains.count, firstChain: chains.lowerBound) { _, k in
                    Double(k)
                }
                for t in 1...25 { tile.step(sgld, t: t, lr: 0.05, normals: normals, gradient: testGradient(normals: normals, t: t)) }
                XCTAssertTrue(tile.paddingIsUntouched)
                out += chains.map { tile.x(chain: $0) }
            }
            return out
        }
        let one = run([(0..<10, 10)])
        XCTAssertEqual(run([(0..<4, 8), (4..<5, 3), (5..<10, 5)]), one)
        XCTAssertEqual(run((0..<10).map { ($0..<$0 + 1, 1) }), one)
        // Chains do differ from each other (the noise is not shared).
        XCTAssertEqual(Set(one.map { $0[0] }).count, 10)
    }

    /// T = 0 is SGD with the same coupled decay, bit for bit.
    func testZeroTemperatureIsSGD() {
        let decay = WeightDecay.coupled([0.05, 0.2, 0])
        let sgld = SGLD(temperature: 0), sgd = SGD()
        var a = OptimizerHarness(sgld, decay: decay, dimension: 3, stride: 4, count: 3, firstChain: 0) { c, k in Double(c + k) }
        var b = OptimizerHarness(sgd, decay: decay, dimension: 3, stride: 4, count: 3, firstChain: 0) { c, k in Double(c + k) }
        for t in 1...10 {
            a.step(sgld, t: t, lr: 0.1, normals: normals, gradient: testGradient(normals: normals, t: t))
            b.step(sgd, t: t, lr: 0.1, normals: normals, gradient: testGradient(normals: normals, t: t))
        }
        XCTAssertEqual(a.x, b.x)
    }

    /// On f(x) = h·x²/2 with exact gradients, x ← (1 − lr·h)·x + √(2·lr·T)·ξ is an AR(1) process
    /// with stationary variance 2·lr·T/(1 − (1 − lr·h)²) = 2T/(h·(2 − lr·h)). The sample variance
    /// of n independent chains has standard error σ²·√(2/n); 5 of them are allowed.
    func testStationaryVarianceMatchesTheDiscreteLangevinChain() {
        let chains = 4000, h = 1.0, lr = 0.1, temperature = 0.5
        let sgld = SGLD(temperature: temperature)
        var tile = OptimizerHarness(sgld, dimension: 1, stride: chains, count: chains, firstChain: 0) { _, _ in 0 }
        // (1 − lr·h)^(2·300) = 0.81^300 ≈ 3e-28: the start is forgotten.
        for t in 1...300 { tile.step(sgld, t: t, lr: lr, normals: normals) { _, _, x in h * x[0] } }
        let n = Double(chains)
        let mean = tile.x.reduce(0, +) / n
        let variance = tile.x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)
        let theory = 2 * temperature / (h * (2 - lr * h))
        XCTAssertLessThan(Swift.abs(variance - theory), 5 * theory * (2 / n).squareRoot(), "variance \(variance), theory \(theory)")
        XCTAssertLessThan(Swift.abs(mean), 5 * (theory / n).squareRoot())
    }
}
