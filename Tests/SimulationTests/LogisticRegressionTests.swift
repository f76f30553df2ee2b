import XCTest
@testable import Simulation

final class LogisticRegressionTests: XCTestCase {
    /// Imbalanced (π = 0.3), noisy labels (10 % flipped), balanced class weights, d = 3.
    static func imbalanced(n: Int = 300, seed: UInt64 = 7) -> LogisticRegression {
        let data = LogisticData.generate(dimension: 3, count: n, weights: [1.5, -1, 0.5], featureScales: [1, 0.5, 2],
                                         positiveFraction: 0.3, margin: nil, labelFlip: 0.1, seed: seed)
        return try! LogisticRegression(data: data, classWeights: .balanced(data))
    }

    /// Separable with margin 0.5, no flips: no unregularised minimum, x* regularised with λ.
    static let separableDecay = [0.01, 0.02, 0.01]
    static func separable(n: Int = 200) -> LogisticRegression {
        let data = LogisticData.generate(dimension: 3, count: n, weights: nil, featureScales: [1, 1, 0.5],
                                         positiveFraction: 0.6, margin: 0.5, labelFlip: 0, seed: 11)
        return try! LogisticRegression(data: data, classWeights: LogisticRegression.ClassWeights(negative: 2, positive: 1),
                                       fallbackDecay: separableDecay)
    }

    /// ∇f through the tile interface at one point.
    static func gradient(_ o: LogisticRegression, at x: [Double]) -> [Double] { o.tileGradient(at: x) }

    // MARK: derivatives

    /// Central differences with h = 1e-5: truncation h²/6·|f'''| ≲ 1e-10·max|z|³ and rounding
    /// ε·|f|/h ≈ 1e-11, so 1e-6·(1 + ‖∇f‖∞) (and for the Hessian 1e-6·(1 + max|H|)) leaves a
    /// wide margin while any wrong factor or sign errs by O(‖∇f‖).
    func testGradientAndHessianMatchCentralDifferences() {
        var random = ObjectiveTestRandom(seed: 3)
        let h = 1e-5
        for o in [Self.imbalanced(), Self.separable()] {
            let d = o.dimension
            let points = (0..<8).map { _ in (0..<d).map { _ in 4 * random.uniform() - 2 } }
            var tile = ObjectiveTile(points: points, stride: 11)
            tile.evaluate(o)
            XCTAssertTrue(tile.paddingIsUntouched)
            for (c, x) in points.enumerated() {
                let g = tile.gradient(chain: c)
                XCTAssertEqual(g, o.tileGradient(at: x), "a chain's gradient depends on its tile neighbours")
                let hessian = o.hessian(at: x)
                for k in 0..<d {
                    var plus = x, minus = x
                    plus[k] += h
                    minus[k] -= h
                    let fd = (o.value(at: plus) - o.value(at: minus)) / (2 * h)
                    XCTAssertEqual(g[k], fd, accuracy: 1e-6 * (1 + ObjectiveTestMath.maxAbs(g)), "∂/∂x\(k) at \(x)")
                    let gPlus = o.tileGradient(at: plus), gMinus = o.tileGradient(at: minus)
                    for j in 0..<d {
                        XCTAssertEqual(hessian[j * d + k], (gPlus[j] - gMinus[j]) / (2 * h),
                                       accuracy: 1e-6 * (1 + ObjectiveTestMath.maxAbs(hessian)), "H[\(j)][\(k)] at \(x)")
                    }
                }
            }
        }
    }

    /// Far out along the margins the loss neither overflows nor loses its gradient to 0/0.
    func testLossIsStableForHugeMargins() {
        let o = Self.imbalanced()
        for x in [[1e4, -1e4, 1e4], [-1e6, 0, 0], [0, 1e300, 0]] {
            XCTAssertTrue(o.value(at: x).isFinite, "\(x)")
            XCTAssertTrue(o.tileGradient(at: x).allSatisfy(\.isFinite), "\(x)")
            XCTAssertTrue(o.hessian(at: x).allSatisfy(\.isFinite), "\(x)")
        }
        XCTAssertEqual(LogisticRegression.softplus(800), 800)
        XCTAssertEqual(LogisticRegression.softplus(-800), 0)
        XCTAssertEqual(LogisticRegression.softplus(0), log(2), accuracy: 1e-16)
    }

    // MARK: x*

