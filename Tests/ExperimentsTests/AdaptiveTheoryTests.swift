import XCTest
@testable import Experiments
@testable import Simulation
@testable import Statistics

/// The frozen-preconditioner theory of Adam, AdamW and RMSprop against simulated clouds, on a
/// 2-D diagonal and a 3-D rotated quadratic, both with a full noise covariance; and its
/// stability limits against where simulated chains stop settling.
///
/// Tolerances (issue 14): the predicted covariance within 3 % (relative Frobenius) of the
/// simulated one, the predicted mean within 5 standard errors or 1 % of |x*|. The theory is an
/// approximation (v frozen at its mean; exact as β₂ → 1), so the covariance criterion is a
/// relative error, not a z-score: the runs are sized so that the simulation's own Monte Carlo
/// error of that relative error, √(Σ se_ij²)/‖C‖_F from the cluster-robust standard errors,
/// is below 0.6 % — 3 % is then more than 5 of it — and the test asserts that too.
final class AdaptiveTheoryTests: XCTestCase {
    static let problems = [
        "objective: {type: quadratic, diagonal: [1, 10], minimum: [1, -1]}\n"
            + "noise: {type: gaussian, covariance: [[1, 0.3], [0.3, 0.25]]}\ninit: {type: point, at: [1, -1]}",
        "objective: {type: quadratic, eigenvalues: [1, 3, 10], rotation_seed: 3, minimum: [1, -1, 0.5]}\n"
            + "noise: {type: gaussian, covariance: [[1, 0.3, 0.1], [0.3, 0.5, 0.1], [0.1, 0.1, 0.8]]}\n"
            + "init: {type: point, at: [1, -1, 0.5]}",
    ]

    func config(_ problem: String, _ optimizer: String, chains: Int = 1000, steps: Int = 8000, burnIn: Int = 4000,
                extra: String = "") throws -> RunConfig {
        try ConfigLoader.parse(text: """
            name: adaptive
            seed: 14
            \(problem)
            chains: \(chains)
            steps: \(steps)
            burn_in: \(burnIn)
            \(extra)
            optimizers:
              - \(optimizer)
            output: {samples: final}
            statistics: {histogram: {bins: 0}}
            """, file: "adaptive.yaml")
    }

    func simulate(_ config: RunConfig) throws -> (cloud: CloudAccumulation, estimate: CloudEstimate, prediction: AdaptivePrediction) {
        let cloud = try XCTUnwrap(CloudRunner.simulate(config, optimizer: 0, settings: .init(threads: 2)))
        return (cloud, try CloudEstimate(cloud), AdaptivePrediction(config: config, optimizer: config.optimizers[0]))
    }

    func assertMatches(_ optimizer: String, problem: Int, burnIn: Int = 4000, file: StaticString = #filePath, line: UInt = #line) throws {
        let config = try config(Self.problems[problem], optimizer, steps: burnIn + 4000, burnIn: burnIn)
        let (cloud, e, prediction) = try simulate(config)
        XCTAssertEqual(cloud.divergedChains, 0, file: file, line: line)
        let theory = try XCTUnwrap(prediction.theory, prediction.unavailableReason ?? "", file: file, line: line)
        let predicted = try XCTUnwrap(theory.covariance, theory.failure ?? "", file: file, line: line)
        let size = predicted.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let monteCarlo = e.covarianceStderr.reduce(0) { $0 + $1 * $1 }.squareRoot() / size
        let relative = TheoryComparison.relativeError(e.covariance, predicted)
        let name = "\(optimizer) on problem \(problem)"
        print("\(name): relative error \(relative), Monte Carlo error \(monteCarlo)")
        XCTAssertLessThan(monteCarlo, 0.006, "\(name): the run is too small for the 3 % criterion", file: file, line: line)
        XCTAssertLessThan(relative, 0.03, name, file: file, line: line)
        let scale = config.objective.minimum.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for k in 0..<e.dimension {
            let error = Swift.abs(e.mean[k] - theory.mean[k])
            XCTAssertLessThan(error, Swift.max(5 * e.stderrMean[k], 0.01 * scale), "\(name): mean[\(k)]", file: file, line: line)
        }
    }

