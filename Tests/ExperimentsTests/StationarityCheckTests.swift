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
}
