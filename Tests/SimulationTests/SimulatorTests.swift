import XCTest
@testable import Simulation

final class SimulatorTests: XCTestCase {
    func simulator(chains: Int = 3000, lr: Double = 0.1, bound: Double = 1e12, samples: SampleStorage = .final,
                   initial: InitialDistribution = .point([0, 0])) -> Simulator {
        Simulator(
            objective: Quadratic(hessian: [2, 0.5, 0.5, 1], minimum: [1, -1]),
            noise: GaussianNoise(choleskyFactor: [1, 0, 0.3, 0.8], dimension: 2),
            optimizer: SGD(momentum: 0.5), weightDecay: .coupled([0.01, 0]),
            schedule: ConstantSchedule(baseLR: lr), clip: .none,
            normals: NormalStream(generator: Philox4x32(seed: 11)),
            plan: SimulationPlan(chains: chains, recording: RecordingPlan(steps: 300, burnIn: 100, thin: 2), initial: initial,
                                 divergenceBound: bound, histograms: HistogramPlan(bins: 30, ranges: nil, pairs: [.init(0, 1)]),
                                 samples: samples))
    }

    /// Every sum, count and stored iterate is bit-identical for 1, 2 and 3 threads.
    func testResultsDoNotDependOnTheThreadCount() {
        let one = simulator(samples: .all).run(threads: 1)!
        for threads in [2, 3] {
            let other = simulator(samples: .all).run(threads: threads)!
            XCTAssertEqual(one.groups, other.groups)
            XCTAssertEqual(one.histograms, other.histograms)
            XCTAssertEqual(one.divergenceSteps, other.divergenceSteps)
            XCTAssertEqual(one.finalIterates.map(\.bitPattern), other.finalIterates.map(\.bitPattern))
            XCTAssertEqual(one.allIterates!.map(\.bitPattern), other.allIterates!.map(\.bitPattern))
        }
    }

    /// The stored draws are the accumulated ones: their sums equal the streaming sums.
    func testStoredDrawsMatchTheStreamingSums() {
        let cloud = simulator(chains: 200, samples: .all).run(threads: 2)!
        let draws = cloud.recording.draws
        XCTAssertEqual(draws, 100)
        var sum = [0.0, 0.0]
        for c in 0..<200 { for t in 0..<draws { for k in 0..<2 { sum[k] += cloud.allIterates![(c * draws + t) * 2 + k] - cloud.shift[k] } } }
        let total = cloud.total
        XCTAssertEqual(total.count, Double(200 * draws))
        for k in 0..<2 { XCTAssertEqual(total.sum[k], sum[k], accuracy: 1e-9 * Swift.max(1, Swift.abs(sum[k]))) }
        XCTAssertEqual(cloud.histograms.counts.reduce(0, +) + cloud.histograms.below.reduce(0, +) + cloud.histograms.above.reduce(0, +),
                       2 * 200 * draws)
    }

    /// Chains that cross the divergence bound — here a tight one, crossed during burn-in by
    /// some and during recording by others — are counted and leave no trace in the cloud.
    func testDivergedChainsAreExcluded() {
        let bound = 1.9
        let cloud = simulator(chains: 2000, bound: bound, samples: .all).run(threads: 2)!
        XCTAssertGreaterThan(cloud.divergedChains, 0)
        XCTAssertLessThan(cloud.divergedChains, 2000)
        let steps = cloud.divergenceSteps.filter { $0 > 0 }
        XCTAssertTrue(steps.contains { $0 <= 100 } && steps.contains { $0 > 100 }, "divergences in both phases")
        let alive = 2000 - cloud.divergedChains
        XCTAssertEqual(cloud.total.count, Double(alive * cloud.recording.draws))
        let d = 2, draws = cloud.recording.draws
        for c in 0..<2000 {
            let diverged = cloud.divergenceSteps[c] > 0
            for t in 0..<draws {
                for k in 0..<d {
                    let v = cloud.allIterates![(c * draws + t) * d + k]
                    if diverged { XCTAssertTrue(v.isNaN) } else { XCTAssertLessThanOrEqual(Swift.abs(v), bound) }
                }
            }
            XCTAssertEqual(cloud.finalIterates[c * d].isNaN, diverged)
        }
        // Same answer whatever the thread count, replays included.
        let again = simulator(chains: 2000, bound: bound, samples: .all).run(threads: 1)!
        XCTAssertEqual(cloud.groups, again.groups)
    }

    /// Above the stability limit every chain diverges, and nothing is recorded.
    func testUnstableLearningRateDivergesEveryChain() {
        let cloud = simulator(chains: 100, lr: 3.0).run(threads: 2)!
        XCTAssertEqual(cloud.divergedChains, 100)
        XCTAssertEqual(cloud.total.count, 0)
    }

    /// Cancelling stops the run and returns nil.
    func testCancellation() {
        let progress = RunProgress(total: 1)
        progress.cancel()
        XCTAssertNil(simulator().run(threads: 2, progress: progress))
    }
}
