import XCTest
@testable import Simulation

/// What the engine observes beside the moments (`ObservationPlan`): each observation is
/// checked against the same quantity recomputed from stored iterates or traces of the same
/// run, and for independence of the thread count.
final class ObservationTests: XCTestCase {
    static let steps = 240, burnIn = 80, thin = 2

    func plan(chains: Int, samples: SampleStorage = .none, trace: Int = 0, observation: ObservationPlan,
              initial: InitialDistribution) -> SimulationPlan {
        SimulationPlan(chains: chains, recording: RecordingPlan(steps: Self.steps, burnIn: Self.burnIn, thin: Self.thin),
                       initial: initial, histograms: HistogramPlan(bins: 20, ranges: nil, pairs: [.init(0, 1)]),
                       samples: samples, traceChains: trace, observation: observation)
    }

    /// A tilted double well with SGLD hot enough to cross the barrier many times.
    func doubleWell(chains: Int, samples: SampleStorage = .none, trace: Int = 0, observation: ObservationPlan,
                    seed: UInt64 = 5) -> Simulator {
        Simulator(objective: DoubleWell(barrier: 1, tilt: 0.3, curvatures: [2]), noise: NoNoise(dimension: 2),
                  optimizer: SGLD(temperature: 0.6),
                  schedule: ConstantSchedule(baseLR: 0.05), clip: .none, normals: NormalStream(generator: Philox4x32(seed: seed)),
                  plan: plan(chains: chains, samples: samples, trace: trace, observation: observation, initial: .point([1, 0])))
    }

    func sgd(chains: Int, samples: SampleStorage = .none, trace: Int = 0, observation: ObservationPlan,
             bound: Double = 1e12) -> Simulator {
        Simulator(objective: Quadratic(hessian: [2, 0.5, 0.5, 1], minimum: [3, -1]),
                  noise: GaussianNoise(choleskyFactor: [1, 0, 0.3, 0.8], dimension: 2),
                  optimizer: SGD(momentum: 0.3),
                  schedule: ConstantSchedule(baseLR: 0.2), clip: .none, normals: NormalStream(generator: Philox4x32(seed: 3)),
                  plan: SimulationPlan(chains: chains, recording: RecordingPlan(steps: Self.steps, burnIn: Self.burnIn, thin: Self.thin),
                                       initial: .gaussian(mean: [0, 0], std: [1, 1]), divergenceBound: bound,
                                       histograms: HistogramPlan(bins: 20, ranges: nil, pairs: [.init(0, 1)]),
                                       samples: samples, traceChains: trace, observation: observation))
    }

    static let everything = ObservationPlan(
        timeseriesSteps: ObservationPlan.logSpacedSteps(steps: steps, burnIn: burnIn),
        directions: [0.6, 0.8, -0.8, 0.6], diagnosticChains: [0, 7, 33, 300, 599], diagnosticStride: 3,
        fluctuationDissipation: true, basins: true, lossPath: true)

    func testLogSpacedStepsCoverTheRunAndTheRecordedWindow() {
        let steps = ObservationPlan.logSpacedSteps(steps: 4000, burnIn: 2000)
        XCTAssertEqual(steps.first, 1)
        XCTAssertEqual(steps.last, 4000)
        XCTAssertTrue(steps.contains(2000) && steps.contains(2001))
        XCTAssertGreaterThanOrEqual(steps.filter { $0 > 2000 }.count, 12, "enough points to judge stationarity")
        XCTAssertEqual(steps, steps.sorted())
        XCTAssertEqual(ObservationPlan.logSpacedSteps(steps: 1, burnIn: 0), [1])
    }

