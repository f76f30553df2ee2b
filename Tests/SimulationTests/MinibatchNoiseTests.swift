import XCTest
@testable import Simulation

final class MinibatchNoiseTests: XCTestCase {
    static let point = [0.9, -0.4, 1.3]

    static func draws(_ noise: MinibatchNoise, at x: [Double], chains: Int, steps: Int, seed: UInt64 = 1) -> [[Double]] {
        NoiseDraws.draws(noise, at: x, chains: chains, steps: steps, seed: seed)
    }

    /// Unbiased for ∇f(x) with covariance `expected` (`SampleMoments.checkMoments`).
    @discardableResult
    static func checkMoments(
        _ noise: MinibatchNoise, at x: [Double], expected: [Double], chains: Int = 2000, steps: Int = 10,
        file: StaticString = #filePath, line: UInt = #line
    ) -> (cov: [Double], se: [Double]) {
        SampleMoments.checkMoments(draws(noise, at: x, chains: chains, steps: steps),
                                mean: LinearRegressionTests.gradient(noise.objective as! LinearRegression, at: x), covariance: expected,
                                file: file, line: line)
    }

    func testFiniteDataWithReplacement() {
        let o = LinearRegressionTests.finite(n: 200)
        let noise = MinibatchNoise(objective: o, batchSize: 10, replacement: true)
        let expected = noise.gradientCovariance(at: Self.point)
        let example = o.exampleGradientCovariance(at: Self.point)
        for e in expected.indices { XCTAssertEqual(expected[e], example[e] / 10, accuracy: 1e-15 * abs(example[e])) }
        Self.checkMoments(noise, at: Self.point, expected: expected)
    }

    func testFiniteDataWithoutReplacementShowsTheFinitePopulationCorrection() {
        // n = 40, B = 20: (n − B)/(n − 1) = 20/39 roughly halves the variance.
        let o = LinearRegressionTests.finite(n: 40)
        let noise = MinibatchNoise(objective: o, batchSize: 20, replacement: false)
        let expected = noise.gradientCovariance(at: Self.point)
        let (cov, se) = Self.checkMoments(noise, at: Self.point, expected: expected)
        // The uncorrected C/B is rejected on every diagonal entry (more than 5σ away).
        let uncorrected = o.exampleGradientCovariance(at: Self.point).map { $0 / 20 }
        for k in 0..<3 {
            XCTAssertEqual(expected[k * 3 + k], uncorrected[k * 3 + k] * 20 / 39, accuracy: 1e-12 * uncorrected[k * 3 + k])
            XCTAssertGreaterThan(abs(cov[k * 3 + k] - uncorrected[k * 3 + k]), 5 * se[k * 3 + k])
        }
    }

    func testStreamedData() {
        let o = LinearRegressionTests.stream()
        for replacement in [true, false] {
            let noise = MinibatchNoise(objective: o, batchSize: 4, replacement: replacement)
            Self.checkMoments(noise, at: Self.point, expected: noise.gradientCovariance(at: Self.point))
        }
    }

    func testLabelNoise() {
        let finite = LinearRegressionTests.finite(n: 40)
        for noise in [
            MinibatchNoise(objective: finite, batchSize: 20, replacement: false, labelNoiseStd: 3),
            MinibatchNoise(objective: finite, batchSize: 40, replacement: false, labelNoiseStd: 3),
            MinibatchNoise(objective: finite, batchSize: 7, replacement: true, labelNoiseStd: 3),
            MinibatchNoise(objective: LinearRegressionTests.stream(), batchSize: 3, replacement: true, labelNoiseStd: 3),
        ] {
            let expected = noise.gradientCovariance(at: Self.point)
            let clean = MinibatchNoise(objective: noise.objective, batchSize: noise.batchSize, replacement: noise.replacement)
                .gradientCovariance(at: Self.point)
            // The label-noise part, σ_l²·A/B, is a visible share of the covariance.
            XCTAssertGreaterThan(expected[0] - clean[0], 0.1 * expected[0])
            Self.checkMoments(noise, at: Self.point, expected: expected)
        }
    }

