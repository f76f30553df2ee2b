import Foundation
import XCTest
@testable import Statistics

/// The energy distance and its permutation test (`optcloud compare`).
final class EnergyDistanceTests: XCTestCase {
    /// n points of N(shift, I_d), row-major, by Box–Muller from a fixed stream.
    private func gaussianSample(_ n: Int, dimension d: Int, shift: [Double]? = nil, stream: UInt64) -> [Double] {
        var random = CounterStream(seed: 2024, stream: stream)
        func uniform() -> Double { (Double(random.next() >> 11) + 0.5) * 0x1p-53 }
        return (0..<(n * d)).map { i in
            let z = (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform())
            return z + (shift?[i % d] ?? 0)
        }
    }

    func testStatisticOfTwoPointsAndOfShiftedCopies() {
        // One point each: E = 2|x − y|.
        XCTAssertEqual(EnergyDistance.statistic([0, 0], [3, 4], dimension: 2), 10, accuracy: 1e-14)
        // A sample against itself: 0; E is translation invariant and scales like a distance.
        let x = gaussianSample(50, dimension: 3, stream: 1), y = gaussianSample(40, dimension: 3, stream: 2)
        XCTAssertEqual(EnergyDistance.statistic(x, x, dimension: 3), 0, accuracy: 1e-12)
        let e = EnergyDistance.statistic(x, y, dimension: 3)
        XCTAssertEqual(EnergyDistance.statistic(x.map { $0 * 2.5 + 1 }, y.map { $0 * 2.5 + 1 }, dimension: 3), 2.5 * e, accuracy: 1e-12)
        // The permutation test reports the same statistic from its distance matrix.
        let test = EnergyDistance.permutationTest(x, y, dimension: 3, permutations: 9, seed: 1, stream: 1)
        XCTAssertEqual(test.statistic, e, accuracy: 1e-12 * e)
        XCTAssertEqual(EnergyDistance.permutationTest(y, x, dimension: 3, permutations: 9, seed: 1, stream: 1).statistic, e,
                       accuracy: 1e-12 * e, "symmetric: the smaller group is the tracked one either way")
    }

    func testSamplesOfOneDistributionGiveANonSmallPValue() {
        // Under the null hypothesis the permutation p-value is super-uniform: P(p ≤ α) ≤ α.
        // With 1999 permutations p can reach 1/2000 = 0.0005, so this assertion is a real
        // test; for a random seed it fails with probability at most 0.001 (this seed is fixed).
        let x = gaussianSample(300, dimension: 2, stream: 10), y = gaussianSample(250, dimension: 2, stream: 11)
        let test = EnergyDistance.permutationTest(x, y, dimension: 2, permutations: 1999, seed: 5, stream: 99, threads: 2)
        XCTAssertGreaterThan(test.pValue, 0.001, "statistic \(test.statistic)")
        print("same distribution: E = \(test.statistic), p = \(test.pValue)")
    }

    func testClearlyDifferentDistributionsGiveTheSmallestPValue() {
        // A shift of 1.5 standard deviations with 200 points each: the observed split is far
        // beyond every random split, so p = 1/(1 + permutations).
        let x = gaussianSample(200, dimension: 2, stream: 20)
        let y = gaussianSample(200, dimension: 2, shift: [1.5, 0], stream: 21)
        let test = EnergyDistance.permutationTest(x, y, dimension: 2, permutations: 499, seed: 5, stream: 7, threads: 2)
        XCTAssertEqual(test.pValue, 1.0 / 500)
        print("shifted by 1.5σ: E = \(test.statistic), p = \(test.pValue)")
    }

    func testPValuesAreUniformUnderTheNull() {
        // 400 independent null experiments (n = 20, m = 30, 99 permutations): p takes values
        // k/100 and P(p ≤ 0.05) = 0.05 exactly for continuous data, so the count of p ≤ 0.05 is
        // Binomial(400, 0.05): mean 20, sd 4.36. Outside 20 ± 4 sd (3…37) means a biased test.
        var small = 0
        for r in 0..<400 {
            let x = gaussianSample(20, dimension: 2, stream: UInt64(1000 + 2 * r))
            let y = gaussianSample(30, dimension: 2, stream: UInt64(1001 + 2 * r))
            let test = EnergyDistance.permutationTest(x, y, dimension: 2, permutations: 99, seed: 3, stream: UInt64(r))
            if test.pValue <= 0.05 { small += 1 }
        }
        XCTAssertTrue((3...37).contains(small), "\(small) of 400 null p-values ≤ 0.05")
        print("null experiments: \(small) of 400 p-values ≤ 0.05")
    }

    func testThePermutationTestIsDeterministicForAnyThreadCount() {
        let x = gaussianSample(60, dimension: 2, stream: 30), y = gaussianSample(70, dimension: 2, shift: [0.3, 0], stream: 31)
        let one = EnergyDistance.permutationTest(x, y, dimension: 2, permutations: 299, seed: 8, stream: 4, threads: 1)
        let four = EnergyDistance.permutationTest(x, y, dimension: 2, permutations: 299, seed: 8, stream: 4, threads: 4)
        XCTAssertEqual(one.statistic, four.statistic)
        XCTAssertEqual(one.pValue, four.pValue)
        let other = EnergyDistance.permutationTest(x, y, dimension: 2, permutations: 299, seed: 9, stream: 4, threads: 1)
        XCTAssertEqual(one.statistic, other.statistic, "the seed only moves the permutations")
    }

    func testSubsamplesAreDistinctSortedAndInRange() {
        var random = CounterStream(seed: 1, stream: CounterStream.streamNumber("run/sgd"))
        let chosen = random.sample(100, of: 1000)
        XCTAssertEqual(chosen.count, 100)
        XCTAssertEqual(chosen, chosen.sorted())
        XCTAssertEqual(Set(chosen).count, 100)
        XCTAssertTrue(chosen.allSatisfy { (0..<1000).contains($0) })
        XCTAssertEqual(random.sample(5, of: 3), [0, 1, 2], "all of a small population")
        // Each index is equally likely: 2000 draws of 1 of 4 → each count ~ Binomial(2000, ¼),
        // sd 19.4; outside 500 ± 5 sd would be a biased bounded draw.
        var counts = [0, 0, 0, 0]
        for _ in 0..<2000 { counts[random.next(below: 4)] += 1 }
        for c in counts { XCTAssertTrue((403...597).contains(c), "\(counts)") }
    }
}