    /// The record at the last step sums exactly what the final iterates hold.
    func testTimeseriesAtTheLastStepMatchesTheFinalIterates() {
        let cloud = doubleWell(chains: 600, observation: Self.everything).run(threads: 2)!
        let series = cloud.timeseries, layout = series.layout
        XCTAssertEqual(series.steps.last, Self.steps)
        let last = series.total(at: series.steps.count - 1)
        var alive = 0.0, sum = [0.0, 0.0], square = [0.0, 0.0], direction = [0.0, 0.0], right = 0.0, loss = 0.0
        let objective = DoubleWell(barrier: 1, tilt: 0.3, curvatures: [2])
        for c in 0..<cloud.chains where cloud.finalIterates[c * 2].isFinite {
            let x = [cloud.finalIterates[c * 2], cloud.finalIterates[c * 2 + 1]]
            let y = [x[0] - cloud.minimum[0], x[1] - cloud.minimum[1]]
            alive += 1
            loss += objective.value(at: x)
            for k in 0..<2 { sum[k] += y[k]; square[k] += y[k] * y[k] }
            direction[0] += (0.6 * y[0] + 0.8 * y[1]) * (0.6 * y[0] + 0.8 * y[1])
            direction[1] += (-0.8 * y[0] + 0.6 * y[1]) * (-0.8 * y[0] + 0.6 * y[1])
            if x[0] >= objective.barrierTop { right += 1 }
        }
        XCTAssertEqual(last[layout.alive], alive)
        XCTAssertEqual(last[layout.loss], loss, accuracy: 1e-9 * Swift.abs(loss))
        for k in 0..<2 {
            XCTAssertEqual(last[layout.sum(k)], sum[k], accuracy: 1e-9 * Swift.max(1, Swift.abs(sum[k])))
            XCTAssertEqual(last[layout.square(k)], square[k], accuracy: 1e-9 * square[k])
            XCTAssertEqual(last[layout.direction(k)], direction[k], accuracy: 1e-9 * direction[k])
        }
        XCTAssertEqual(last[layout.basin(1)], right)
        XCTAssertEqual(last[layout.basin(0)] + last[layout.basin(1)], alive)
        XCTAssertGreaterThan(right, 0)
        XCTAssertLessThan(right, alive, "both wells are visited")
    }

    /// The loss path sums f over the same chains in the same order as the timeseries: at
    /// every timeseries step and in every group the two sums are the same double.
    func testLossPathAgreesWithTheTimeseriesInEveryGroup() throws {
        for cloud in [doubleWell(chains: 600, observation: Self.everything).run(threads: 2)!,
                      sgd(chains: 600, observation: Self.everything, bound: 4).run(threads: 2)!] {
            let path = try XCTUnwrap(cloud.lossPath), series = cloud.timeseries
            XCTAssertEqual(path.count, cloud.layout.groups * Self.steps)
            for (i, t) in series.steps.enumerated() {
                for g in 0..<series.groups {
                    let values = series.group(g, at: i)
                    XCTAssertEqual(path[g * Self.steps + t - 1].bitPattern, values[values.startIndex + series.layout.loss].bitPattern,
                                   "group \(g), step \(t)")
                }
            }
        }
        XCTAssertNil(doubleWell(chains: 50, observation: .none).run(threads: 1)!.lossPath, "off unless asked")
    }

    /// Diagnostic draws are the stored iterates of their chains, every stride-th draw.
    func testDiagnosticDrawsAreTheRecordedDrawsOfTheirChains() throws {
        let cloud = doubleWell(chains: 600, samples: .all, observation: Self.everything).run(threads: 2)!
        let diagnostics = try XCTUnwrap(cloud.diagnostics)
        let draws = cloud.recording.draws, stride = Self.everything.diagnosticStride
        XCTAssertEqual(diagnostics.drawsPerChain, draws / stride)
        let all = try XCTUnwrap(cloud.allIterates)
        for (slot, chain) in diagnostics.chains.enumerated() {
            for j in 0..<diagnostics.drawsPerChain {
                let draw = (j + 1) * stride - 1
                for k in 0..<2 {
                    XCTAssertEqual(diagnostics.values[(slot * diagnostics.drawsPerChain + j) * 2 + k].bitPattern,
                                   all[(chain * draws + draw) * 2 + k].bitPattern)
                }
            }
        }
    }

    /// First passages and occupancy agree with the traced paths.
    func testFirstPassagesAndOccupancyFollowTheTracedPaths() throws {
        let chains = 64
        let observation = ObservationPlan(timeseriesSteps: Self.everything.timeseriesSteps, basins: true)
        let cloud = doubleWell(chains: chains, samples: .all, trace: chains, observation: observation).run(threads: 2)!
        let basins = try XCTUnwrap(cloud.basins)
        let objective = DoubleWell(barrier: 1, tilt: 0.3, curvatures: [2])
        XCTAssertEqual(basins.minima, objective.localMinima)
        let trace = try XCTUnwrap(cloud.trace)
        var reached = 0
        for c in 0..<chains {
            XCTAssertEqual(basins.start[c], 1, "started in the right well")
            XCTAssertEqual(basins.firstPassage[c * 2 + 1], 0)
            var expected = -1
            for t in 1...Self.steps where trace[(c * Self.steps + t - 1) * 2] < objective.barrierTop {
                expected = t
                break
            }
            XCTAssertEqual(basins.firstPassage[c * 2], expected, "chain \(c)")
            if expected > 0 { reached += 1 }
        }
        XCTAssertGreaterThan(reached, chains / 4)
        let all = try XCTUnwrap(cloud.allIterates)
        var left = 0.0
        for i in Swift.stride(from: 0, to: all.count, by: 2) where all[i] < objective.barrierTop { left += 1 }
        let total = cloud.total
        XCTAssertEqual(total.basinCounts, [left, total.count - left])
    }

