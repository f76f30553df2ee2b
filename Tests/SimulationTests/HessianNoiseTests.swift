import XCTest
@testable import Simulation

final class HessianNoiseTests: XCTestCase {
    /// Every landscape, also those with a constant Hessian and the data objectives.
    static var objectives: [(String, any Objective, box: Double)] {
        var all: [(String, any Objective, box: Double)] = ObjectiveCase.all.map { ($0.name, $0.objective, 2.0) }
        all.append(("quadratic", Quadratic(hessian: [2, 0.5, 0.5, 1], minimum: [1, -1]), 2))
        all.append(("diagonal quadratic", DiagonalQuadratic(curvatures: [1, 0, 3], minimum: [0, 1, 2]), 2))
        all.append(("expression", try! ExpressionObjective(formula: "(x[0]^2 - 1)^2 + sin(x[0]*x[1]) + exp(x[2]/3)*x[1]^2",
                                                           dimension: 3, minimum: [0, 0, 0]), 2))
        all.append(("linear regression", LinearRegressionTests.finite(), 2))
        all.append(("logistic regression", LogisticRegressionTests.imbalanced(), 2))
        return all
    }

    /// The per-chain Hessian of a tile equals the one-point Hessian (every entry written,
    /// chains and strides respected): to 1e-12 relative, since some objectives sum in
    /// another order.
    func testTileHessianEqualsPointHessian() {
        var random = ObjectiveTestRandom(seed: 5)
        for (name, f, box) in Self.objectives {
            let d = f.dimension, stride = 5
            var x = [Double](repeating: .nan, count: d * stride)
            var points: [[Double]] = []
            for c in 0..<3 {
                let p = (0..<d).map { _ in box * (2 * random.uniform() - 1) }
                points.append(p)
                for k in 0..<d { x[k * stride + c + 1] = p[k] }
            }
            for (c, p) in points.enumerated() {
                var h = [Double](repeating: .nan, count: d * d)
                x.withUnsafeBufferPointer { xp in
                    h.withUnsafeMutableBufferPointer { f.hessian(xp.baseAddress!, stride: stride, chain: c + 1, into: $0.baseAddress!) }
                }
                let expected = f.hessian(at: p)
                let tolerance = 1e-12 * (1 + ObjectiveTestMath.maxAbs(expected))
                for e in 0..<(d * d) { XCTAssertEqual(h[e], expected[e], accuracy: tolerance, "\(name) at \(p), entry \(e)") }
            }
        }
    }

    // MARK: the PSD factor

    static func product(_ f: [Double], order n: Int) -> [Double] {
        (0..<(n * n)).map { e in (0..<n).reduce(0.0) { $0 + f[(e / n) * n + $1] * f[(e % n) * n + $1] } }
    }