    func testAdam() throws {
        for problem in 0..<2 { try assertMatches("{type: adam, lr: 0.05}", problem: problem) }
    }

    /// x* ≠ 0 and λ > 0: the mean is the frozen-v balance λμ(√v + ε) = −ḡ, far from both x*
    /// and the coupled-L2 minimiser.
    func testAdamW() throws {
        for problem in 0..<2 { try assertMatches("{type: adamw, lr: 0.05, weight_decay: 0.5}", problem: problem) }
    }

    func testRMSprop() throws {
        for problem in 0..<2 { try assertMatches("{type: rmsprop, lr: 0.02}", problem: problem) }
    }

    /// The smallest lr in [lo, hi] at which `unstable` holds, to a relative 0.5 %; lo must be
    /// stable and hi unstable.
    func bisect(_ lo: Double, _ hi: Double, unstable: (Double) throws -> Bool) throws -> Double {
        XCTAssertFalse(try unstable(lo))
        XCTAssertTrue(try unstable(hi))
        var (lo, hi) = (lo, hi)
        while hi - lo > 0.005 * lo {
            let mid = (lo + hi) / 2
            if try unstable(mid) { hi = mid } else { lo = mid }
        }
        return (lo + hi) / 2
    }

    /// AdamW with noise: 2/λ (closed form), where the decay factor |1 − lr·λ| passes 1 —
    /// against the lr at which some of 1000 simulated chains leave |x| < 10¹² within 4000
    /// steps (beyond 2/λ·(1 + 0.0035) the growth (1 + 2δ)^4000 passes 10¹²; below it the decay
    /// contracts and Adam's step is bounded). Adam and RMSprop with positive-definite noise
    /// have no limit: none of their chains diverges even at lr = 100.
    func testStabilityLimitWithNoise() throws {
        let problem = Self.problems[0]
        let adamw = try config(problem, "{type: adamw, lr: 0.05, weight_decay: 0.5}")
        let limit = try XCTUnwrap(AdaptivePrediction(config: adamw, optimizer: adamw.optimizers[0]).theory?.stabilityLimit)
        XCTAssertEqual(limit, 4, accuracy: 1e-12)
        let simulated = try bisect(2, 8) { lr in
            let c = try config(problem, "{type: adamw, lr: \(lr), weight_decay: 0.5}", steps: 4000, burnIn: 3999)
            return try XCTUnwrap(CloudRunner.simulate(c, optimizer: 0, settings: .init(threads: 2))).divergedChains > 0
        }
        print("AdamW: theory \(limit), simulated \(simulated)")
        XCTAssertLessThan(Swift.abs(simulated / limit - 1), 0.02)

        for optimizer in ["{type: adam, lr: 100}", "{type: rmsprop, lr: 100}"] {
            let c = try config(problem, optimizer, steps: 2000, burnIn: 1999)
            XCTAssertNil(try XCTUnwrap(AdaptivePrediction(config: c, optimizer: c.optimizers[0]).theory).stabilityLimit)
            XCTAssertEqual(try XCTUnwrap(CloudRunner.simulate(c, optimizer: 0, settings: .init(threads: 2))).divergedChains, 0, optimizer)
        }
    }

