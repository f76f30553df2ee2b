import XCTest
@testable import Simulation

/// Schedules without reference vectors, against values worked out from torch's and
/// transformers' definitions (k = scheduler steps taken = t − 1).
final class ScheduleTests: XCTestCase {
    func testMultiStep() {
        let s = MultiStepSchedule(baseLR: 1, milestones: [30, 10], gamma: 0.5)
        XCTAssertEqual([0, 9, 10, 29, 30, 100].map { s.learningRate(afterSchedulerSteps: $0) }, [1, 1, 0.5, 0.5, 0.25, 0.25])
    }

    func testInverseSqrt() {
        let s = InverseSqrtSchedule(baseLR: 2, warmupSteps: 4)
        XCTAssertEqual(s.learningRate(afterSchedulerSteps: 0), 0)
        XCTAssertEqual(s.learningRate(afterSchedulerSteps: 2), 1)
        XCTAssertEqual(s.learningRate(afterSchedulerSteps: 4), 2)
        XCTAssertEqual(s.learningRate(afterSchedulerSteps: 16), 1, accuracy: 1e-15)   // 2/√(16/4)
        let noWarmup = InverseSqrtSchedule(baseLR: 1)
        XCTAssertEqual(noWarmup.timescale, 10_000)
        XCTAssertEqual(noWarmup.learningRate(afterSchedulerSteps: 30_000), 0.5, accuracy: 1e-15)
    }

    /// T_mult = 1 restarts every T_0; T_mult = 2 at 7, 21, 49 (FORMAT.md).
    func testWarmRestarts() {
        let constantPeriod = CosineWarmRestartsSchedule(baseLR: 1, t0: 5, tMult: 1, etaMin: 0)
        for k in [0, 5, 10, 55] { XCTAssertEqual(constantPeriod.learningRate(afterSchedulerSteps: k), 1) }
        let growing = CosineWarmRestartsSchedule(baseLR: 1, t0: 7, tMult: 2, etaMin: 0.1)
        for k in [0, 7, 21, 49] { XCTAssertEqual(growing.learningRate(afterSchedulerSteps: k), 1, accuracy: 1e-15) }
        XCTAssertEqual(growing.learningRate(afterSchedulerSteps: 14), 0.1 + 0.9 * 0.5, accuracy: 1e-15)   // T_cur 7 of 14
    }

    /// Past T_max torch's cosine keeps going (periodic), and LinearLR stays at end_factor.
    func testBeyondTheHorizon() {
        let cosine = CosineSchedule(baseLR: 1, tMax: 10, etaMin: 0)
        XCTAssertEqual(cosine.learningRate(afterSchedulerSteps: 10), 0, accuracy: 1e-15)
        XCTAssertEqual(cosine.learningRate(afterSchedulerSteps: 20), 1, accuracy: 1e-15)
        let linear = LinearSchedule(baseLR: 1, startFactor: 0.1, endFactor: 0.5, totalIters: 4)
        XCTAssertEqual(linear.learningRate(afterSchedulerSteps: 0), 0.1, accuracy: 1e-15)
        XCTAssertEqual(linear.learningRate(afterSchedulerSteps: 100), 0.5, accuracy: 1e-15)
        XCTAssertEqual(LinearSchedule(baseLR: 1, startFactor: 0.5, endFactor: 1, totalIters: 0).learningRate(afterSchedulerSteps: 0), 1)
    }

    func testSequentialRestartsTheStepCountAtEachMilestone() {
        let s = SequentialSchedule(schedules: [ConstantSchedule(baseLR: 1), ExponentialSchedule(baseLR: 1, gamma: 0.5),
                                               StepSchedule(baseLR: 1, stepSize: 2, gamma: 0.1)], milestones: [3, 5])
        XCTAssertEqual((0..<9).map { s.learningRate(afterSchedulerSteps: $0) }, [1, 1, 1, 1, 0.5, 1, 1, 0.1, 0.1].map { $0 }, accuracy: 1e-15)
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