    /// x* is stationary to rounding (‖∇f‖ below 1e-12 of the gradient's scale at 0) and a
    /// minimum: the Hessian there is positive definite — without decay, and for the
    /// regularised F = f + ½Σλx² with its own gradient ∇f + λx.
    func testMinimumIsStationaryWithPositiveDefiniteHessian() throws {
        let zero = [0.0, 0, 0]
        for o in [Self.imbalanced(), Self.imbalanced(n: 2000, seed: 5)] {
            let x = try XCTUnwrap(o.unregularizedMinimum)
            XCTAssertEqual(o.minimum, x)
            XCTAssertNil(o.referenceDecay)
            let scale = ObjectiveTestMath.maxAbs(Self.gradient(o, at: zero))
            XCTAssertLessThan(ObjectiveTestMath.maxAbs(Self.gradient(o, at: x)), 1e-12 * scale)
            XCTAssertGreaterThan(ObjectiveTestMath.symmetricEigenvalues(o.hessian(at: x), order: 3)[0], 0)
            // With decay: ∇f(x_λ) + λ·x_λ = 0.
            let decay = [0.05, 0.1, 0.02]
            let xl = try XCTUnwrap(o.regularizedMinimum(decay: decay))
            let g = Self.gradient(o, at: xl)
            for k in 0..<3 { XCTAssertEqual(g[k] + decay[k] * xl[k], 0, accuracy: 1e-12 * scale) }
            XCTAssertNotEqual(xl, x)
            XCTAssertEqual(o.regularizedMinimum(decay: [0, 0, 0]), x)
        }
    }

    func testSeparableDataHaveNoUnregularizedMinimum() throws {
        let o = Self.separable()
        XCTAssertNil(o.unregularizedMinimum)
        XCTAssertEqual(o.referenceDecay, Self.separableDecay)
        let g = Self.gradient(o, at: o.minimum)
        for k in 0..<3 {
            XCTAssertEqual(g[k] + Self.separableDecay[k] * o.minimum[k], 0,
                           accuracy: 1e-12 * ObjectiveTestMath.maxAbs(Self.gradient(o, at: [0, 0, 0])))
        }
        XCTAssertThrowsError(try LogisticRegression(data: o.data, classWeights: .uniform)) { error in
            XCTAssertEqual(error as? LogisticRegression.MinimumError, .noFiniteMinimum)
        }
        // Few examples in many dimensions are separable too, without a margin: Newton's
        // method finds no minimum, and the loss keeps falling along the separating direction.
        let few = LogisticData.generate(dimension: 6, count: 4, weights: nil, featureScales: [1, 1, 1, 1, 1, 1],
                                        positiveFraction: 0.5, margin: nil, labelFlip: 0.2, seed: 3)
        XCTAssertThrowsError(try LogisticRegression(data: few))
        let regularized = try LogisticRegression(data: few, fallbackDecay: [Double](repeating: 0.1, count: 6))
        XCTAssertNil(regularized.unregularizedMinimum)
    }

    // MARK: data

    func testDataGenerationIsDeterministic() {
        let a = Self.imbalanced().data, b = Self.imbalanced().data, c = Self.imbalanced(seed: 8).data
        XCTAssertEqual(a.features, b.features)
        XCTAssertEqual(a.labels, b.labels)
        XCTAssertEqual(a.flipped, b.flipped)
        XCTAssertNotEqual(a.features, c.features)
        XCTAssertEqual(a.labels.count, 300)
        XCTAssertTrue(a.labels.allSatisfy { $0 == 1 || $0 == -1 })
        // Drawn weights are those of linear regression with the same seed.
        let drawn = LogisticData.generate(dimension: 3, count: 5, weights: nil, featureScales: [1, 1, 1], positiveFraction: 0.5,
                                          margin: nil, labelFlip: 0, seed: 11)
        let regression = RegressionData.generate(dimension: 3, count: nil, weights: nil, featureScales: [1, 1, 1], noiseStd: 0, seed: 11)
        XCTAssertEqual(drawn.weights, regression.weights)
    }

    /// The class (before flips) is +1 with probability π: the count is Binomial(n, π), within
    /// 5 standard errors √(nπ(1 − π)).
    func testPositiveFractionWithinBinomialError() {
        let n = 20000
        for pi in [0.05, 0.3, 0.5, 0.9] {
            let data = LogisticData.generate(dimension: 2, count: n, weights: [1, -1], featureScales: [1, 1],
                                             positiveFraction: pi, margin: nil, labelFlip: 0.2, seed: 4)
            let positives = zip(data.labels, data.flipped).filter { ($1 ? -$0 : $0) > 0 }.count
            XCTAssertEqual(Double(positives), Double(n) * pi, accuracy: 5 * (Double(n) * pi * (1 - pi)).squareRoot(), "π = \(pi)")
        }
    }

