import XCTest
@testable import Experiments
import Statistics

/// summary.json's `mean_loss`: the mean of f over the cloud, from at most 64 stored draws per
/// diagnostic chain, with the replicate groups' standard error.
final class MeanLossTests: XCTestCase {
    /// A rotated 2-D quadratic with correlated Gaussian noise; SGD with coupled L2, so the
    /// cloud sits off x* and both terms of E f count.
    static let yaml = """
        seed: 5
        objective: {type: quadratic, eigenvalues: [1.0, 5.0], rotation_seed: 2, minimum: [1.0, -2.0]}
        noise: {type: gaussian, covariance: [[1.0, 0.3], [0.3, 0.5]]}
        init: {type: point, at: [1.0, -2.0]}
        chains: 4000
        steps: 1200
        burn_in: 400
        optimizers:
          - {label: sgd, type: sgd, lr: 0.2, weight_decay: 0.3}
          - {label: momentum, type: sgd, lr: 0.02, momentum: 0.9}
        """

    /// For a quadratic, E f = ½ tr(HΣ) + ½ bᵀHb with Σ and b = mean − x* of the exact
    /// discrete Lyapunov theory. The tolerance is 5 standard errors of mean_loss (the theory
    /// is exact), with a fixed seed.
    func testMeanLossOfAQuadraticMatchesTheLyapunovTheory() throws {
        let result = try sessionRun(Self.yaml)
        let config = result.config
        guard let (h, minimum) = config.objective.quadratic else { return XCTFail("quadratic expected") }
        let d = config.dimension
        for r in result.optimizers {
            let theory = try XCTUnwrap(r.theory.theory)
            let sigma = try XCTUnwrap(theory.covariance)
            let b = (0..<d).map { theory.mean[$0] - minimum[$0] }
            var expected = 0.0
            for i in 0..<d {
                for j in 0..<d { expected += 0.5 * h[i * d + j] * (sigma[j * d + i] + b[i] * b[j]) }
            }
            let loss = r.report.loss
            XCTAssertEqual(loss.drawsPerChain, LossEstimate.maximumDrawsPerChain, r.spec.label)
            XCTAssertEqual(loss.chains, r.report.diagnostics.chains, "every diagnostic chain is used (\(r.spec.label))")
            XCTAssertGreaterThan(loss.stderr, 0)
            XCTAssertLessThan(loss.stderr, 0.02 * expected, "a useful precision (\(r.spec.label))")
            let z = (loss.mean - expected) / loss.stderr
            XCTAssertLessThan(Swift.abs(z), 5, "\(r.spec.label): mean_loss \(loss.mean) ± \(loss.stderr), theory \(expected)")
        }
    }

    func testMeanLossDoesNotDependOnTheThreadCount() throws {
        let small = Self.yaml.replacingOccurrences(of: "chains: 4000", with: "chains: 700")
        let one = try sessionRun(small, threads: 1), three = try sessionRun(small, threads: 3)
        for (a, b) in zip(one.optimizers, three.optimizers) {
            XCTAssertEqual(a.report.loss.mean.bitPattern, b.report.loss.mean.bitPattern)
            XCTAssertEqual(a.report.loss.stderr.bitPattern, b.report.loss.stderr.bitPattern)
        }
    }

    /// Chains that diverge leave the mean loss (their draws are NaN and skipped): with a
    /// divergence bound inside the cloud, some chains go, the mean stays finite, and it is the
    /// mean over the chains that stayed (below the bound's loss).
    func testDivergedChainsAreLeftOutOfTheMeanLoss() throws {
        let yaml = Self.yaml.replacingOccurrences(of: "chains: 4000", with: "chains: 500")
            + "\ndivergence_bound: 2.3\n"
        let result = try sessionRun(yaml)
        let sgd = result.optimizers[0]
        XCTAssertGreaterThan(sgd.cloud.divergedChains, 0)
        XCTAssertLessThan(sgd.cloud.divergedChains, sgd.cloud.chains)
        XCTAssertTrue(sgd.report.loss.mean.isFinite)
        XCTAssertTrue(sgd.report.loss.stderr.isFinite)
    }
}