    func testWholeDataSetWithoutReplacementIsTheFullGradient() {
        let o = LinearRegressionTests.finite(n: 40)
        let noise = MinibatchNoise(objective: o, batchSize: 40, replacement: false)
        let samples = Self.draws(noise, at: Self.point, chains: 5, steps: 3)
        let full = LinearRegressionTests.gradient(o, at: Self.point)
        for k in 0..<3 { for v in samples[k] { XCTAssertEqual(v, full[k], accuracy: 1e-13 * (1 + abs(full[k]))) } }
        XCTAssertEqual(noise.gradientCovariance(at: Self.point), [Double](repeating: 0, count: 9))
        // The sampled batch of all n examples, summed, gives the same gradient.
        let labelled = MinibatchNoise(objective: o, batchSize: 40, replacement: false, labelNoiseStd: 1e-300)
        let summed = Self.draws(labelled, at: Self.point, chains: 3, steps: 2)
        for k in 0..<3 { for v in summed[k] { XCTAssertEqual(v, full[k], accuracy: 1e-12 * (1 + abs(full[k]))) } }
    }

    /// The indices of one batch.
    static func batch(_ noise: MinibatchNoise, chain: UInt32, step: UInt32, generator: Philox4x32) -> [Int] {
        var indices = [Int](repeating: -1, count: noise.batchSize)
        var table = [Int](repeating: 0, count: Swift.max(noise.tableCapacity, 1))
        indices.withUnsafeMutableBufferPointer { i in
            table.withUnsafeMutableBufferPointer { t in
                noise.sampleIndices(chain: chain, step: step, generator: generator, into: i.baseAddress!, table: t.baseAddress!)
            }
        }
        return indices
    }

    func testBatchesWithoutReplacementAreUniformSubsets() {
        let n = 10, b = 4, draws = 20000
        let noise = MinibatchNoise(objective: LinearRegressionTests.finite(n: n), batchSize: b, replacement: false)
        let generator = Philox4x32(seed: 3)
        var single = [Double](repeating: 0, count: n), pair = 0.0
        for draw in 0..<draws {
            let indices = Self.batch(noise, chain: UInt32(draw % 100), step: UInt32(1 + draw / 100), generator: generator)
            XCTAssertEqual(Set(indices).count, b)
            XCTAssertTrue(indices.allSatisfy { (0..<n).contains($0) })
            for i in indices { single[i] += 1 }
            if indices.contains(0) && indices.contains(n - 1) { pair += 1 }
        }
        // Inclusion of one index: p = B/n, binomial standard error √(p(1 − p)/draws); of a pair
        // p = B(B − 1)/(n(n − 1)). Tolerance 5σ.
        let p1 = Double(b) / Double(n), p2 = Double(b * (b - 1)) / Double(n * (n - 1))
        for count in single {
            XCTAssertEqual(count / Double(draws), p1, accuracy: 5 * (p1 * (1 - p1) / Double(draws)).squareRoot())
        }
        XCTAssertEqual(pair / Double(draws), p2, accuracy: 5 * (p2 * (1 - p2) / Double(draws)).squareRoot())
        // Large batches too: a uniform subset, all distinct.
        let big = MinibatchNoise(objective: LinearRegressionTests.finite(n: 1000), batchSize: 999, replacement: false)
        XCTAssertEqual(Set(Self.batch(big, chain: 5, step: 9, generator: generator)).count, 999)
    }

    func testBatchesWithReplacementAreUniform() {
        let n = 7, draws = 4000
        let noise = MinibatchNoise(objective: LinearRegressionTests.finite(n: n), batchSize: 5, replacement: true)
        let generator = Philox4x32(seed: 4)
        var counts = [Double](repeating: 0, count: n)
        for draw in 0..<draws {
            for i in Self.batch(noise, chain: UInt32(draw), step: 1, generator: generator) { counts[i] += 1 }
        }
        let total = Double(draws * 5), p = 1 / Double(n)
        for c in counts { XCTAssertEqual(c / total, p, accuracy: 5 * (p * (1 - p) / total).squareRoot()) }
    }

