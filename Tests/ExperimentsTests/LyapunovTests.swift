import XCTest
@testable import Experiments
@testable import Simulation
@testable import Statistics

/// The simulated stationary covariance of SGD against the exact discrete-time Lyapunov
/// solution, on a 5-D rotated quadratic (condition number 100) with a full noise covariance.
///
/// Tolerance: every entry of the covariance and every coordinate of the mean must lie within
/// 5 standard errors of the prediction, |z| < 5. The standard errors are the cluster-robust
/// ones over 256 independent replicate groups of chains (CloudEstimate), so they account for
/// the autocorrelation along chains. With 15 + 5 entries per configuration the chance that a
/// correct simulation fails is about 20 × 6e-7.
final class LyapunovTests: XCTestCase {
    static let zLimit = 5.0

    func config(_ optimizer: String, steps: Int = 3000, burnIn: Int = 1500) throws -> RunConfig {
        try ConfigLoader.parse(text: """
            name: lyapunov
            seed: 2024
            objective:
              type: quadratic
              eigenvalues: [0.1, 0.3, 1.0, 3.0, 10.0]
              rotation_seed: 5
              minimum: [1.0, -1.0, 0.5, 0.0, 2.0]
            noise:
              type: gaussian
              covariance: [[0.8, 0.3, 0.3, 0.3, 0.3], [0.3, 0.8, 0.3, 0.3, 0.3], [0.3, 0.3, 0.8, 0.3, 0.3],
                           [0.3, 0.3, 0.3, 0.8, 0.3], [0.3, 0.3, 0.3, 0.3, 0.8]]
            init: {type: point, at: [0, 0, 0, 0, 0]}
            chains: 10000
            steps: \(steps)
            burn_in: \(burnIn)
            optimizers:
              - \(optimizer)
            output: {samples: none}
            """, file: "lyapunov.yaml")
    }

    struct Outcome {
        let estimate: CloudEstimate
        let theory: SGDStationaryTheory
        var maxCovarianceZ: Double { TheoryComparison.zScores(estimate.covariance, theory.covariance!, stderr: estimate.covarianceStderr).map(Swift.abs).max()! }
        var maxMeanZ: Double { (0..<5).map { Swift.abs(estimate.mean[$0] - theory.mean[$0]) / estimate.stderrMean[$0] }.max()! }
        var maxContinuousZ: Double { TheoryComparison.zScores(estimate.covariance, theory.continuousCovariance!, stderr: estimate.covarianceStderr).map(Swift.abs).max()! }
    }

    func simulate(_ optimizer: String) throws -> Outcome {
        let config = try config(optimizer)
        let cloud = try XCTUnwrap(CloudRunner.simulate(config, optimizer: 0, settings: .init(threads: 2)))
        XCTAssertEqual(cloud.divergedChains, 0)
        let comparison = TheoryComparison(config: config, optimizer: config.optimizers[0])
        return Outcome(estimate: try CloudEstimate(cloud), theory: try XCTUnwrap(comparison.theory))
    }

    func assertMatchesTheory(_ outcome: Outcome, _ name: String) {
        XCTAssertLessThan(outcome.maxCovarianceZ, Self.zLimit, "\(name): covariance")
        XCTAssertLessThan(outcome.maxMeanZ, Self.zLimit, "\(name): mean")
        // The standard errors are small enough for the comparison to mean something.
        let relative = zip(outcome.estimate.covarianceStderr, outcome.theory.covariance!).map { $0 / Swift.abs($1) }
        XCTAssertLessThan((0..<5).map { relative[$0 * 5 + $0] }.max()!, 0.05, "\(name): diagonal standard errors")
    }

    func testPlainSGD() throws {
        assertMatchesTheory(try simulate("{label: sgd, type: sgd, lr: 0.1}"), "sgd")
    }

    /// lr = 0.9 × 2/λmax: the discrete covariance along the stiff direction is 10× the SDE's,
    /// and the continuous-time approximation misses by far more than the tolerance.
    func testNearTheStabilityLimit() throws {
        let outcome = try simulate("{label: edge, type: sgd, lr: 0.18}")
        XCTAssertEqual(outcome.theory.stabilityLimit!, 0.2, accuracy: 1e-12)
        assertMatchesTheory(outcome, "edge of stability")
        XCTAssertGreaterThan(outcome.maxContinuousZ, 20 * Self.zLimit)
        // Along the stiffest Hessian direction v: discrete vᵀΣv = lr·vᵀCv / (λ(2 − lr·λ)) is
        // 1/(1 − lr·λ/2) = 10 times the SDE's lr·vᵀCv / (2λ).
        let config = try config("{type: sgd, lr: 0.18}")
        let eigen = try LinearAlgebra.symmetricEigen(config.objective.constantHessian!, n: 5)
        let v = (0..<5).map { eigen.vectors[$0 * 5 + 4] }
        func along(_ m: [Double]) -> Double {
            var total = 0.0
            for i in 0..<5 { for j in 0..<5 { total += v[i] * m[i * 5 + j] * v[j] } }
            return total
        }
        let simulated = along(outcome.estimate.covariance)
        XCTAssertEqual(simulated / along(outcome.theory.covariance!), 1, accuracy: 0.05)
        XCTAssertEqual(simulated / along(outcome.theory.continuousCovariance!), 10, accuracy: 0.5)
    }

    func testHeavyBallMomentum() throws {
        assertMatchesTheory(try simulate("{label: heavy-ball, type: sgd, lr: 0.01, momentum: 0.9}"), "momentum 0.9")
    }

    func testNesterovWithDampenedMomentumIsCoveredToo() throws {
        assertMatchesTheory(try simulate("{label: nesterov, type: sgd, lr: 0.02, momentum: 0.8, nesterov: true}"), "nesterov")
    }

    /// Coupled L2 moves the mean away from x* (bias) and shrinks the cloud.
    func testCoupledWeightDecay() throws {
        let outcome = try simulate("{label: l2, type: sgd, lr: 0.1, weight_decay: [0.5, 0.0, 0.2, 0.0, 0.1]}")
        assertMatchesTheory(outcome, "coupled L2")
        let biasZ = (0..<5).map { Swift.abs(outcome.estimate.bias[$0]) / outcome.estimate.stderrMean[$0] }.max()!
        XCTAssertGreaterThan(biasZ, 20, "weight decay biases the cloud visibly")
    }
}
