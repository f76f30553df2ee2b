import Synchronization
import XCTest
@testable import Simulation

/// Group snapshots and resuming from them: whatever subset of snapshots an interrupted run
/// left, the resumed run's result is bit-identical to an uninterrupted one.
final class ResumeTests: XCTestCase {
    /// Keeps every snapshot; cancels the run once `cancelAfter` recording snapshots arrived.
    final class Collector: SimulationCheckpoint, @unchecked Sendable {
        private let lock = Mutex<[GroupSnapshot]>([])
        let progress: RunProgress?
        let cancelAfter: Int

        init(progress: RunProgress? = nil, cancelAfter: Int = .max) {
            self.progress = progress
            self.cancelAfter = cancelAfter
        }

        func completed(_ snapshot: GroupSnapshot) {
            let recorded = lock.withLock { all -> Int in
                all.append(snapshot)
                return all.filter { $0.phase == .recording }.count
            }
            if recorded >= cancelAfter { progress?.cancel() }
        }

        var snapshots: [GroupSnapshot] { lock.withLock { $0 } }
        func resume(keepRecording: (GroupSnapshot) -> Bool = { _ in true }) -> SimulationResume {
            let all = snapshots
            return SimulationResume(burnIn: all.filter { $0.phase == .burnIn },
                                    recording: all.filter { $0.phase == .recording && keepRecording($0) })
        }
    }

    /// SGD with momentum on a tilted double well with Gaussian noise and a tight divergence
    /// bound (some chains diverge in burn-in, some while recorded), with every observation,
    /// stored samples and traces.
    func simulator(chains: Int = 1500) -> Simulator {
        Simulator(objective: DoubleWell(barrier: 1, tilt: 0.2, curvatures: [1.5]), noise: DiagonalGaussianNoise(std: [2.5, 1]),
                  optimizer: SGD(momentum: 0.5),
                  schedule: ConstantSchedule(baseLR: 0.08), clip: .none, normals: NormalStream(generator: Philox4x32(seed: 21)),
                  plan: SimulationPlan(
                    chains: chains, recording: RecordingPlan(steps: 200, burnIn: 60, thin: 1),
                    initial: .gaussian(mean: [1, 0], std: [0.5, 0.5]), divergenceBound: 1.9,
                    histograms: HistogramPlan(bins: 16, ranges: nil, pairs: [.init(0, 1)]), samples: .all, traceChains: 9,
                    observation: ObservationPlan(timeseriesSteps: ObservationPlan.logSpacedSteps(steps: 200, burnIn: 60),
                                                 directions: [1, 0, 0, 1], diagnosticChains: [2, 100, 777, 1399],
                                                 diagnosticStride: 2, fluctuationDissipation: true, basins: true,
                                                 lossPath: true)))
    }

    func assertIdentical(_ a: CloudAccumulation, _ b: CloudAccumulation, file: StaticString = #filePath, line: UInt = #line) {
        func bits(_ v: [Double]?) -> [UInt64]? { v?.map(\.bitPattern) }
        XCTAssertEqual(a.groups, b.groups, "moments", file: file, line: line)
        XCTAssertEqual(a.histograms, b.histograms, "histograms", file: file, line: line)
        XCTAssertEqual(a.divergenceSteps, b.divergenceSteps, "divergence", file: file, line: line)
        XCTAssertEqual(bits(a.shift), bits(b.shift), "centre", file: file, line: line)
        XCTAssertEqual(bits(a.finalIterates), bits(b.finalIterates), "final iterates", file: file, line: line)
        XCTAssertEqual(bits(a.allIterates), bits(b.allIterates), "samples", file: file, line: line)
        XCTAssertEqual(bits(a.trace), bits(b.trace), "trace", file: file, line: line)
        XCTAssertEqual(bits(a.timeseries.values), bits(b.timeseries.values), "timeseries", file: file, line: line)
        XCTAssertEqual(bits(a.lossPath), bits(b.lossPath), "loss path", file: file, line: line)
        XCTAssertEqual(bits(a.diagnostics?.values), bits(b.diagnostics?.values), "diagnostic draws", file: file, line: line)
        XCTAssertEqual(a.basins, b.basins, "basins", file: file, line: line)
    }