    /// Without noise the fixed point's v is ḡ² = 0, P = 1/ε, and the limit (bisection) is where
    /// the fixed point stops attracting: 2ε/λmax for RMSprop, 38ε/λmax for Adam (β₁ = 0.9).
    /// Simulated: 1000 chains started ~10⁻⁶ from x* either all converge to within 10⁻¹⁰ of it in
    /// 4000 steps or oscillate (no chain leaves any bound: the step is bounded). Adam runs with
    /// β₂ = 0.9 (the limit does not involve β₂): its bias-corrected first steps have an
    /// effective β₁ near 0, so at lr·λmax/ε > 2 they kick the chains out to |g| ~ ε; with
    /// β₂ = 0.999 the v of that kick lasts thousands of steps, during which the chains land
    /// exactly on x* (g = 0 in floating point), and the instability has nothing left to grow
    /// from — the simulated threshold then reads 5–20 % high. With β₂ = 0.9, v follows the
    /// oscillation's amplitude, and the threshold is the linear one.
    func testStabilityLimitWithoutNoise() throws {
        let problem = "objective: {type: quadratic, diagonal: [1, 10], minimum: [1, -1]}\n"
            + "init: {type: gaussian, mean: [1, -1], std: 0.000001}"
        for (optimizer, expected) in [("rmsprop", 0.02), ("adam", 0.38)] {
            let betas = optimizer == "adam" ? ", betas: [0.9, 0.9]" : ""
            let c = try config(problem, "{type: \(optimizer), lr: 0.01, eps: 0.1\(betas)}")
            let limit = try XCTUnwrap(AdaptivePrediction(config: c, optimizer: c.optimizers[0]).theory?.stabilityLimit)
            XCTAssertEqual(limit, expected, accuracy: 1e-8 * expected)
            let simulated = try bisect(limit / 2, limit * 2) { lr in
                let run = try config(problem, "{type: \(optimizer), lr: \(lr), eps: 0.1\(betas)}", steps: 4000, burnIn: 3999)
                let cloud = try XCTUnwrap(CloudRunner.simulate(run, optimizer: 0, settings: .init(threads: 2)))
                XCTAssertEqual(cloud.divergedChains, 0)
                let finals = cloud.finalIterates, minimum = [1.0, -1.0]
                return (0..<cloud.chains).contains { c in (0..<2).contains { !(Swift.abs(finals[c * 2 + $0] - minimum[$0]) < 1e-10) } }
            }
            print("\(optimizer) without noise: theory \(limit), simulated \(simulated)")
            XCTAssertLessThan(Swift.abs(simulated / limit - 1), 0.02, optimizer)
        }
    }

    /// The rest of the catalogue the theory covers, on the rotated problem at the 3 % level:
    /// NAdam (μ_t converged: momentum_decay 0.2), RAdam (r_t within 10⁻³ of 1 after 9000
    /// steps) with decoupled decay, centered RMSprop with momentum and coupled decay, Adam with
    /// coupled decay.
    func testNAdamRAdamCenteredAndCoupled() throws {
        try assertMatches("{type: nadam, lr: 0.05, momentum_decay: 0.2, weight_decay: 0.5, decoupled_weight_decay: true}", problem: 1)
        try assertMatches("{type: radam, lr: 0.05, weight_decay: 0.5, decoupled_weight_decay: true}", problem: 1, burnIn: 9000)
        try assertMatches("{type: rmsprop, lr: 0.01, momentum: 0.5, centered: true, weight_decay: 0.2}", problem: 1)
        try assertMatches("{type: adam, lr: 0.05, weight_decay: 0.3}", problem: 1)
    }

    /// The schedule checks: NAdam's μ_t and RAdam's r_t must have converged when recording
    /// starts, else there is no prediction (but the t → ∞ limit still gives RAdam's
    /// decoupled_fixed_point).
    func testUnconvergedSchedulesHaveNoPrediction() throws {
        let nadam = try config(Self.problems[0], "{type: nadam, lr: 0.05}", burnIn: 2000)
        XCTAssertNil(AdaptivePrediction(config: nadam, optimizer: nadam.optimizers[0]).theory)
        let radam = try config(Self.problems[0], "{type: radam, lr: 0.05, weight_decay: 0.5, decoupled_weight_decay: true}", burnIn: 2000)
        let prediction = AdaptivePrediction(config: radam, optimizer: radam.optimizers[0])
        XCTAssertNil(prediction.theory)
        XCTAssertTrue(prediction.unavailableReason!.contains("rectification"))
        let point = try XCTUnwrap(TheoryComparison(config: radam, optimizer: radam.optimizers[0]).decoupledFixedPoint)
        let adamw = try config(Self.problems[0], "{type: adamw, lr: 0.05, weight_decay: 0.5}")
        XCTAssertEqual(point, try XCTUnwrap(AdaptivePrediction(config: adamw, optimizer: adamw.optimizers[0]).theory?.mean))
    }
}
