import XCTest
@testable import Experiments
@testable import Simulation
@testable import Statistics

/// SGLD on a quadratic: the stationary covariance equals the exact discrete-time solution
/// Σ = AΣAᵀ + 2·lr·T·I with A = I − lr·H (temperature·H⁻¹ corrected for the finite step),
/// every entry within 5 standard errors (cluster-robust over 256 replicate groups; see
/// LyapunovTests), while the Gibbs covariance T·H⁻¹ itself is off along the stiff direction
/// by the factor 1/(1 − lr·λ/2) = 1.25 — far more than the tolerance.
final class SGLDTheoryTests: XCTestCase {
    func testSGLDMatchesTheDiscreteGibbsCorrection() throws {
        let config = try ConfigLoader.parse(text: """
            objective: {type: quadratic, eigenvalues: [0.5, 4.0], rotation_seed: 2, minimum: [1.0, 2.0]}
            noise: {type: none}
            chains: 10000
            steps: 2000
            burn_in: 1000
            seed: 5
            optimizers: [{type: sgld, lr: 0.1, temperature: 0.5}]
            output: {samples: none}
            """, file: "sgld.yaml")
        let cloud = try XCTUnwrap(CloudRunner.simulate(config, optimizer: 0, settings: .init(threads: 2)))
        let estimate = try CloudEstimate(cloud)
        let theory = try XCTUnwrap(TheoryComparison(config: config, optimizer: config.optimizers[0]).theory)
        let exact = try XCTUnwrap(theory.covariance)
        let z = TheoryComparison.zScores(estimate.covariance, exact, stderr: estimate.covarianceStderr)
        XCTAssertLessThan(z.map(Swift.abs).max()!, 5, "covariance z-scores \(z)")
        for k in 0..<2 { XCTAssertLessThan(Swift.abs(estimate.mean[k] - theory.mean[k]) / estimate.stderrMean[k], 5) }

        // The Gibbs limit T·H⁻¹ is the continuous-time covariance here.
        let h = config.objective.constantHessian!
        let gibbs = try LinearAlgebra.solve(h, [0.5, 0], n: 2) + LinearAlgebra.solve(h, [0, 0.5], n: 2)
        let gibbsMatrix = [gibbs[0], gibbs[2], gibbs[1], gibbs[3]]
        for i in 0..<4 { XCTAssertEqual(theory.continuousCovariance![i], gibbsMatrix[i], accuracy: 1e-12) }
        let gibbsZ = TheoryComparison.zScores(estimate.covariance, gibbsMatrix, stderr: estimate.covarianceStderr)
        XCTAssertGreaterThan(gibbsZ.map(Swift.abs).max()!, 20)
    }
}
