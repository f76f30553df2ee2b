import Foundation
import XCTest
@testable import Statistics

final class ChiSquareTestTests: XCTestCase {
    /// Multinomial counts of n draws from the given probabilities (inverse CDF of a uniform).
    private func multinomial(_ probabilities: [Double], n: Int, random: inout SeededVariates) -> (inside: [Int], outside: Int) {
        var counts = [Int](repeating: 0, count: probabilities.count)
        var outside = 0
        for _ in 0..<n {
            var u = random.uniform()
            var hit = false
            for (i, p) in probabilities.enumerated() {
                if u < p { counts[i] += 1; hit = true; break }
                u -= p
            }
            if !hit { outside += 1 }
        }
        return (counts, outside)
    }

    /// Under the null the p-values are uniform: 300 replicates of 5000 draws from the
    /// N(0, 0.7) bin probabilities of a Gibbs density (with tails outside the range, and
    /// tail bins pooled) pass a Kolmogorov–Smirnov test for uniformity, and none is below
    /// 10⁻⁴. Counts from a law shifted by 0.1 standard deviations (10⁵ draws) give p ≈ 0.
    func testNullUniformityAndPower() throws {
        let t = 0.7
        let edges = (0...30).map { -2.5 + Double($0) / 6 }
        let gibbs = try GibbsDensity.binProbabilities(edges: edges, temperature: t) { 0.5 * $0 * $0 }
        var random = SeededVariates(seed: 31)
        var pValues: [Double] = []
        for _ in 0..<300 {
            let (counts, _) = multinomial(gibbs.probabilities, n: 5000, random: &random)
            let test = try ChiSquareTest(observed: counts, probabilities: gibbs.probabilities, total: 5000)
            XCTAssertLessThan(test.degreesOfFreedom, 31)
            XCTAssertEqual(test.pooledCells, test.degreesOfFreedom + 1)
            pValues.append(test.pValue)
        }
        XCTAssertGreaterThan(pValues.min() ?? 0, 1e-4)
        let d = Distributions.kolmogorovSmirnovStatistic(pValues) { $0 }
        XCTAssertGreaterThan(Distributions.kolmogorovSmirnovPValue(statistic: d, n: pValues.count), 1e-3)

        let shift = 0.1 * t.squareRoot()
        let shiftedEdges = edges.map { $0 - shift }
        let shifted = try GibbsDensity.binProbabilities(edges: shiftedEdges, temperature: t) { 0.5 * $0 * $0 }
        let (counts, _) = multinomial(shifted.probabilities, n: 100_000, random: &random)
        let test = try ChiSquareTest(observed: counts, probabilities: gibbs.probabilities, total: 100_000)
        XCTAssertLessThan(test.pValue, 1e-10)
    }

    /// By hand: counts (30, 20, 50) against (0.25, 0.25, 0.5) of 100: X² = 1 + 1 + 0 = 2 on 2
    /// degrees of freedom, p = e^{−1}. Pooling: expected (2, 2, 2, 94) → groups (6, 94).
    /// The outside cell: probabilities summing to 0.9 and 100 draws with 90 counted.
    func testByHandAndPooling() throws {
        let test = try ChiSquareTest(observed: [30, 20, 50], probabilities: [0.25, 0.25, 0.5])
        XCTAssertEqual(test.statistic, 2, accuracy: 1e-12)
        XCTAssertEqual(test.degreesOfFreedom, 2)
        XCTAssertEqual(test.pValue, exp(-1), accuracy: 1e-12)

        let pooled = try ChiSquareTest(observed: [1, 3, 2, 94], probabilities: [0.02, 0.02, 0.02, 0.94])
        XCTAssertEqual(pooled.pooledCells, 2)
        XCTAssertEqual(pooled.statistic, 0, accuracy: 1e-12)

        // Cells (40, 50, outside 10) vs expected (45, 45, 10).
        let outside = try ChiSquareTest(observed: [40, 50], probabilities: [0.45, 0.45], total: 100)
        XCTAssertEqual(outside.pooledCells, 3)
        XCTAssertEqual(outside.statistic, 25.0 / 45 + 25.0 / 45, accuracy: 1e-12)
        // A short remainder joins the group before it: expected (50, 47, 3).
        let remainder = try ChiSquareTest(observed: [50, 50], probabilities: [0.5, 0.47], total: 100)
        XCTAssertEqual(remainder.pooledCells, 2)
    }

    func testFailures() {
        XCTAssertThrowsError(try ChiSquareTest(observed: [1, 2], probabilities: [0.5]))
        XCTAssertThrowsError(try ChiSquareTest(observed: [], probabilities: []))
        XCTAssertThrowsError(try ChiSquareTest(observed: [-1, 2], probabilities: [0.5, 0.5]))
        XCTAssertThrowsError(try ChiSquareTest(observed: [1, 2], probabilities: [0.7, 0.7]))
        XCTAssertThrowsError(try ChiSquareTest(observed: [1, 2], probabilities: [0.5, .nan]))
        XCTAssertThrowsError(try ChiSquareTest(observed: [10, 20], probabilities: [0.5, 0.5], total: 20))
        XCTAssertThrowsError(try ChiSquareTest(observed: [0, 0], probabilities: [0.5, 0.5]))
        XCTAssertThrowsError(try ChiSquareTest(observed: [3, 3], probabilities: [0.5, 0.5])) { error in
            XCTAssertEqual(error as? ChiSquareTest.Failure, .tooFewExpectedCounts)
        }
    }
}
