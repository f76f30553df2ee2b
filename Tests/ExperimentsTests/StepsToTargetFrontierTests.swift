import XCTest
@testable import Experiments

/// The critical value of a steps-to-target curve (`StepsToTargetFrontier`).
final class StepsToTargetFrontierTests: XCTestCase {
    /// S(B) = S₀(1 + B*/B) has log–log slope −(B*/B)/(1 + B*/B), exactly −½ at B = B*: on
    /// a grid of factor 2 the interpolated crossing is within a few percent of B*.
    func testCriticalValueOfTheNQMShapedCurveIsItsKnee() {
        for knee in [3.0, 40.0, 300.0] {
            let curve = (0...12).map { k -> (x: Double, steps: Double) in
                let b = pow(2, Double(k))
                return (b, 100 * (1 + knee / b))
            }
            let critical = StepsToTargetFrontier.critical(curve)
            let value = try? XCTUnwrap(critical.value, critical.note)
            XCTAssertEqual(log(value ?? .nan), log(knee), accuracy: 0.05, "B* \(knee)")
        }
    }

    func testCriticalValueOutsideTheGridIsNil() {
        let perfect = (0...5).map { k -> (x: Double, steps: Double) in (pow(2, Double(k)), 1000 / pow(2, Double(k))) }
        XCTAssertNil(StepsToTargetFrontier.critical(perfect).value)
        XCTAssertTrue(StepsToTargetFrontier.critical(perfect).note.contains("above the grid"))
        let flat = (0...5).map { k -> (x: Double, steps: Double) in (pow(2, Double(k)), 50) }
        XCTAssertNil(StepsToTargetFrontier.critical(flat).value)
        XCTAssertTrue(StepsToTargetFrontier.critical(flat).note.contains("below the grid"))
        XCTAssertNil(StepsToTargetFrontier.critical([(1, 10)]).value)
    }

    /// The frontier takes the fewest steps over the other axes per value of the first, ties
    /// to the earlier point, and leaves out values at which nothing reached the target.
    func testFrontierIsTheBestOverTheOtherAxes() {
        let frontier = StepsToTargetFrontier(optimizer: "sgd", rows: [
            (1, 0, 100, 3, 98), (1, 1, 80, 2, 81), (1, 2, 80, 5, nil),
            (2, 3, nil, nil, 60), (2, 4, nil, nil, 55),
            (4, 5, 30, 1, 29),
        ])
        XCTAssertEqual(frontier.points.map(\.x), [1, 4])
        XCTAssertEqual(frontier.points.map(\.steps), [80, 30])
        XCTAssertEqual(frontier.points.map(\.point), [1, 5])
        XCTAssertEqual(frontier.theory.map(\.x), [1, 2, 4])
        XCTAssertEqual(frontier.theory.map(\.steps), [81, 55, 29])
    }
}
