import Foundation
import XCTest
@testable import Statistics

final class HillEstimatorTests: XCTestCase {
    /// Pareto(α) samples (scale 1, fixed seed): α̂ within 5 standard errors α̂/√k, both with
    /// the default k = ⌈√n⌉ and with k = n/2 (exact for a pure Pareto law, so a 0.4 % error).
    func testParetoSamples() throws {
        var random = SeededVariates(seed: 2021)
        for alpha in [1.0, 2.0, 3.0] {
            let n = 100_000
            let sample = (0..<n).map { _ in random.pareto(alpha: alpha) }
            for k in [nil, n / 2] {
                let hill = try HillEstimator(sample, k: k)
                XCTAssertEqual(hill.k, k ?? 317)
                XCTAssertEqual(hill.standardError, hill.tailIndex / Double(hill.k).squareRoot(), accuracy: 1e-15)
                XCTAssertLessThan(Swift.abs(hill.tailIndex - alpha), 5 * hill.standardError, "α \(alpha) k \(hill.k): \(hill.tailIndex)")
            }
        }
    }

    /// A law that is Pareto only in the tail: |Cauchy| has P(|X| > x) = (2/π)/x·(1 + O(x⁻²)),
    /// α = 1; and the estimate is scale invariant.
    func testCauchyTailAndScaleInvariance() throws {
        var random = SeededVariates(seed: 5)
        let sample = (0..<200_000).map { _ in Swift.abs(tan(Double.pi * (random.uniform() - 0.5))) }
        let hill = try HillEstimator(sample)
        XCTAssertLessThan(Swift.abs(hill.tailIndex - 1), 5 * hill.standardError, "\(hill.tailIndex) ± \(hill.standardError)")
        let scaled = try HillEstimator(sample.map { 7.5 * $0 })
        XCTAssertEqual(scaled.tailIndex, hill.tailIndex, accuracy: 1e-12 * hill.tailIndex)
        XCTAssertEqual(scaled.threshold, 7.5 * hill.threshold, accuracy: 1e-12 * scaled.threshold)
    }

    /// By hand: {1, 2, 4, 8}, k = 2: threshold 2, 1/α̂ = (log 4 + log 2)/2 = 1.5·log 2.
    func testByHand() throws {
        let hill = try HillEstimator([8, 1, 4, 2], k: 2)
        XCTAssertEqual(hill.threshold, 2)
        XCTAssertEqual(hill.tailIndex, 1 / (1.5 * log(2.0)), accuracy: 1e-15)
        XCTAssertEqual(hill.sampleSize, 4)
    }

    func testRecommendedK() {
        XCTAssertEqual(HillEstimator.recommendedK(sampleSize: 0), 0)
        XCTAssertEqual(HillEstimator.recommendedK(sampleSize: 2), 1)
        XCTAssertEqual(HillEstimator.recommendedK(sampleSize: 100), 10)
        XCTAssertEqual(HillEstimator.recommendedK(sampleSize: 101), 11)
        XCTAssertEqual(HillEstimator.recommendedK(sampleSize: 1_000_000), 1000)
        XCTAssertEqual(HillEstimator.recommendedK(sampleSize: 20_000_000), 4473)
    }

    func testFailures() {
        XCTAssertThrowsError(try HillEstimator([1, 2, -3, 4]))
        XCTAssertThrowsError(try HillEstimator([1, 2, .nan, 4]))
        XCTAssertThrowsError(try HillEstimator([1, 2, .infinity, 4]))
        XCTAssertThrowsError(try HillEstimator([1]))
        XCTAssertThrowsError(try HillEstimator([]))
        XCTAssertThrowsError(try HillEstimator([1, 2, 3], k: 3))
        XCTAssertThrowsError(try HillEstimator([1, 2, 3], k: 0))
        XCTAssertThrowsError(try HillEstimator([0, 0, 0, 5], k: 1)) { error in
            XCTAssertEqual(error as? HillEstimator.Failure, .zeroThreshold)
        }
        XCTAssertEqual(try HillEstimator([0, 0, 3, 5], k: 1).tailIndex, 1 / log(5.0 / 3), accuracy: 1e-15)
    }
}
