import XCTest
@testable import Simulation

final class ClippingAndRecordedNoiseTests: XCTestCase {
    /// Norm types 1 and ∞ with torch's +1e-6, on a tile of two chains.
    func testNormTypes() {
        var g: [Double] = [3, 0.1, -4, 0.2]      // chain 0: (3, −4); chain 1: (0.1, 0.2); stride 2
        var scratch = [0.0, 0.0]
        GradientClip.norm(maxNorm: 1, normType: 1).apply(&g, stride: 2, count: 2, dimension: 2, scratch: &scratch)
        XCTAssertEqual(g[0], 3 / (7 + 1e-6), accuracy: 1e-15)
        XCTAssertEqual(g[2], -4 / (7 + 1e-6), accuracy: 1e-15)
        XCTAssertEqual([g[1], g[3]], [0.1, 0.2], "below the bound: untouched")
        var h: [Double] = [3, -4]
        var one = [0.0]
        GradientClip.norm(maxNorm: 2, normType: .infinity).apply(&h, stride: 1, count: 1, dimension: 2, scratch: &one)
        XCTAssertEqual(h[0], 3 * 2 / (4 + 1e-6), accuracy: 1e-15)
        XCTAssertEqual(h[1], -4 * 2 / (4 + 1e-6), accuracy: 1e-15)
    }

    /// `stage: update` bounds the step Δx itself, whatever the gradient.
    func testClippingTheUpdate() {
        let simulator = Simulator(
            objective: DiagonalQuadratic(curvatures: [1, 1], minimum: [0, 0]),
            noise: DiagonalGaussianNoise(std: [5, 5]),
            optimizer: SGD(),
            schedule: ConstantSchedule(baseLR: 0.5), clip: .value(0.01), clipStage: .update,
            normals: NormalStream(generator: Philox4x32(seed: 9)),
            plan: SimulationPlan(chains: 8, recording: RecordingPlan(steps: 40, burnIn: 0, thin: 1), initial: .point([1, -1]),
                                 histograms: .off, traceChains: 8))
        let cloud = simulator.run(threads: 1)!
        let trace = cloud.trace!
        var largest = 0.0
        for chain in 0..<8 {
            var previous = [1.0, -1.0]
            for t in 0..<40 {
                for k in 0..<2 {
                    let x = trace[(chain * 40 + t) * 2 + k]
                    largest = Swift.max(largest, Swift.abs(x - previous[k]))
                    previous[k] = x
                }
            }
        }
        XCTAssertLessThanOrEqual(largest, 0.01 + 1e-15)
        XCTAssertGreaterThan(largest, 0.0099, "the bound is reached")
    }

    /// Bootstrap draws every recorded row about equally often: each of 4 rows has frequency
    /// 1/4 within 5 binomial standard errors over 40 000 (chain, step) draws.
    func testBootstrapResamplesRowsUniformly() {
        let noise = RecordedNoise(values: [1, 0, 0, 1, -1, 0, 0, -1], rows: 4, dimension: 2, mode: .bootstrap)
        let normals = NormalSource(generator: Philox4x32(seed: 4))
        var counts = [0, 0, 0, 0]
        var g = [Double](repeating: 0, count: 2 * 100), scratch = g
        for step in 1...400 {
            for i in g.indices { g[i] = 0 }
            noise.perturb(&g, x: g, stride: 100, count: 100, firstChain: 0, step: UInt32(step), normals: normals, scratch: &scratch)
            for c in 0..<100 {
                let row = [g[c], g[100 + c]]
                counts[[[1.0, 0.0], [0, 1], [-1, 0], [0, -1]].firstIndex(of: row)!] += 1
            }
        }
        let n = 40_000.0, se = (0.25 * 0.75 / n).squareRoot()
        for count in counts { XCTAssertEqual(Double(count) / n, 0.25, accuracy: 5 * se) }
    }

    /// Sequential replay adds row (t − 1) mod rows to every chain.
    func testSequentialReplay() {
        let noise = RecordedNoise(values: [1, 2, 3], rows: 3, dimension: 1, mode: .sequential)
        let normals = NormalSource(generator: Philox4x32(seed: 4))
        var g = [0.0, 0.0], scratch = [0.0, 0.0]
        noise.perturb(&g, x: g, stride: 2, count: 2, firstChain: 7, step: 5, normals: normals, scratch: &scratch)
        XCTAssertEqual(g, [2, 2])
    }
}