    /// Each label flips with probability `labelFlip`: the flip count is Binomial(n, p).
    func testLabelFlipsAtTheConfiguredRate() {
        let n = 20000
        for p in [0.0, 0.05, 0.25, 0.45] {
            let data = LogisticData.generate(dimension: 2, count: n, weights: [1, -1], featureScales: [1, 1],
                                             positiveFraction: 0.3, margin: nil, labelFlip: p, seed: 9)
            let flips = data.flipped.filter { $0 }.count
            XCTAssertEqual(Double(flips), Double(n) * p, accuracy: 5 * (Double(n) * p * (1 - p)).squareRoot(), "p = \(p)")
        }
    }

    /// Class-conditional means ±½Sw: each coordinate's mean over a class is within 5 standard
    /// errors (scale_k/√n_c) of s·½·scale_k²·w_k, and its sample sd within 5 standard errors
    /// (scale_k/√(2n_c) for a Gaussian) of scale_k.
    func testFeaturesFollowTheClassConditionalGaussians() {
        let n = 20000, scales = [1.0, 0.5, 2.0], w = [1.5, -1.0, 0.5]
        let data = LogisticData.generate(dimension: 3, count: n, weights: w, featureScales: scales, positiveFraction: 0.3,
                                         margin: nil, labelFlip: 0, seed: 13)
        for s in [-1.0, 1.0] {
            let rows = (0..<n).filter { data.labels[$0] == s }
            for k in 0..<3 {
                let values = rows.map { data.features[$0 * 3 + k] }
                let (mean, se) = SampleMoments.meanAndStandardError(values)
                XCTAssertEqual(mean, s * 0.5 * scales[k] * scales[k] * w[k], accuracy: 5 * se, "class \(s), feature \(k)")
                XCTAssertEqual(se * Double(rows.count).squareRoot(), scales[k],
                               accuracy: 5 * scales[k] / (2 * Double(rows.count)).squareRoot())
            }
        }
    }

    /// With a margin every example clears it on its own class's side: s·zᵀw ≥ m, hence |zᵀw| ≥ m,
    /// for margins below, near and far above the natural spread q/2 = wᵀSw/2.
    func testMarginSeparatesEveryExample() {
        let w = [1.0, -0.5], scales = [1.0, 1.0]  // q = 1.25
        for margin in [0.1, 0.6, 3.0, 40.0] {
            let data = LogisticData.generate(dimension: 2, count: 5000, weights: w, featureScales: scales, positiveFraction: 0.4,
                                             margin: margin, labelFlip: 0, seed: 2)
            var closest = Double.infinity
            for i in 0..<data.count {
                let a = data.features[2 * i] * w[0] + data.features[2 * i + 1] * w[1]
                closest = min(closest, data.labels[i] * a)
                XCTAssertGreaterThanOrEqual(abs(a), margin)
            }
            XCTAssertGreaterThanOrEqual(closest, margin)
            // Not piled up on the margin: the closest example sits just above it.
            XCTAssertLessThan(closest, margin + 0.05 * max(1, margin))
        }
    }

    /// balanced: ω_c = n/(2·n_c), so both classes carry total weight n/2.
    func testBalancedClassWeightsGiveEqualTotalWeight() {
        let o = Self.imbalanced(n: 1000)
        var totals = [0.0, 0.0]
        for (i, label) in o.data.labels.enumerated() { totals[label > 0 ? 1 : 0] += o.exampleWeights[i] }
        XCTAssertEqual(totals[0], 500, accuracy: 1e-9)
        XCTAssertEqual(totals[1], 500, accuracy: 1e-9)
        XCTAssertGreaterThan(o.classWeights.positive, o.classWeights.negative)
        XCTAssertEqual(o.classWeights.positive, 1000 / (2 * Double(o.data.positiveCount)), accuracy: 1e-12)
    }

    /// Per-class weights enter the loss as written: f is the weighted mean of the two classes' losses.
    func testClassWeightsScaleEachClassLoss() throws {
        let data = Self.imbalanced().data
        let x = [0.3, -0.2, 0.1]
        let plain = try LogisticRegression(data: data)
        let weighted = try LogisticRegression(data: data, classWeights: .init(negative: 0, positive: 3))
        var positiveLoss = 0.0
        for i in 0..<data.count where data.labels[i] > 0 {
            let m = (0..<3).map { data.features[i * 3 + $0] * x[$0] }.reduce(0, +)
            positiveLoss += log(1 + exp(-m))
        }
        XCTAssertEqual(weighted.value(at: x), 3 * positiveLoss / Double(data.count), accuracy: 1e-13)
        XCTAssertGreaterThan(plain.value(at: x), positiveLoss / Double(data.count))
    }
}
