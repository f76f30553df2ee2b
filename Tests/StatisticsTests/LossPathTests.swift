import XCTest
@testable import Statistics
import Simulation

/// `LossPath`: the mean loss after every update and steps to target, from the engine's
/// per-group sums, over the chains alive at each step.
final class LossPathTests: XCTestCase {
    /// SGD on a 2-D quadratic with strong noise and a divergence bound chains cross all along, and the
    /// timeseries at every step to compare with.
    func cloud(chains: Int) -> CloudAccumulation {
        let steps = 120
        return Simulator(objective: Quadratic(hessian: [2, 0.5, 0.5, 1], minimum: [1, -1]),
                         noise: GaussianNoise(choleskyFactor: [4, 0, 0.3, 0.8], dimension: 2),
                         optimizer: SGD(momentum: 0.5),
                         schedule: ConstantSchedule(baseLR: 0.1), clip: .none, normals: NormalStream(generator: Philox4x32(seed: 4)),
                         plan: SimulationPlan(chains: chains, recording: RecordingPlan(steps: steps, burnIn: 40, thin: 1),
                                              initial: .gaussian(mean: [0, 0], std: [1, 1]), divergenceBound: 3,
                                              histograms: HistogramPlan(bins: 10, ranges: nil, pairs: []), samples: .none, traceChains: 0,
                                              observation: ObservationPlan(timeseriesSteps: Array(1...steps), lossPath: true)))
            .run(threads: 2)!
    }

    /// The loss path's mean and standard error at every step are the timeseries' (whose alive
    /// counts the engine records, where the loss path derives them from divergence steps).
    func testMeanAndStderrAreTheTimeseriesOnes() throws {
        let cloud = cloud(chains: 900)
        XCTAssertGreaterThan(cloud.divergedChains, 0, "some chains diverge")
        let path = try XCTUnwrap(LossPath(cloud)), series = cloud.timeseries, layout = series.layout
        for (i, t) in series.steps.enumerated() {
            let total = series.total(at: i)
            let mean = total[layout.loss] / total[layout.alive]
            XCTAssertEqual(path.mean[t - 1], mean, accuracy: 1e-13 * mean, "step \(t)")
            let groups = (0..<series.groups).compactMap { g -> (numerator: Double, denominator: Double)? in
                let v = series.group(g, at: i)
                return v[v.startIndex + layout.alive] > 0 ? (v[v.startIndex + layout.loss], v[v.startIndex + layout.alive]) : nil
            }
            XCTAssertEqual(path.stderr(step: t), RatioEstimate.standardError(groups, ratio: mean), accuracy: 1e-10 * path.stderr(step: t))
        }
    }

    /// Steps to target is the first step at or below the target; its standard error is the
    /// loss's over the secant slope around it; a target never reached gives nil.
    func testStepsToTargetAndItsDeltaMethodStandardError() throws {
        let path = try XCTUnwrap(LossPath(cloud(chains: 900)))
        let target = 0.5 * (path.mean[29] + path.mean[30])
        let (step, stderr) = try XCTUnwrap(path.stepsToTarget(target))
        XCTAssertEqual(step, path.mean.firstIndex { $0 <= target }! + 1)
        XCTAssertLessThanOrEqual(step, 31)
        let w = max(1, (step + 9) / 10)
        let slope = (path.mean[step - w - 1] - path.mean[step + w - 1]) / Double(2 * w)
        // The delta method's, or wider where the curve comes within 5 standard errors of the
        // target at other steps (t₋ before, t₊ after).
        let early = (1...step).first { path.mean[$0 - 1] - 5 * path.stderr(step: $0) <= target }!
        let late = (step...120).first { path.mean[$0 - 1] + 5 * path.stderr(step: $0) <= target } ?? 120
        let expected = max(path.stderr(step: step) / slope, Double(max(step - early, late - step)) / 5)
        XCTAssertEqual(stderr, expected, accuracy: 1e-12 * stderr)
        XCTAssertGreaterThanOrEqual(stderr, path.stderr(step: step) / slope)
        XCTAssertNil(path.stepsToTarget(-1))
    }
}