    func testEverySnapshotArrivesOnceAndTheRunHasDivergences() {
        let collector = Collector()
        let cloud = simulator().run(threads: 2, checkpoint: collector)!
        let groups = cloud.layout.groups
        for phase in GroupSnapshot.Phase.allCases {
            XCTAssertEqual(Set(collector.snapshots.filter { $0.phase == phase }.map(\.group)), Set(0..<groups))
            XCTAssertEqual(collector.snapshots.filter { $0.phase == phase }.count, groups)
        }
        let burnInDivergences = cloud.divergenceSteps.filter { $0 > 0 && $0 <= 60 }.count
        let recordedDivergences = cloud.divergenceSteps.filter { $0 > 60 }.count
        XCTAssertGreaterThan(burnInDivergences, 0, "the test must cover divergence in burn-in")
        XCTAssertGreaterThan(recordedDivergences, 0, "and while recorded (tile replays)")
        XCTAssertLessThan(cloud.divergedChains, cloud.chains / 2)
    }

    func testResumingFromAnySubsetOfSnapshotsIsBitIdentical() {
        let collector = Collector()
        let reference = simulator().run(threads: 2, checkpoint: collector)!
        // Everything done: nothing is simulated again.
        assertIdentical(reference, simulator().run(threads: 2, resume: collector.resume())!)
        // Half of the recording done, on another thread count.
        assertIdentical(reference, simulator().run(threads: 3, resume: collector.resume { $0.group % 2 == 0 })!)
        // Burn-in only, of some groups.
        let some = SimulationResume(burnIn: collector.snapshots.filter { $0.phase == .burnIn && $0.group % 3 != 0 })
        assertIdentical(reference, simulator().run(threads: 1, resume: some)!)
        // Recording snapshots without every burn-in snapshot are not used (the histogram
        // ranges need the whole post-burn-in ensemble).
        let partial = SimulationResume(burnIn: collector.snapshots.filter { $0.phase == .burnIn && $0.group != 5 },
                                       recording: collector.snapshots.filter { $0.phase == .recording })
        assertIdentical(reference, simulator().run(threads: 2, resume: partial)!)
    }

    /// A run cancelled part-way leaves snapshots of the finished groups; resuming from them
    /// (as after a kill) gives the uninterrupted result.
    func testResumingACancelledRunIsBitIdentical() {
        let reference = simulator().run(threads: 2)!
        let progress = RunProgress(total: 1500 * 200)
        let collector = Collector(progress: progress, cancelAfter: 100)
        XCTAssertNil(simulator().run(threads: 2, progress: progress, checkpoint: collector))
        let recorded = collector.snapshots.filter { $0.phase == .recording }.count
        XCTAssertGreaterThanOrEqual(recorded, 100)
        XCTAssertLessThan(recorded, reference.layout.groups)
        assertIdentical(reference, simulator().run(threads: 2, resume: collector.resume())!)
    }

    /// Snapshots of another shape (another chain count, a damaged file) are ignored.
    func testSnapshotsThatDoNotFitAreIgnored() {
        let collector = Collector()
        let reference = simulator().run(threads: 2, checkpoint: collector)!
        var damaged = collector.resume()
        damaged.burnIn[3].x.removeLast()
        damaged.recording[7].timeseries.append(0)
        damaged.recording[8].group = 10_000
        assertIdentical(reference, simulator().run(threads: 2, resume: damaged)!)
        let other = Collector()
        _ = simulator(chains: 1400).run(threads: 2, checkpoint: other)
        assertIdentical(reference, simulator().run(threads: 2, resume: other.resume())!)
    }
}
