import XCTest
@testable import Experiments
@testable import Simulation
@testable import Statistics

/// Issue 6, numerical robustness: a minimum far from the origin (|x*| = 1e8) and stationary
/// variances from 1e-12 to 1e6 in one cloud, one coordinate biased by 1e6 (coupled weight
/// decay) while its spread is 1e-6. The moments are accumulated about the ensemble mean
/// after burn-in, so neither the offset nor the bias cancels the variance away: about x*,
/// the biased coordinate's variance would be E[y²] − ȳ² = (1e12 + 1e-12) − 1e12, all lost.
///
/// SGD on f = ½ Σ_k (x_k − x*_k)² with noise std σ_k and coupled decay λ_k is a set of
/// independent AR(1) recursions; the exact discrete Lyapunov solution (TheoryComparison)
/// gives Var_k = lr·σ_k²/(h_k(2 − lr·h_k)), h_k = 1 + λ_k, and mean x*_k/h_k. Tolerance:
/// every covariance entry within 5 standard errors (cluster-robust over 256 groups); means
/// within 5 standard errors or 4 ulps of the mean (a mean of 1e8 is known to 1.5e-8 at best).
final class NumericalRangeTests: XCTestCase {
    func testFarMinimumAndVariancesFromOneInATrillionToAMillion() throws {
        let lr = 0.5
        // σ² = 3·Var for h = 1 (Var = lr σ²/(2 − lr) = σ²/3).
        let variances = [1e-12, 1e6, 1e-12, 1.0]
        let std = variances.map { (3 * $0).squareRoot() }
        let config = try ConfigLoader.parse(text: """
            name: range
            seed: 77
            objective: {type: quadratic, diagonal: [1, 1, 1, 1], minimum: [1.0e8, -1.0e8, 1.0e8, 3.0]}
            noise: {type: gaussian, std: [\(std.map { "\($0)" }.joined(separator: ", "))]}
            init: {type: point, at: [1.0e8, -1.0e8, 99009900.99009901, 3.0]}
            chains: 4000
            steps: 1200
            burn_in: 200
            divergence_bound: 1.0e9
            optimizers:
              - {type: sgd, lr: \(lr), weight_decay: [0, 0, 0.01, 0]}
            output: {samples: none}
            """, file: "range.yaml")
        let cloud = try XCTUnwrap(CloudRunner.simulate(config, optimizer: 0, settings: .init(threads: 2)))
        XCTAssertEqual(cloud.divergedChains, 0)
        let estimate = try CloudEstimate(cloud)
        let theory = try XCTUnwrap(TheoryComparison(config: config, optimizer: config.optimizers[0]).theory)
        let predicted = try XCTUnwrap(theory.covariance)
        let z = TheoryComparison.zScores(estimate.covariance, predicted, stderr: estimate.covarianceStderr)
        XCTAssertLessThan(z.map(Swift.abs).max()!, 5, "covariance z-scores \(z)")
        for k in 0..<4 {
            let expected = lr * std[k] * std[k] / ((1 + (k == 2 ? 0.01 : 0)) * (2 - lr * (1 + (k == 2 ? 0.01 : 0))))
            XCTAssertEqual(predicted[k * 4 + k], expected, accuracy: 1e-12 * expected, "the theory itself, coordinate \(k)")
            // The standard error is a small fraction of the variance: the check is sharp.
            XCTAssertLessThan(estimate.covarianceStderr[k * 4 + k], 0.02 * expected)
            let tolerance = Swift.max(5 * estimate.stderrMean[k], 4 * theory.mean[k].ulp)
            XCTAssertEqual(estimate.mean[k], theory.mean[k], accuracy: tolerance, "mean of coordinate \(k)")
            XCTAssertEqual(estimate.bias[k], theory.mean[k] - config.objective.minimum[k], accuracy: tolerance,
                           "bias of coordinate \(k)")
        }
        // The decayed coordinate is biased by about 1e6 (the prediction; the estimate is
        // checked against it above).
        XCTAssertEqual(theory.mean[2] - config.objective.minimum[2], -1e8 * 0.01 / 1.01, accuracy: 1e-6)
        // The spreads of 1e-6 beside an offset of 1e8 and a bias of 1e6: within 5 standard
        // errors of the predicted sd, se(s) = se(s²)/(2s) (delta method).
        for k in [0, 2] {
            let sd = predicted[k * 4 + k].squareRoot(), se = estimate.covarianceStderr[k * 4 + k] / (2 * sd)
            XCTAssertLessThan(Swift.abs(estimate.std[k] - sd) / se, 5, "std of coordinate \(k): \(estimate.std[k]) vs \(sd)")
        }
    }
}
