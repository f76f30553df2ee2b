import XCTest
@testable import Experiments

/// The test-only stop hook reads a positive count and a signal name; anything else leaves it off.
final class SnapshotStopTests: XCTestCase {
    func testParse() {
        let count = SnapshotStop.countVariable, signal = SnapshotStop.signalVariable
        XCTAssertNil(SnapshotStop.parse([:]))
        for bad in ["0", "-3", "x", "", "1.5"] { XCTAssertNil(SnapshotStop.parse([count: bad]), bad) }
        XCTAssertEqual(SnapshotStop.parse([count: "788"])?.count, 788)
        XCTAssertEqual(SnapshotStop.parse([count: "788"])?.signal, SIGINT)
        XCTAssertEqual(SnapshotStop.parse([count: "5", signal: "KILL"])?.signal, SIGKILL)
        XCTAssertEqual(SnapshotStop.parse([count: "5", signal: "TERM"])?.signal, SIGTERM)
        XCTAssertEqual(SnapshotStop.parse([count: "5", signal: "INT"])?.signal, SIGINT)
        XCTAssertNil(SnapshotStop.parse([signal: "KILL"]), "no count, no stop")
    }

    /// The tests that run this binary set nothing: the hook is off.
    func testOffWithoutTheVariable() {
        XCTAssertNil(SnapshotStop.request)
    }
}