    /// Σ (x_{t−1} − c)·g_t and Σ |Δx|² recomputed from every chain's trace: for SGD with
    /// momentum μ, g_t = (b_t − μ·b_{t−1}), b_t = (x_{t−1} − x_t)/lr.
    func testFluctuationDissipationSumsMatchTheTraces() throws {
        let chains = 40
        let cloud = sgd(chains: chains, trace: chains, observation: ObservationPlan(fluctuationDissipation: true)).run(threads: 2)!
        let trace = try XCTUnwrap(cloud.trace)
        let lr = 0.2, mu = 0.3
        var cross = 0.0, step = 0.0
        func x(_ c: Int, _ t: Int, _ k: Int) -> Double { trace[(c * Self.steps + t - 1) * 2 + k] }
        for c in 0..<chains {
            for t in (Self.burnIn + 1)...Self.steps where (t - Self.burnIn) % Self.thin == 0 {
                for k in 0..<2 {
                    let b = (x(c, t - 1, k) - x(c, t, k)) / lr, bPrevious = (x(c, t - 2, k) - x(c, t - 1, k)) / lr
                    let g = b - mu * bPrevious
                    cross += (x(c, t - 1, k) - cloud.shift[k]) * g
                    step += (x(c, t, k) - x(c, t - 1, k)) * (x(c, t, k) - x(c, t - 1, k))
                }
            }
        }
        let total = cloud.total
        XCTAssertEqual(total.fdrCross, cross, accuracy: 1e-8 * Swift.max(1, Swift.abs(cross)))
        XCTAssertEqual(total.fdrStep, step, accuracy: 1e-9 * step)
    }

    /// The accumulation centre is the ensemble mean after burn-in — recomputed bit for bit
    /// from every chain's trace at t = burn_in as x* + Σ(x − x*)/n in chain order — and x* is
    /// kept apart for the bias.
    func testMomentsAreCentredOnTheBurnInMean() throws {
        let chains = 500
        let cloud = sgd(chains: chains, trace: chains, observation: .none).run(threads: 2)!
        XCTAssertEqual(cloud.minimum, [3, -1])
        let trace = try XCTUnwrap(cloud.trace)
        for k in 0..<2 {
            var sum = 0.0
            for c in 0..<chains { sum += trace[(c * Self.steps + Self.burnIn - 1) * 2 + k] - cloud.minimum[k] }
            XCTAssertEqual(cloud.shift[k].bitPattern, (cloud.minimum[k] + sum / Double(chains)).bitPattern)
        }
        XCTAssertNotEqual(cloud.shift, cloud.minimum)
    }

    func testObservationsDoNotDependOnTheThreadCount() {
        let one = doubleWell(chains: 700, samples: .all, observation: Self.everything).run(threads: 1)!
        for threads in [2, 3] {
            let other = doubleWell(chains: 700, samples: .all, observation: Self.everything).run(threads: threads)!
            XCTAssertEqual(one.groups, other.groups)
            XCTAssertEqual(one.timeseries.values.map(\.bitPattern), other.timeseries.values.map(\.bitPattern))
            XCTAssertEqual(one.lossPath!.map(\.bitPattern), other.lossPath!.map(\.bitPattern))
            XCTAssertEqual(one.diagnostics!.values.map(\.bitPattern), other.diagnostics!.values.map(\.bitPattern))
            XCTAssertEqual(one.basins, other.basins)
        }
    }

    /// Objectives with fewer than two basins track none.
    func testSingleBasinObjectivesTrackNoBasins() {
        let observation = ObservationPlan(timeseriesSteps: Self.everything.timeseriesSteps, basins: true)
        let cloud = sgd(chains: 100, observation: observation).run(threads: 1)!
        XCTAssertNil(cloud.basins)
        XCTAssertEqual(cloud.timeseries.layout.basins, 0)
        XCTAssertEqual(cloud.total.basinCounts, [])
    }
}
