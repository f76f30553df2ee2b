import XCTest
@testable import Experiments
@testable import Simulation
@testable import Statistics

/// logistic-regression and hessian noise from config to simulator: the x* rule, the theory
/// report, and Hessian noise on a quadratic matching the discrete Lyapunov covariance.
final class DataAndHessianNoiseConfigTests: XCTestCase {
    func parse(_ text: String) throws -> RunConfig { try ConfigLoader.parse(text: text, file: "c.yaml") }

    struct NotLogistic: Error {}

    static func logisticObjective(_ config: RunConfig) throws -> LogisticRegression {
        guard let o = config.objective.objective as? LogisticRegression else { throw NotLogistic() }
        return o
    }

    static func resolvedObjective(_ config: RunConfig) -> [(String, JSONValue)] {
        guard case .object(let entries) = config.resolved, case .object(let objective)? = entries.first(where: { $0.0 == "objective" })?.1
        else { return [] }
        return objective
    }

    /// Separable data: x* is the L2-regularised minimum with the decay of the first optimizer
    /// whose decay is positive on every coordinate (here the second), and summary's
    /// l2_regularized_minimum of that optimizer is the same point.
    func testSeparableDataTakeTheFirstFullWeightDecay() throws {
        let config = try parse("""
            objective: {type: logistic-regression, dim: 2, n: 300, margin: 0.3, positive_fraction: 0.3, class_weights: [1, 2]}
            noise: {type: minibatch, batch_size: 10}
            optimizers:
              - {label: partial, type: sgd, lr: 0.1, weight_decay: [0.1, 0]}
              - {label: full, type: adam, lr: 0.01, weight_decay: [0.02, 0.05]}
            """)
        let o = try Self.logisticObjective(config)
        XCTAssertNil(o.unregularizedMinimum)
        XCTAssertEqual(o.referenceDecay, [0.02, 0.05])
        XCTAssertEqual(o.minimum, o.regularizedMinimum(decay: [0.02, 0.05]))
        XCTAssertEqual(o.classWeights, .init(negative: 1, positive: 2))
        let reference = Self.resolvedObjective(config).first { $0.0 == "minimum_reference" }?.1
        guard case .string(let text)? = reference else { return XCTFail("no minimum_reference") }
        XCTAssertTrue(text.contains("optimizers.1 (full)"), text)
        XCTAssertEqual(config.objective.l2RegularizedMinimum(decay: [0.02, 0.05], reference: o.minimum), o.minimum)
        XCTAssertTrue(config.objective.hasL2RegularizedMinimum)
    }

    /// Non-separable data: x* is the minimiser of f, and balanced weights resolve to n/(2·n_c).
    func testImbalancedDataWithBalancedWeights() throws {
        let config = try parse("""
            objective: {type: logistic-regression, dim: 3, n: 500, positive_fraction: 0.1, label_flip: 0.05, class_weights: balanced}
            noise: {type: minibatch, batch_size: 25, replacement: true}
            optimizers: [{type: sgd, lr: 0.5}]
            """)
        let o = try Self.logisticObjective(config)
        XCTAssertEqual(o.unregularizedMinimum, o.minimum)
        XCTAssertEqual(o.classWeights, .balanced(o.data))
        XCTAssertEqual(o.classWeights.positive * Double(o.data.positiveCount), 250, accuracy: 1e-9)
        // theory reports the population minibatch covariance at x*.
        let expected = MinibatchNoise(objective: o, batchSize: 25, replacement: true).gradientCovariance(at: o.minimum)
        XCTAssertEqual(TheoryReport(config).noiseCovarianceAtMinimum, expected)
    }

    /// hessian noise on a quadratic is Gaussian with covariance scale²·H, factored once, so
    /// the Lyapunov theory applies — and the simulated cloud matches it (every covariance
    /// entry and mean within 5 cluster-robust standard errors, as in LyapunovTests).
    func testHessianNoiseOnAQuadraticMatchesTheLyapunovCovariance() throws {
        let config = try parse("""
            seed: 8
            objective: {type: quadratic, hessian: [[2.0, 0.6], [0.6, 1.0]], minimum: [1, -1]}
            noise: {type: hessian, scale: 0.7}
            init: {type: point, at: [1, -1]}
            chains: 8000
            steps: 1200
            burn_in: 600
            optimizers: [{type: sgd, lr: 0.3}]
            output: {samples: none}
            """)
        let h = [2.0, 0.6, 0.6, 1.0]
        let covariance = try XCTUnwrap(config.noise.covariance)
        for e in 0..<4 { XCTAssertEqual(covariance[e], 0.49 * h[e], accuracy: 1e-14) }
        let comparison = TheoryComparison(config: config, optimizer: config.optimizers[0])
        let theory = try XCTUnwrap(comparison.theory)
        let predicted = try XCTUnwrap(theory.covariance)
        let cloud = try XCTUnwrap(CloudRunner.simulate(config, optimizer: 0, settings: .init(threads: 2)))
        let estimate = try CloudEstimate(cloud)
        let z = TheoryComparison.zScores(estimate.covariance, predicted, stderr: estimate.covarianceStderr)
        XCTAssertLessThan(z.map(Swift.abs).max()!, 5, "\(estimate.covariance) vs \(predicted)")
        for k in 0..<2 { XCTAssertLessThan(Swift.abs(estimate.mean[k] - theory.mean[k]) / estimate.stderrMean[k], 5) }
    }

    /// State-dependent hessian noise: theory reports scale²·H₊(x*), and a diagonal-Hessian
    /// quadratic gets a diagonal factor.
    func testHessianNoiseCovarianceAtTheMinimum() throws {
        let rosenbrock = try parse("""
            objective: {type: rosenbrock}
            noise: {type: hessian, scale: 2}
            optimizers: [{type: sgd, lr: 0.0005}]
            """)
        XCTAssertNil(rosenbrock.noise.covariance)
        let expected = [802.0, -400, -400, 200].map { 4 * $0 }
        let reported = try XCTUnwrap(TheoryReport(rosenbrock).noiseCovarianceAtMinimum)
        for e in 0..<4 { XCTAssertEqual(reported[e], expected[e], accuracy: 1e-9) }
        let diagonal = try parse("""
            objective: {type: quadratic, diagonal: [4, 0, 1]}
            noise: {type: hessian, scale: 0.5}
            optimizers: [{type: sgd, lr: 0.1}]
            """)
        XCTAssertEqual(diagonal.noise.type, "hessian")
        let constant = try XCTUnwrap(diagonal.noise.noise as? DiagonalGaussianNoise, "a constant diagonal Hessian gives a diagonal factor")
        XCTAssertEqual(constant.std, [1, 0, 0.5])
    }
}
