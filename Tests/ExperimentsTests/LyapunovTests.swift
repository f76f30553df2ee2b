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
        let cloud: CloudAccumulation
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
        return Outcome(cloud: cloud, estimate: try CloudEstimate(cloud), theory: try XCTUnwrap(comparison.theory))
    }

    /// The cloud's variance along the unit vector v, vᵀΣ̂v, with its standard error: the
    /// estimator of `CloudEstimate`'s covariance entries applied to the projection — per
    /// group the central sum u_g = Σ (v·(y − ȳ))² over its samples, and the cluster-robust
    /// ratio-of-sums error of Σu_g/Σn_g (`RatioEstimate`), times n/(n − 1).
    static func variance(along v: [Double], of cloud: CloudAccumulation) -> (value: Double, stderr: Double) {
        let d = cloud.dimension, total = cloud.total, n = total.count
        let mean = total.sum.map { $0 / n }
        func centralSum(_ m: GroupMoments) -> Double {
            var u = 0.0
            for i in 0..<d {
                for j in 0..<d {
                    let cross = i <= j ? m.cross[i * d + j] : m.cross[j * d + i]
                    u += v[i] * v[j] * (cross - mean[i] * m.sum[j] - mean[j] * m.sum[i] + m.count * mean[i] * mean[j])
                }
            }
            return u
        }
        let u = centralSum(total)
        let groups = cloud.groups.filter { $0.count > 0 }.map { (centralSum($0), $0.count) }
        return (u / (n - 1), RatioEstimate.standardError(groups, ratio: u / n) * n / (n - 1))
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
        // The ratio 10 is exact for the predictions; the simulation matches the discrete one
        // within 5 standard errors of vᵀΣ̂v, and is more than 100 of them from the SDE's.
        XCTAssertEqual(along(outcome.theory.covariance!) / along(outcome.theory.continuousCovariance!), 10, accuracy: 1e-12)
        let simulated = Self.variance(along: v, of: outcome.cloud)
        XCTAssertEqual(simulated.value, along(outcome.estimate.covariance), accuracy: 1e-12 * simulated.value)
        XCTAssertLessThan(Swift.abs(simulated.value - along(outcome.theory.covariance!)) / simulated.stderr, Self.zLimit)
        XCTAssertGreaterThan(Swift.abs(simulated.value - along(outcome.theory.continuousCovariance!)) / simulated.stderr, 100)
    }

    func testHeavyBallMomentum() throws {
        assertMatchesTheory(try simulate("{label: heavy-ball, type: sgd, lr: 0.01, momentum: 0.9}"), "momentum 0.9")
    }

    func testNesterovWithDampenedMomentumIsCoveredToo() throws {
        assertMatchesTheory(try simulate("{label: nesterov, type: sgd, lr: 0.02, momentum: 0.8, nesterov: true}"), "nesterov")
    }

    /// Dampening 0.5 (the buffer takes (1 − τ)·g): its own Lyapunov solution, which is heavy
    /// ball's with lr·(1 − τ) (SGDStationaryTheoryTests; DampeningTests for the trajectories).
    func testDampenedHeavyBall() throws {
        let outcome = try simulate("{label: dampened, type: sgd, lr: 0.02, momentum: 0.9, dampening: 0.5}")
        assertMatchesTheory(outcome, "dampening 0.5")
        // Ignoring the dampening would predict twice the covariance: far outside the errors.
        let undamped = try config("{type: sgd, lr: 0.02, momentum: 0.9}")
        let heavyBall = try XCTUnwrap(TheoryComparison(config: undamped, optimizer: undamped.optimizers[0]).theory?.covariance)
        let z = TheoryComparison.zScores(outcome.estimate.covariance, heavyBall, stderr: outcome.estimate.covarianceStderr)
        XCTAssertGreaterThan(z.map(Swift.abs).max()!, 20 * Self.zLimit)
    }

    /// Coupled L2 moves the mean away from x* (bias) and shrinks the cloud.
    func testCoupledWeightDecay() throws {
        let outcome = try simulate("{label: l2, type: sgd, lr: 0.1, weight_decay: [0.5, 0.0, 0.2, 0.0, 0.1]}")
        assertMatchesTheory(outcome, "coupled L2")
        let biasZ = (0..<5).map { Swift.abs(outcome.estimate.bias[$0]) / outcome.estimate.stderrMean[$0] }.max()!
        XCTAssertGreaterThan(biasZ, 20, "weight decay biases the cloud visibly")
    }
}
