import XCTest
@testable import Experiments
@testable import Statistics

/// SGLD at a small lr on the asymmetric double well U = (x² − 1)² + 0.3·x (d = 1) at
/// T = 0.7, all chains started at the bottom of the shallow right well (ΔF/T ≈ 1.0):
///
/// - the final iterates (one independent draw per chain, after ≈ 10 escape times, so the
///   well populations have relaxed) pass Pearson's χ² test against the Gibbs marginal
///   exp(−U/T)/Z: p > 0.001 (a correct simulation fails with probability 0.001; the finite-lr
///   bias of the stationary law is O(lr) = 0.1 %, far below what 16 000 draws resolve);
/// - the mean first passage to the left basin against the exact mean first-passage time
///   τ(x_r → x_s)/lr of the continuous dynamics. Monte Carlo error: passage times are roughly
///   exponential (CV ≈ 1), so the standard error of the mean of 16 000 is ≈ 0.8 %; the
///   censored fraction after 16 000 steps (≈ 10 mean escape times) is ≈ e^{−10}, a
///   negligible bias of the conditional mean.
/// - the discrete-time bias: iterates seen only at the steps cross late, by about
///   β·√(2·T·lr) in level (Siegmund), ≈ +4.7 % in time here. The test asserts that the
///   simulation sees it — more than 3 standard errors above the exact time — and that the
///   corrected prediction agrees within 5 standard errors; the correction itself is a
///   deterministic shift of the prediction, below 10 %.
final class LangevinTheoryTests: XCTestCase {
    static let yaml = """
        name: escape
        seed: 17
        objective: {type: double-well, dim: 1, barrier: 1.0, tilt: 0.3}
        noise: {type: none}
        init: {type: point, at: [0.9601495555191055]}
        chains: 16000
        steps: 16000
        burn_in: 15000
        thin: 100
        optimizers:
          - {label: sgld, type: sgld, lr: 0.001, temperature: 0.7}
        statistics:
          histogram: {bins: 50, range: [[-2.5, 2.5]]}
        output: {samples: none}
        """

    func testGibbsMarginalAndEscapeTimeOfSGLD() throws {
        let (config, results) = try reportRun(Self.yaml)
        let report = results[0].report
        let model = try XCTUnwrap(report.langevin.model, report.langevin.unavailableReason ?? "")
        XCTAssertEqual(model.temperature, 0.7)
        let escape = try XCTUnwrap(model.escape, model.escapeUnavailableReason ?? "")
        XCTAssertEqual(escape.startBasin, 1)
        XCTAssertEqual(escape.targetBasin, 0)

        let gibbs = try XCTUnwrap(report.langevinComparison.gibbs, report.langevinComparison.gibbsUnavailableReason ?? "")
        XCTAssertEqual(gibbs.samples, config.chains, "one final iterate per chain")
        XCTAssertGreaterThan(gibbs.test.pValue, 0.001, "χ² = \(gibbs.test.statistic) on \(gibbs.test.degreesOfFreedom) dof")

        let simulated = try XCTUnwrap(report.langevinComparison.escape)
        XCTAssertLessThan(Double(simulated.censored) / Double(simulated.candidates), 1e-3, "censoring is negligible")
        let mean = simulated.firstPassageMean, se = simulated.firstPassageStderr
        XCTAssertLessThan(se / escape.exactSteps, 0.01, "the Monte Carlo error is small enough to see a few-percent delay")
        XCTAssertLessThan(escape.correctedSteps / escape.exactSteps - 1, 0.10, "the continuity correction is a small shift")
        XCTAssertGreaterThan((mean - escape.exactSteps) / se, 3, "the discrete-time delay is measured")
        XCTAssertLessThan(Swift.abs(mean - escape.correctedSteps) / se, 5, "and explained by the continuity correction")
        print(String(format: "SGLD escape: simulated %.1f ± %.1f steps (%d arrived, %d censored); exact %.1f (%+.2f %%, z = %.1f); corrected %.1f (%+.2f %%, z = %.1f); Gibbs χ² = %.2f, dof %d, p = %.3f",
                     mean, se, simulated.arrived, simulated.censored, escape.exactSteps, 100 * (mean / escape.exactSteps - 1),
                     (mean - escape.exactSteps) / se, escape.correctedSteps, 100 * (mean / escape.correctedSteps - 1),
                     (mean - escape.correctedSteps) / se, gibbs.test.statistic, gibbs.test.degreesOfFreedom, gibbs.test.pValue))
    }

    /// The prediction alone (`optcloud theory`): the exact escape time is the integral
    /// formula, the corrected one is later, and the Gibbs basin probabilities sum to 1.
    func testPredictionNeedsNoSimulation() throws {
        let config = try ConfigLoader.parse(text: Self.yaml, file: "escape.yaml")
        let theory = LangevinTheory(config: config, optimizer: config.optimizers[0])
        let model = try XCTUnwrap(theory.model)
        let escape = try XCTUnwrap(model.escape)
        let u: (Double) -> Double = { x in (x * x - 1) * (x * x - 1) + 0.3 * x }
        let exact = try MeanFirstPassage.meanFirstPassageTime(from: escape.start, to: escape.level, reflectingAt: escape.reflectingAt,
                                                              temperature: 0.7, potential: u)
        XCTAssertEqual(escape.exactSteps, exact / 0.001, accuracy: 1e-9 * escape.exactSteps)
        XCTAssertEqual(escape.level - escape.correctedLevel, ContinuityCorrection.beta * (2 * 0.7 * 0.001).squareRoot(),
                       accuracy: 1e-15)
        XCTAssertGreaterThan(escape.correctedSteps, escape.exactSteps)
        let p = try XCTUnwrap(model.basinProbabilities)
        XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertGreaterThan(p[0], p[1], "the left well is deeper")
        XCTAssertEqual(ContinuityCorrection.beta, 0.5825971579390106, accuracy: 1e-15)
    }

    /// No Langevin picture for momentum, adaptive methods or landscapes whose x₀ does not move alone.
    func testUnavailableWhereTheModelDoesNotHold() throws {
        let base = Self.yaml.replacingOccurrences(of: "chains: 16000", with: "chains: 10")
        for (replace, with) in [("{label: sgld, type: sgld, lr: 0.001, temperature: 0.7}", "{type: sgd, lr: 0.001, momentum: 0.9}"),
                                ("{label: sgld, type: sgld, lr: 0.001, temperature: 0.7}", "{type: adam, lr: 0.001}"),
                                ("{label: sgld, type: sgld, lr: 0.001, temperature: 0.7}", "{type: sgd, lr: 0.001}"),
                                ("{type: double-well, dim: 1, barrier: 1.0, tilt: 0.3}", "{type: rosenbrock, dim: 2}")] {
            var text = base.replacingOccurrences(of: replace, with: with)
            if with.contains("rosenbrock") {
                text = text.replacingOccurrences(of: "[0.9601495555191055]", with: "[0.0, 0.0]")
                    .replacingOccurrences(of: "[[-2.5, 2.5]]", with: "[[-2.5, 2.5], [-2.5, 2.5]]")
            }
            let config = try ConfigLoader.parse(text: text, file: "escape.yaml")
            let theory = LangevinTheory(config: config, optimizer: config.optimizers[0])
            XCTAssertNil(theory.model, with)
            XCTAssertNotNil(theory.unavailableReason)
        }
    }
}
