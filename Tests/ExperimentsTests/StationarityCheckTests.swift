import XCTest
@testable import Experiments
@testable import Statistics

/// The non-stationarity detector on quadratics where the answer is known: SGD on
/// f = ½x₀² with a flat x₁ (eigenvalue 0) and N(0, I) gradient noise lets x₁ diffuse freely
/// from the initial point, Var x₁(t) = lr²·t exactly (β = 1), while every direction of a
/// positive definite quadratic relaxes within a few dozen steps and then stays put.
final class StationarityCheckTests: XCTestCase {
    static func quadratic(_ diagonal: String) -> String {
        """
        objective: {type: quadratic, diagonal: \(diagonal)}
        noise: {type: gaussian, std: 1.0}
        init: {type: point, at: [0.0, 0.0]}
        chains: 10000
        steps: 2000
        burn_in: 1000
        seed: 12
        optimizers: [{type: sgd, lr: 0.1}]
        output: {samples: none}
        """
    }

    func testAFlatDirectionIsFlaggedWithGrowthExponentOne() throws {
        let (_, results) = try reportRun(Self.quadratic("[1.0, 0.0]"))
        let check = results[0].report.stationarity
        XCTAssertEqual(check.isStationary, false)
        let worst = try XCTUnwrap(check.worst)
        XCTAssertEqual(Swift.abs(worst.vector[1]), 1, accuracy: 1e-12, "the flat direction x₁: \(worst.vector)")
        // Tolerance: the fit is essentially log(V_2b/V_b)/log 2 with V_2b = V_b + (increment)
        // + 2·(cross term), each a sample (co)variance of n = 10⁴ chains with relative sd
        // √(2/n) or less, so sd(β) ≈ √(8/n)/(2·log 2) ≈ 0.02; 5σ = 0.1.
        XCTAssertEqual(worst.growthExponent, 1, accuracy: 0.1)
        // Var x₁ = lr²·t (σ = 1) at the first and last recorded timeseries steps.
        let first = Double(check.steps.first!), last = Double(check.steps.last!)
        XCTAssertEqual(worst.varianceFirst, 0.01 * first, accuracy: 5 * 0.01 * first * (2 / 10000.0).squareRoot())
        XCTAssertEqual(worst.varianceLast, 0.01 * last, accuracy: 5 * 0.01 * last * (2 / 10000.0).squareRoot())
        XCTAssertGreaterThan((worst.varianceLast - worst.varianceFirst) / worst.increaseStderr, 5)
        // The stiff direction is not flagged.
        let stiff = check.directions.filter { Swift.abs($0.vector[0]) == 1 }
        XCTAssertFalse(stiff.isEmpty)
        XCTAssertTrue(stiff.allSatisfy { !$0.isFlagged }, "\(stiff.map(\.growthExponent))")
        XCTAssertTrue(results[0].report.warnings(label: "sgd").contains { $0.contains("not stationary") })
        print("flat direction: β = \(worst.growthExponent), V \(worst.varianceFirst) → \(worst.varianceLast) (se of increase \(worst.increaseStderr)); stiff β = \(stiff.map(\.growthExponent))")
    }

    func testAPositiveDefiniteQuadraticIsStationary() throws {
        let (_, results) = try reportRun(Self.quadratic("[1.0, 0.5]"))
        let check = results[0].report.stationarity
        XCTAssertEqual(check.isStationary, true)
        XCTAssertNil(check.worst)
        XCTAssertEqual(check.directions.count, 4, "two Hessian eigenvectors and two axes")
        for direction in check.directions {
            XCTAssertLessThan(Swift.abs(direction.growthExponent), StationarityCheck.growthThreshold, "\(direction.kind)")
        }
        XCTAssertFalse(results[0].report.warnings(label: "sgd").contains { $0.contains("not stationary") })
        print("positive definite: β = \(check.directions.map(\.growthExponent))")
    }

    func testTooFewRecordedStepsIsUndecided() throws {
        let yaml = Self.quadratic("[1.0, 0.0]").replacingOccurrences(of: "burn_in: 1000", with: "burn_in: 1999")
        let (_, results) = try reportRun(yaml.replacingOccurrences(of: "chains: 10000", with: "chains: 200"))
        XCTAssertNil(results[0].report.stationarity.isStationary, "one recorded step: no trend to fit")
    }

    /// Diagonal H = (1, 0.001), σ = 1, lr 0.1: the stationary sd along x₁ is
    /// √(lr/(h(2 − lr·h))) = 7.07. Chains that start with that spread but centred at x₁ = 40
    /// keep their variance (the covariance of a linear recursion does not see the mean) while
    /// the mean decays like 0.9999^t: 36.2 → 32.7 over the recorded window, 0.5 sd, far above
    /// 5 standard errors (≈ 7.07·√(2·0.1)/100 ≈ 0.03).
    static func slow(init initial: String, schedule: String = "") -> String {
        """
        objective: {type: quadratic, diagonal: [1.0, 0.001]}
        noise: {type: gaussian, std: 1.0}
        init: \(initial)
        chains: 10000
        steps: 2000
        burn_in: 1000
        seed: 13
        optimizers: [{type: sgd, lr: 0.1\(schedule)}]
        output: {samples: none}
        """
    }

