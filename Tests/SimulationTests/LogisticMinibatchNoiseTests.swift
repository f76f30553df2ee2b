import XCTest
@testable import Simulation

/// Minibatch noise of logistic regression: the same sampler as for least squares, with the
/// weighted log-loss's per-example gradients.
final class LogisticMinibatchNoiseTests: XCTestCase {
    static let point = [0.4, -0.8, 0.3]

    /// The stochastic gradients of chains 0..<chains at x at steps 1...steps; result[k] lists
    /// coordinate k.
    static func draws(_ noise: MinibatchNoise<LogisticRegression>, at x: [Double], chains: Int, steps: Int) -> [[Double]] {
        let d = noise.dimension
        let normals = NormalStream(generator: Philox4x32(seed: 1))
        var tile = [Double](repeating: 0, count: d * chains)
        for k in 0..<d { for c in 0..<chains { tile[k * chains + c] = x[k] } }
        var result = [[Double]](repeating: [], count: d)
        var g = [Double](repeating: 0, count: d * chains), scratch = g
        for t in 1...steps {
            for i in g.indices { g[i] = 0 }
            NoiseDraws.perturb(noise, &g, x: tile, stride: chains, count: chains, firstChain: 0,
                               step: UInt32(t), normals: normals, scratch: &scratch)
            for k in 0..<d { result[k].append(contentsOf: g[(k * chains)..<((k + 1) * chains)]) }
        }
        return result
    }

    /// Unbiased for ∇f(x) and with covariance `expected`: every mean within 5 standard errors
    /// (sample sd/√N) and every covariance entry within 5 standard errors of a sample
    /// covariance (the sd of the centred products/√N), N = 20 000 draws.
    @discardableResult
    static func checkMoments(
        _ noise: MinibatchNoise<LogisticRegression>, at x: [Double], expected: [Double],
        file: StaticString = #filePath, line: UInt = #line
    ) -> (cov: [Double], se: [Double]) {
        let d = noise.dimension
        let samples = draws(noise, at: x, chains: 2000, steps: 10)
        let full = noise.objective.tileGradient(at: x)
        let n = Double(samples[0].count)
        var means = [Double](repeating: 0, count: d)
        for k in 0..<d {
            let (mean, se) = SampleMoments.meanAndStandardError(samples[k])
            means[k] = mean
            XCTAssertLessThanOrEqual(abs(mean - full[k]), 5 * se, "mean of coordinate \(k)", file: file, line: line)
        }
        var cov = [Double](repeating: 0, count: d * d), ses = cov
        for k in 0..<d {
            for j in 0..<d {
                let products = zip(samples[k], samples[j]).map { ($0 - means[k]) * ($1 - means[j]) }
                let (c, se) = SampleMoments.meanAndStandardError(products)
                cov[k * d + j] = c * n / (n - 1)
                ses[k * d + j] = se
                XCTAssertLessThanOrEqual(abs(cov[k * d + j] - expected[k * d + j]), 5 * se,
                                         "covariance (\(k), \(j)): \(cov[k * d + j]) vs \(expected[k * d + j])", file: file, line: line)
            }
        }
        return (cov, ses)
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
        let normals = NormalStream(generator: Philox4x32(seed: 21))
        let reference = NoiseDraws.tiled(noise, firstChain: 3, total: 13, tile: 13, stride: 13, step: 4, normals: normals)
        for (tile, stride) in [(1, 1), (4, 8), (7, 16)] {
            XCTAssertEqual(NoiseDraws.tiled(noise, firstChain: 3, total: 13, tile: tile, stride: stride, step: 4, normals: normals),
                           reference, "tile \(tile), stride \(stride)")
        }
        XCTAssertNotEqual(reference[0], reference[1])
    }
}
