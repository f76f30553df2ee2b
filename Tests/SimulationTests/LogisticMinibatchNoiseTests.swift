import XCTest
@testable import Simulation

/// Minibatch noise of logistic regression: the same sampler as for least squares, with the
/// weighted log-loss's per-example gradients.
final class LogisticMinibatchNoiseTests: XCTestCase {
    static let point = [0.4, -0.8, 0.3]

    static func draws(_ noise: MinibatchNoise, at x: [Double], chains: Int, steps: Int) -> [[Double]] {
        NoiseDraws.draws(noise, at: x, chains: chains, steps: steps, seed: 1)
    }

    /// Unbiased for ∇f(x) with covariance `expected`, from N = 20 000 draws
    /// (`SampleMoments.checkMoments`).
    @discardableResult
    static func checkMoments(
        _ noise: MinibatchNoise, at x: [Double], expected: [Double],
        file: StaticString = #filePath, line: UInt = #line
    ) -> (cov: [Double], se: [Double]) {
        SampleMoments.checkMoments(draws(noise, at: x, chains: 2000, steps: 10), mean: noise.objective.tileGradient(at: x),
                                covariance: expected, file: file, line: line)
    }

    func testExampleGradientCovarianceMatchesDirectSum() {
        let o = LogisticRegressionTests.imbalanced(n: 50)
        let d = 3, n = 50, x = Self.point
        let grads = (0..<n).map { i -> [Double] in
            let z = Array(o.data.features[(i * d)..<((i + 1) * d)]), s = o.data.labels[i]
            let m = zip(z, x).map { $0 * $1 }.reduce(0, +)
            let w = o.classWeights.weight(label: s)
            return z.map { -w * s / (1 + exp(s * m)) * $0 }
        }
        let mean = (0..<d).map { k in grads.map { $0[k] }.reduce(0, +) / Double(n) }
        let full = o.tileGradient(at: x)
        for k in 0..<d { XCTAssertEqual(mean[k], full[k], accuracy: 1e-14) }
        let cov = o.exampleGradientCovariance(at: x)
        for k in 0..<d {
            for j in 0..<d {
                let direct = grads.map { ($0[k] - mean[k]) * ($0[j] - mean[j]) }.reduce(0, +) / Double(n)
                XCTAssertEqual(cov[k * d + j], direct, accuracy: 1e-14)
            }
        }
    }

    func testWithReplacementTheCovarianceIsThePopulationCovarianceOverB() {
        let o = LogisticRegressionTests.imbalanced(n: 200)
        let noise = MinibatchNoise(objective: o, batchSize: 8, replacement: true)
        let expected = noise.gradientCovariance(at: Self.point)
        let example = o.exampleGradientCovariance(at: Self.point)
        for e in expected.indices { XCTAssertEqual(expected[e], example[e] / 8, accuracy: 1e-15 * abs(example[e])) }
        Self.checkMoments(noise, at: Self.point, expected: expected)
    }

    /// n = 40, B = 20: (n − B)/(n − 1) = 20/39 roughly halves the covariance, and the
    /// uncorrected C/B is rejected (more than 5σ away) on every diagonal entry.
    func testWithoutReplacementTheFinitePopulationCorrectionApplies() {
        let o = LogisticRegressionTests.imbalanced(n: 40, seed: 3)
        let noise = MinibatchNoise(objective: o, batchSize: 20, replacement: false)
        let expected = noise.gradientCovariance(at: Self.point)
        let (cov, se) = Self.checkMoments(noise, at: Self.point, expected: expected)
        let uncorrected = o.exampleGradientCovariance(at: Self.point).map { $0 / 20 }
        for k in 0..<3 {
            XCTAssertEqual(expected[k * 3 + k], uncorrected[k * 3 + k] * 20 / 39, accuracy: 1e-12 * uncorrected[k * 3 + k])
            XCTAssertGreaterThan(abs(cov[k * 3 + k] - uncorrected[k * 3 + k]), 5 * se[k * 3 + k])
        }
    }

    /// At x* (with class weights and separable data too) the minibatch gradient has mean
    /// ∇f(x*) and the population covariance.
    func testCovarianceAtTheMinimum() {
        for o in [LogisticRegressionTests.imbalanced(n: 100), LogisticRegressionTests.separable(n: 100)] {
            let noise = MinibatchNoise(objective: o, batchSize: 10, replacement: false)
            Self.checkMoments(noise, at: o.minimum, expected: noise.gradientCovariance(at: o.minimum))
        }
    }

    func testWholeDataSetIsTheFullGradientAndDrawsDoNotDependOnTiling() {
        let o = LogisticRegressionTests.imbalanced(n: 30)
        let full = MinibatchNoise(objective: o, batchSize: 30, replacement: false)
        let exact = o.tileGradient(at: Self.point)
        for (k, values) in Self.draws(full, at: Self.point, chains: 3, steps: 2).enumerated() {
            for v in values { XCTAssertEqual(v, exact[k], accuracy: 1e-14) }
        }
        XCTAssertEqual(full.gradientCovariance(at: Self.point), [Double](repeating: 0, count: 9))
        let noise = MinibatchNoise(objective: o, batchSize: 4, replacement: false)
        let normals = NormalSource(generator: Philox4x32(seed: 21))
        let reference = NoiseDraws.tiled(noise, firstChain: 3, total: 13, tile: 13, stride: 13, step: 4, normals: normals)
        for (tile, stride) in [(1, 1), (4, 8), (7, 16)] {
            XCTAssertEqual(NoiseDraws.tiled(noise, firstChain: 3, total: 13, tile: tile, stride: stride, step: 4, normals: normals),
                           reference, "tile \(tile), stride \(stride)")
        }
        XCTAssertNotEqual(reference[0], reference[1])
    }
}