    func testDrawsDoNotDependOnTilingAndDifferAcrossChainsAndSteps() {
        let finite = LinearRegressionTests.finite(n: 40)
        let models = [
            MinibatchNoise(objective: finite, batchSize: 5, replacement: true),
            MinibatchNoise(objective: finite, batchSize: 5, replacement: false, labelNoiseStd: 0.3),
            MinibatchNoise(objective: finite, batchSize: 40, replacement: false),
            MinibatchNoise(objective: LinearRegressionTests.stream(), batchSize: 3, replacement: true, labelNoiseStd: 0.3),
        ]
        let normals = NormalSource(generator: Philox4x32(seed: 21))
        for (m, noise) in models.enumerated() {
            let reference = NoiseDraws.tiled(noise, firstChain: 3, total: 13, tile: 13, stride: 13, step: 4, normals: normals)
            for (tile, stride) in [(1, 1), (4, 8), (5, 5), (7, 16)] {
                let tiled = NoiseDraws.tiled(noise, firstChain: 3, total: 13, tile: tile, stride: stride, step: 4, normals: normals)
                XCTAssertEqual(tiled, reference, "model \(m), tile \(tile), stride \(stride)")
            }
            if m == 2 { continue }  // the full gradient is the same everywhere, by design
            let shifted = NoiseDraws.tiled(noise, firstChain: 4, total: 12, tile: 12, stride: 12, step: 4, normals: normals)
            let nextStep = NoiseDraws.tiled(noise, firstChain: 3, total: 13, tile: 13, stride: 13, step: 5, normals: normals)
            XCTAssertNotEqual(reference[0], reference[1], "model \(m): chains 3 and 4")
            XCTAssertEqual(shifted[0], reference[1], "model \(m): chain 4 wherever it sits")
            XCTAssertNotEqual(nextStep[0], reference[0], "model \(m): steps 4 and 5")
            let otherSeed = NoiseDraws.tiled(noise, firstChain: 3, total: 13, tile: 13, stride: 13, step: 4,
                                             normals: NormalSource(generator: Philox4x32(seed: 22)))
            XCTAssertNotEqual(otherSeed, reference, "model \(m): seeds 21 and 22")
        }
    }

    /// Through the engine: SGD with minibatch gradients is bit-identical for any thread count,
    /// and its cloud is centred on x*. For a quadratic the mean iterate obeys the noiseless
    /// recursion (the minibatch gradient is unbiased and linear in x), so after 600 steps of
    /// lr 0.2 (contraction ≥ 1 − 0.2·λ_min(A) per step) the bias is far below the standard
    /// error of the mean of 3000 independent final iterates; tolerance 5 standard errors.
    func testSGDCloudThroughTheEngine() {
        let o = LinearRegressionTests.finite(n: 100)
        func simulator() -> Simulator {
            Simulator(
                objective: o, noise: MinibatchNoise(objective: o, batchSize: 5, replacement: false, labelNoiseStd: 0.2),
                optimizer: SGD(momentum: 0),
                schedule: ConstantSchedule(baseLR: 0.2), clip: .none,
                normals: NormalStream(generator: Philox4x32(seed: 5)),
                plan: SimulationPlan(chains: 3000, recording: RecordingPlan(steps: 600, burnIn: 500, thin: 10),
                                     initial: .point([0, 0, 0]), divergenceBound: 1e12,
                                     histograms: HistogramPlan(bins: 10, ranges: nil, pairs: []), samples: .final))
        }
        let one = simulator().run(threads: 1)!, two = simulator().run(threads: 2)!
        XCTAssertEqual(one.finalIterates.map(\.bitPattern), two.finalIterates.map(\.bitPattern))
        XCTAssertEqual(one.divergedChains, 0)
        let final = one.finalIterates
        let eigenvalues = ObjectiveTestMath.symmetricEigenvalues(o.secondMoment, order: 3)
        XCTAssertLessThan(pow(1 - 0.2 * eigenvalues[0], 600), 1e-6)
        for k in 0..<3 {
            let (mean, se) = SampleMoments.meanAndStandardError((0..<3000).map { final[$0 * 3 + k] })
            XCTAssertEqual(mean, o.minimum[k], accuracy: 5 * se)
            XCTAssertGreaterThan(se, 0)
        }
    }
}
