import XCTest
@testable import Experiments
@testable import Statistics

/// Yaida's relation E[(x − c)·g] = (1 + μ)/(2·lr)·E|Δx|² holds at stationarity for any
/// objective: here SGD and heavy ball on a symmetric double well in x₀ (quartic, with barrier
/// crossings at T_eff = lr·σ₀²/2 = 0.225) and a quadratic x₁, with N(0, diag(9, 1)) gradient
/// noise. Chains start from N(0, I), symmetric about the barrier, so the well populations
/// are at their stationary 50/50 from the start and the in-well relaxation (lr·f″ = 0.4 per
/// step) is over long before the end of burn-in.
final class FluctuationDissipationTests: XCTestCase {
    static func doubleWell(init start: String, steps: Int, burnIn: Int) -> String {
        """
        objective: {type: double-well, barrier: 1.0, tilt: 0.0, curvature: [1.0]}
        noise: {type: gaussian, std: [3.0, 1.0]}
        init: \(start)
        chains: 4000
        steps: \(steps)
        burn_in: \(burnIn)
        seed: 21
        optimizers:
          - {label: sgd, type: sgd, lr: 0.05}
          - {label: momentum, type: sgd, lr: 0.01, momentum: 0.8}
          - {label: adam, type: adam, lr: 0.01}
        output: {samples: none}
        """
    }

    /// |R − 1| < 5 standard errors (the delta-method error over the 256 independent
    /// replicate groups), with the error small enough (< 1 %) for the test to mean something.
    func testTheRatioIsOneAtStationarityOnADoubleWell() throws {
        let (_, results) = try reportRun(Self.doubleWell(init: "{type: gaussian, mean: [0.0, 0.0], std: [1.0, 1.0]}",
                                                         steps: 3000, burnIn: 1000))
        for result in results.prefix(2) {
            let fdr = try XCTUnwrap(result.report.fluctuationDissipation, result.spec.label)
            print("\(result.spec.label): fdr_ratio = \(fdr.ratio) ± \(fdr.stderr)")
            XCTAssertLessThan(Swift.abs(fdr.ratio - 1), 5 * fdr.stderr, result.spec.label)
            XCTAssertLessThan(fdr.stderr, 0.01, result.spec.label)
            // Both wells are visited: the relation is tested beyond a quadratic. The landscape,
            // the noise and the start are symmetric under x₀ → −x₀, so each well holds exactly
            // half of the law at every step: occupancy 1/2 within 5 standard errors.
            let basins = try XCTUnwrap(result.report.basins)
            for basin in basins.basins {
                XCTAssertLessThan(Swift.abs(basin.occupancy - 0.5) / basin.occupancyStderr, 5,
                                  "\(result.spec.label): occupancy \(basin.occupancy) ± \(basin.occupancyStderr)")
            }
        }
        XCTAssertNil(results[2].report.fluctuationDissipation, "no relation for Adam")
    }

    /// Measured while the cloud still contracts from a far start (recorded from step 1), the
    /// ratio is far from 1.
    func testTheRatioIsNotOneBeforeStationarity() throws {
        let (_, results) = try reportRun(Self.doubleWell(init: "{type: point, at: [2.5, 3.0]}", steps: 40, burnIn: 0))
        let fdr = try XCTUnwrap(results[0].report.fluctuationDissipation)
        print("transient: fdr_ratio = \(fdr.ratio) ± \(fdr.stderr)")
        XCTAssertGreaterThan(Swift.abs(fdr.ratio - 1), Swift.max(0.1, 5 * fdr.stderr))
    }
}