    func testADriftingMeanIsFlagged() throws {
        let (_, results) = try reportRun(Self.slow(init: "{type: gaussian, mean: [0.0, 40.0], std: [0.2294, 7.0712]}"))
        let check = results[0].report.stationarity
        XCTAssertEqual(check.isStationary, false)
        let worst = try XCTUnwrap(check.worst)
        XCTAssertEqual(worst.trend, .drifting)
        XCTAssertEqual(Swift.abs(worst.vector[1]), 1, accuracy: 1e-12, "along x₁: \(worst.vector)")
        // E x₁(t) = 40·0.9999^t exactly (the noise has mean 0); 5 of its standard errors.
        let first = Double(check.steps.first!), last = Double(check.steps.last!)
        XCTAssertEqual(worst.meanFirst, 40 * pow(0.9999, first), accuracy: 5 * 7.0712 / 100)
        XCTAssertEqual(worst.meanLast, 40 * pow(0.9999, last), accuracy: 5 * 7.0712 / 100)
        XCTAssertLessThan(Swift.abs(worst.growthExponent), StationarityCheck.growthThreshold, "the variance stays put")
        XCTAssertTrue(results[0].report.warnings(label: "sgd").contains { $0.contains("the mean along") })
    }

    /// Started 5.7 times wider than stationary along x₁, the variance relaxes like
    /// 50 + 1550·0.9999^(2t): 1319 → 1089 over the window, β ≈ −0.28 < −0.2.
    func testAContractingCloudIsFlagged() throws {
        let (_, results) = try reportRun(Self.slow(init: "{type: gaussian, mean: [0.0, 0.0], std: [0.2294, 40.0]}"))
        let check = results[0].report.stationarity
        XCTAssertEqual(check.isStationary, false)
        let worst = try XCTUnwrap(check.worst)
        XCTAssertEqual(worst.trend, .contracting)
        XCTAssertLessThan(worst.growthExponent, -StationarityCheck.growthThreshold)
        // Relative sd of a sample variance of 10⁴ chains √(2/10⁴) (Gaussian): 5 of them.
        let last = Double(check.steps.last!)
        XCTAssertEqual(worst.varianceLast, 50.0025 + (1600 - 50.0025) * pow(0.9999, 2 * last), accuracy: 5 * 1089 * 0.01415)
        XCTAssertTrue(results[0].report.warnings(label: "sgd").contains { $0.contains("shrinks") })
    }

    func testAScheduleThatChangesTheLearningRateIsUndecided() throws {
        let (_, results) = try reportRun(Self.quadratic("[1.0, 0.5]").replacingOccurrences(
            of: "lr: 0.1}", with: "lr: 0.1, schedule: {type: cosine, T_max: 2000}}"))
        let check = results[0].report.stationarity
        XCTAssertNil(check.isStationary)
        XCTAssertEqual(check.reason?.hasPrefix("the learning rate changes"), true, check.reason ?? "nil")
        // The cosine's mean over updates t = 1001…2000, k = t − 1: (0.1/2)·(1 + mean cos(πk/2000)).
        let expected = (1001...2000).map { 0.05 * (1 + cos(Double.pi * Double($0 - 1) / 2000)) }.reduce(0, +) / 1000
        XCTAssertEqual(results[0].report.meanRecordedLR, expected, accuracy: 1e-12)
    }

    /// Without noise every chain ends within a few ulps of x* = (1, −2): the spread is rounding,
    /// so there is no verdict, and no R̂ or ESS either.
    func testANoiselessRunIsAtRoundingLevel() throws {
        let yaml = """
            objective: {type: quadratic, diagonal: [1.0, 0.5], minimum: [1.0, -2.0]}
            noise: {type: none}
            init: {type: gaussian, mean: [0.0, 0.0], std: 1.0}
            chains: 200
            steps: 2000
            burn_in: 1000
            seed: 14
            optimizers: [{type: sgd, lr: 0.1}]
            output: {samples: none}
            """
        let (_, results) = try reportRun(yaml)
        let report = results[0].report
        XCTAssertNil(report.stationarity.isStationary)
        XCTAssertEqual(report.stationarity.reason?.contains("rounding level"), true, report.stationarity.reason ?? "nil")
        XCTAssertTrue(report.stationarity.directions.allSatisfy(\.isRoundingLevel))
        XCTAssertTrue(report.diagnostics.rHat.allSatisfy(\.isNaN), "\(report.diagnostics.rHat)")
        XCTAssertTrue(report.diagnostics.essBulk.allSatisfy(\.isNaN), "\(report.diagnostics.essBulk)")
        XCTAssertEqual(report.meanRecordedLR, 0.1)
    }
}
