import XCTest
@testable import Experiments

/// The collapse rule: groups of equal `by` (12 significant digits), z over the pairs inside a
/// group with the rounding floor, collapses iff max |z| < 5 with at least one pair.
final class CollapseVerdictTests: XCTestCase {
    typealias Point = CollapseVerdict.Point

    func testGroupsAtTwelveSignificantDigits() {
        let verdict = CollapseVerdict([Point(by: 0.1 * 3, value: 1, stderr: 0.1), Point(by: 0.3, value: 1.1, stderr: 0.1),
                                       Point(by: 0.3 + 1e-9, value: 5, stderr: 0.1), Point(by: -0.0, value: 2, stderr: 1),
                                       Point(by: 0.0, value: 2, stderr: 1)])
        XCTAssertEqual(verdict.groups, 3)
        XCTAssertEqual(verdict.pairs, 2)
        XCTAssertEqual(verdict.maxAbsZ!, 0.1 / (0.02).squareRoot(), accuracy: 1e-12)
        XCTAssertTrue(verdict.collapses)
        XCTAssertEqual(verdict.withinSpread!, 0.1, accuracy: 1e-12)
        XCTAssertEqual(verdict.totalSpread, 4)
    }

    func testFiveStandardErrorsDecide() {
        let se = 0.5, combined = (2 * se * se).squareRoot()
        XCTAssertTrue(CollapseVerdict([Point(by: 1, value: 10, stderr: se), Point(by: 1, value: 10 + 4.9 * combined, stderr: se)]).collapses)
        XCTAssertFalse(CollapseVerdict([Point(by: 1, value: 10, stderr: se), Point(by: 1, value: 10 + 5.1 * combined, stderr: se)]).collapses)
    }

    /// Noiseless points (standard error 0) are compared to 12 significant digits: a
    /// difference of rounding size collapses, one in the 9th digit does not, equal values give 0.
    func testZeroStandardErrorsUseTheRoundingFloor() {
        let m = 1.2345678
        XCTAssertEqual(CollapseVerdict([Point(by: 1, value: m, stderr: 0), Point(by: 1, value: m, stderr: 0)]).maxAbsZ, 0)
        let rounding = CollapseVerdict([Point(by: 1, value: m, stderr: 0), Point(by: 1, value: m * (1 + 4e-16), stderr: 0)])
        XCTAssertTrue(rounding.collapses)
        XCTAssertLessThan(rounding.maxAbsZ!, 0.01)
        let different = CollapseVerdict([Point(by: 1, value: m, stderr: 0), Point(by: 1, value: m * (1 + 1e-9), stderr: 0)])
        XCTAssertFalse(different.collapses)
        XCTAssertEqual(different.maxAbsZ!, 1e-9 / 1e-12, accuracy: 1)
        XCTAssertEqual(CollapseVerdict([Point(by: 1, value: 0, stderr: 0), Point(by: 1, value: 0, stderr: 0)]).maxAbsZ, 0)
    }

    func testNoPairNoCollapseAndMissingValuesLeftOut() {
        let single = CollapseVerdict([Point(by: 1, value: 1, stderr: 0.1), Point(by: 2, value: 1, stderr: 0.1)])
        XCTAssertEqual(single.pairs, 0)
        XCTAssertNil(single.maxAbsZ)
        XCTAssertNil(single.withinSpread)
        XCTAssertFalse(single.collapses)
        let missing = CollapseVerdict([Point(by: 1, value: .nan, stderr: 0.1), Point(by: 1, value: 1, stderr: .nan),
                                       Point(by: .infinity, value: 1, stderr: 0.1), Point(by: 1, value: 2, stderr: 0.1)])
        XCTAssertEqual(missing.groups, 1)
        XCTAssertEqual(missing.pairs, 0)
        XCTAssertEqual(missing.totalSpread, 0)
        XCTAssertFalse(CollapseVerdict([]).collapses)
        XCTAssertNil(CollapseVerdict([]).totalSpread)
    }
}