    /// F Fᵀ = H for positive definite H (the Cholesky factor, lower triangular), and the
    /// positive part H₊ otherwise: F Fᵀ has eigenvalues max(λ, 0), H − F Fᵀ has min(λ, 0),
    /// and the two commute — which together characterise H₊.
    func testFactorIsASquareRootOfThePositivePart() {
        var random = ObjectiveTestRandom(seed: 8)
        for n in [1, 2, 3, 5, 8] {
            for trial in 0..<20 {
                var h = [Double](repeating: 0, count: n * n)
                for i in 0..<n {
                    for j in 0...i {
                        let v = random.normal()
                        h[i * n + j] = v
                        h[j * n + i] = v
                    }
                }
                if trial < 5 {  // positive definite: H Hᵀ + I
                    let square = Self.product(h, order: n)
                    h = (0..<(n * n)).map { square[$0] + ($0 % (n + 1) == 0 ? 1 : 0) }
                }
                let f = PSDFactor.factor(h, order: n)
                let positive = Self.product(f, order: n)
                let scale = 1 + ObjectiveTestMath.maxAbs(h)
                let lambda = ObjectiveTestMath.symmetricEigenvalues(h, order: n)
                if trial < 5 {
                    for e in 0..<(n * n) { XCTAssertEqual(positive[e], h[e], accuracy: 1e-12 * scale) }
                    for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { XCTAssertEqual(f[i * n + j], 0) } }
                    continue
                }
                let plus = ObjectiveTestMath.symmetricEigenvalues(positive, order: n)
                let minus = ObjectiveTestMath.symmetricEigenvalues(zip(h, positive).map { $0 - $1 }, order: n)
                for (i, value) in lambda.map({ max($0, 0) }).sorted().enumerated() { XCTAssertEqual(plus[i], value, accuracy: 1e-12 * scale) }
                for (i, value) in lambda.map({ min($0, 0) }).sorted().enumerated() { XCTAssertEqual(minus[i], value, accuracy: 1e-12 * scale) }
                let ab = Self.multiply(h, positive, n), ba = Self.multiply(positive, h, n)
                for e in 0..<(n * n) { XCTAssertEqual(ab[e], ba[e], accuracy: 1e-11 * scale * scale) }
            }
        }
        // Singular and zero matrices, and a NaN, which must not hang.
        XCTAssertEqual(Self.product(PSDFactor.factor([1, 1, 1, 1], order: 2), order: 2).map { ($0 * 1e12).rounded() / 1e12 }, [1, 1, 1, 1])
        XCTAssertEqual(PSDFactor.factor([0, 0, 0, 0], order: 2), [0, 0, 0, 0])
        XCTAssertTrue(PSDFactor.factor([.nan, 1, 1, 0], order: 2).contains { $0.isNaN })
    }

    static func multiply(_ a: [Double], _ b: [Double], _ n: Int) -> [Double] {
        (0..<(n * n)).map { e in (0..<n).reduce(0.0) { $0 + a[(e / n) * n + $1] * b[$1 * n + e % n] } }
    }

    // MARK: the noise

    static func draws<N: GradientNoise>(_ noise: N, at x: [Double], chains: Int, steps: Int) -> [[Double]] {
        NoiseDraws.draws(noise, at: x, chains: chains, steps: steps, seed: 17)
    }

    /// Mean 0 and covariance `expected` from 20 000 draws: every mean within 5 standard errors
    /// (sd/√N), every covariance entry within 5 standard errors of the mean of the products
    /// (the sd of the products/√N; the mean is known to be 0, so they are not centred).
    static func checkMoments<N: GradientNoise>(
        _ noise: N, at x: [Double], expected: [Double], file: StaticString = #filePath, line: UInt = #line
    ) {
        let d = noise.dimension
        let samples = draws(noise, at: x, chains: 2000, steps: 10)
        for k in 0..<d {
            let (mean, se) = SampleMoments.meanAndStandardError(samples[k])
            XCTAssertLessThanOrEqual(abs(mean), 5 * se + 1e-300, "mean of coordinate \(k)", file: file, line: line)
        }
        for k in 0..<d {
            for j in 0..<d {
                let (c, se) = SampleMoments.meanAndStandardError(zip(samples[k], samples[j]).map { $0 * $1 })
                XCTAssertLessThanOrEqual(abs(c - expected[k * d + j]), 5 * se + 1e-12 * abs(expected[k * d + j]),
                                         "covariance (\(k), \(j)): \(c) vs \(expected[k * d + j])", file: file, line: line)
            }
        }
    }

    /// Rosenbrock at (1, 0.5), away from the minimum where H = [[1002, −400], [−400, 200]] is
    /// positive definite: covariance scale²·H.
    func testCovarianceIsScaledHessianAtAPositiveDefinitePoint() {
        let o = Rosenbrock(dimension: 2)
        let x = [1.0, 0.5], scale = 0.3
        let h = o.hessian(at: x)
        XCTAssertGreaterThan(ObjectiveTestMath.symmetricEigenvalues(h, order: 2)[0], 0)
        let noise = HessianNoise(objective: o, scale: scale)
        let expected = h.map { scale * scale * $0 }
        let covariance = noise.covariance(at: x)
        for e in 0..<4 { XCTAssertEqual(covariance[e], expected[e], accuracy: 1e-12 * 1002) }
        Self.checkMoments(noise, at: x, expected: expected)
        // The logistic loss is convex: its Hessian is the covariance everywhere.
        let logistic = LogisticRegressionTests.imbalanced(n: 100)
        let y = [0.5, 0.2, -0.3]
        Self.checkMoments(HessianNoise(objective: logistic, scale: 2), at: y, expected: logistic.hessian(at: y).map { 4 * $0 })
    }

    /// At an indefinite point the covariance is the positive part scale²·H₊: Rosenbrock at
    /// (0.5, 0.5) (H = [[102, −200], [−200, 200]]) and a two-component mixture between its modes.
    func testCovarianceIsThePositivePartAtAnIndefinitePoint() throws {
        let mixture = try GaussianMixture(weights: [0.5, 0.5], means: [[-1, 0], [1, 0]],
                                          covariances: [[0.3, 0.1, 0.1, 0.5], [0.3, -0.1, -0.1, 0.5]])
        for (name, o, x) in [("rosenbrock", Rosenbrock(dimension: 2) as any Objective, [0.5, 0.5]),
                             ("mixture", mixture as any Objective, [0.05, 0.1])] {
            let h = o.hessian(at: x)
            let lambda = ObjectiveTestMath.symmetricEigenvalues(h, order: 2)
            XCTAssertLessThan(lambda[0], 0, "\(name): the point must be indefinite")
            XCTAssertGreaterThan(lambda[1], 0, name)
            check(o, at: x, hessian: h, lambda: lambda)
        }
    }

    private func check<O: Objective>(_ o: O, at x: [Double], hessian h: [Double], lambda: [Double], line: UInt = #line) {
        let noise = HessianNoise(objective: o, scale: 0.5)
        let covariance = noise.covariance(at: x)
        // H₊ = λ₊ v vᵀ for the positive eigenvalue's unit eigenvector v (2×2 by hand).
        let (a, b) = (h[0] - lambda[1], h[1])
        var v = abs(b) > 1e-300 ? [b, -a] : (abs(h[0]) >= abs(h[3]) ? [1.0, 0] : [0, 1.0])
        let norm = (v[0] * v[0] + v[1] * v[1]).squareRoot()
        v = v.map { $0 / norm }
        let expected = [v[0] * v[0], v[0] * v[1], v[1] * v[0], v[1] * v[1]].map { 0.25 * lambda[1] * $0 }
        for e in 0..<4 { XCTAssertEqual(covariance[e], expected[e], accuracy: 1e-10 * lambda[1], line: line) }
        Self.checkMoments(noise, at: x, expected: expected, line: line)
    }

    /// On separable landscapes the O(d) noise is the dense one, draw for draw, also where
    /// the curvature is negative (clamped to 0).
    func testSeparableNoiseEqualsDenseNoise() {
        let normals = NormalSource(generator: Philox4x32(seed: 3))
        let rastrigin = Rastrigin(dimension: 3), well = DoubleWell(barrier: 1, tilt: 0.3, curvatures: [2, 0.5])
        func compare<O: SeparableObjective>(_ o: O, _ points: [[Double]]) {
            let d = o.dimension, n = points.count
            var x = [Double](repeating: 0, count: d * n)
            for (c, p) in points.enumerated() { for k in 0..<d { x[k * n + c] = p[k] } }
            var dense = [Double](repeating: 0, count: d * n), separable = dense, scratch = dense
            NoiseDraws.perturb(HessianNoise(objective: o, scale: 0.7), &dense, x: x, stride: n, count: n, firstChain: 2,
                               step: 5, normals: normals, scratch: &scratch)
            NoiseDraws.perturb(SeparableHessianNoise(objective: o, scale: 0.7), &separable, x: x, stride: n, count: n,
                               firstChain: 2, step: 5, normals: normals, scratch: &scratch)
            XCTAssertEqual(dense, separable)
            XCTAssertTrue(dense.contains { $0 != 0 })
        }
        compare(rastrigin, [[0.1, 0.5, 0.4], [0, 0, 0], [-0.3, 2.2, 0.45]])
        compare(well, [[0.2, 1, -1], [1, 0, 0], [-1.3, 0.1, 0.2]])
    }

    func testDrawsDoNotDependOnTilingAndScaleZeroIsSilent() {
        let o = LinearNetwork(depth: 2, target: 2)
        let noise = HessianNoise(objective: o, scale: 0.4)
        let normals = NormalSource(generator: Philox4x32(seed: 9))
        // NoiseDraws.tiled evaluates at x = 0, where the depth-2 network's Hessian
        // [[0, −2], [−2, 0]] is indefinite, so the Jacobi path is exercised.
        let reference = NoiseDraws.tiled(noise, firstChain: 1, total: 11, tile: 11, stride: 11, step: 3, normals: normals)
        XCTAssertTrue(reference.contains { $0 != 0 })
        for (tile, stride) in [(1, 1), (4, 8), (5, 5)] {
            XCTAssertEqual(NoiseDraws.tiled(noise, firstChain: 1, total: 11, tile: tile, stride: stride, step: 3, normals: normals),
                           reference)
        }
        let silent = NoiseDraws.tiled(HessianNoise(objective: o, scale: 0), firstChain: 1, total: 4, tile: 4, stride: 4, step: 3,
                                      normals: normals)
        XCTAssertEqual(silent, [Double](repeating: 0, count: 8))
        XCTAssertNil(noise.covariance)
    }

    /// Through the engine: SGD on the double well with Hessian noise, bit-identical for 1
    /// and 2 threads, no chain lost.
    func testEngineRunIsDeterministic() {
        let o = DoubleWell(barrier: 1, tilt: 0.2, curvatures: [1])
        func run(_ threads: Int) -> CloudAccumulation? {
            Simulator(objective: o, noise: HessianNoise(objective: o, scale: 0.5), optimizer: SGD(momentum: 0),
                      schedule: ConstantSchedule(baseLR: 0.05), clip: .none, normals: NormalStream(generator: Philox4x32(seed: 4)),
                      plan: SimulationPlan(chains: 300, recording: RecordingPlan(steps: 200, burnIn: 100, thin: 1),
                                           initial: .point([1, 0]), divergenceBound: 1e12,
                                           histograms: HistogramPlan(bins: 10, ranges: nil, pairs: []), samples: .final))
                .run(threads: threads)
        }
        let one = run(1)!, two = run(2)!
        XCTAssertEqual(one.finalIterates.map(\.bitPattern), two.finalIterates.map(\.bitPattern))
        XCTAssertEqual(one.divergedChains, 0)
    }
}
