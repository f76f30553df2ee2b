import XCTest
@testable import Experiments
import Simulation
import Statistics

/// The exact transient theory beside the simulation (SPEC §8.7): timeseries.csv's
/// `theory_loss_mean` against the simulated mean loss, and steps to target.
final class TransientTheoryTests: XCTestCase {
    /// A rotated 5-D quadratic with correlated Gaussian noise, a Gaussian initial law off the
    /// minimum, and a linear warm-up (lr from 0.1·lr over 40 steps): SGD, heavy ball with
    /// dampening and coupled L2, and Nesterov.
    static let yaml = """
        seed: 11
        objective: {type: quadratic, eigenvalues: [0.2, 0.5, 1.0, 2.0, 4.0], rotation_seed: 3, minimum: [0.5, 0, -0.5, 1, 0]}
        noise: {type: gaussian, covariance: [[1.0, 0.3, 0, 0, 0], [0.3, 0.6, 0, 0.1, 0], [0, 0, 0.4, 0, 0], [0, 0.1, 0, 0.8, 0.2], [0, 0, 0, 0.2, 0.5]]}
        init: {type: gaussian, mean: [2.0, -1.0, 1.5, 0.5, -2.0], std: [0.3, 0.2, 0.5, 0.1, 0.4]}
        chains: 3000
        steps: 300
        burn_in: 150
        optimizers:
          - {label: sgd, type: sgd, lr: 0.2, schedule: {type: linear, start_factor: 0.1, total_iters: 40}}
          - {label: heavy-ball, type: sgd, lr: 0.04, momentum: 0.9, dampening: 0.3, weight_decay: 0.1, schedule: {type: linear, start_factor: 0.1, total_iters: 40}}
          - {label: nesterov, type: sgd, lr: 0.05, momentum: 0.8, nesterov: true, schedule: {type: linear, start_factor: 0.1, total_iters: 40}}
        statistics: {target_loss: 0.8}
        """

    /// The simulated mean loss is within 5 of its standard errors (over the replicate
    /// groups, fixed seed) of the exact theory at every timeseries step: the theory is exact,
    /// so each z is N(0, 1) up to the central limit; over ~50 correlated steps × 3 optimizers
    /// a false alarm at 5σ has probability < 10⁻⁴.
    func testSimulatedMeanLossFollowsTheExactTransientTheory() throws {
        let result = try sessionRun(Self.yaml)
        for r in result.optimizers {
            let transient = try XCTUnwrap(r.transient.theory, r.transient.unavailableReason ?? "")
            XCTAssertFalse(transient.isDiagonal, "a rotated quadratic takes the dense path")
            let rows = RunResult.lossRows(r)
            XCTAssertGreaterThan(rows.count, 30)
            for (row, z) in zip(rows, r.transient.zScores(rows)) {
                let z = try XCTUnwrap(z, "\(r.spec.label) step \(row.step)")
                XCTAssertLessThan(Swift.abs(z), 5, "\(r.spec.label) step \(row.step): \(row.mean) ± \(row.stderr) vs \(transient.lossMean[row.step])")
                XCTAssertLessThan(row.stderr, 0.05 * row.mean, "a test with power (\(r.spec.label), step \(row.step))")
            }
            // The loss moves a lot along the way, so agreement is not trivial.
            XCTAssertGreaterThan(transient.lossMean[1] / transient.lossMean.last!, 3, r.spec.label)
        }
        guard case .object(let document) = result.theoryDocument, case .array(let entries)? = document.first(where: { $0.0 == "optimizers" })?.1 else {
            return XCTFail("theory.json")
        }
        for entry in entries {
            guard case .object(let fields) = entry, case .number(let z)? = fields.first(where: { $0.0 == "transient_max_abs_z" })?.1 else {
                return XCTFail("transient_max_abs_z")
            }
            XCTAssertLessThan(z, 5)
        }
    }

    /// `theory_steps_to_target` is exactly the first step of an independent recursion (the
    /// uncentred second moment of (x, b, ξ, 1), below) at or below the target, and the
    /// simulated steps to target brackets it: |T̂ − T| ≤ ⌈5·se⌉ (the delta-method se is the
    /// continuous crossing's; both are integers, hence the ceiling).
    func testStepsToTargetMatchesAnIndependentRecursionAndTheSimulation() throws {
        let result = try sessionRun(Self.yaml)
        let config = result.config
        for r in result.optimizers {
            let independent = IndependentMomentRecursion(config: config, optimizer: r.spec)
            let expected = try XCTUnwrap(independent.firstStep(atOrBelow: 0.8), r.spec.label)
            XCTAssertEqual(r.transient.theory?.firstStep(atOrBelow: 0.8), expected, r.spec.label)
            let entries = r.stepsToTargetEntries(0.8)
            XCTAssertEqual(entries.first { $0.0 == "theory_steps_to_target" }?.1, .integer(expected), r.spec.label)
            let path = try XCTUnwrap(r.lossPath)
            let (steps, stderr) = try XCTUnwrap(path.stepsToTarget(0.8), r.spec.label)
            XCTAssertTrue(stderr > 0 && stderr < 0.1 * Double(expected), "\(r.spec.label): se \(stderr)")
            XCTAssertLessThanOrEqual(Swift.abs(steps - expected), Int((5 * stderr).rounded(.up)),
                                     "\(r.spec.label): simulated \(steps) ± \(stderr), theory \(expected)")
        }
    }

    /// The theory's whole loss curve agrees with the independent recursion to rounding, on
    /// the dense path (above) and the diagonal one, for SGD, heavy ball, Nesterov and SGLD.
    func testTheoryAgreesWithTheIndependentRecursionAtEveryStep() throws {
        let diagonal = """
            objective: {type: quadratic, diagonal: [0.3, 1.0, 2.5]}
            noise: {type: gaussian, std: [0.5, 1.0, 0.2]}
            init: {type: gaussian, mean: [1.0, -2.0, 0.5], std: [0.1, 0.3, 0.05]}
            steps: 200
            optimizers:
              - {label: sgd, type: sgd, lr: 0.3, weight_decay: 0.2, schedule: {type: cosine, T_max: 200}}
              - {label: heavy-ball, type: sgd, lr: 0.05, momentum: 0.9, dampening: 0.5, schedule: {type: linear, start_factor: 0.2, total_iters: 30}}
              - {label: nesterov, type: sgd, lr: 0.05, momentum: 0.7, nesterov: true, weight_decay: 0.3}
              - {label: sgld, type: sgld, lr: 0.1, temperature: 0.5, weight_decay: 0.1}
            """
        for yaml in [Self.yaml, diagonal] {
            let config = try ConfigLoader.parse(text: yaml, file: "transient.yaml")
            for spec in config.optimizers {
                let theory = try XCTUnwrap(TransientComparison(config: config, optimizer: spec).theory, spec.label)
                XCTAssertEqual(theory.isDiagonal, yaml == diagonal)
                let independent = IndependentMomentRecursion(config: config, optimizer: spec)
                XCTAssertEqual(theory.lossMean.count, config.steps + 1)
                for t in 0...config.steps {
                    XCTAssertEqual(theory.lossMean[t], independent.loss[t], accuracy: 1e-10 * independent.loss[t], "\(spec.label) t = \(t)")
                }
            }
        }
    }

    /// Where the theory stops: adaptive optimizers, clipping, non-quadratic objectives.
    func testTheTheoryIsUnavailableOutsideItsModel() throws {
        let config = try ConfigLoader.parse(text: """
            objective: {type: quadratic, diagonal: [1.0, 2.0]}
            noise: {type: gaussian, std: 1}
            optimizers:
              - {label: adam, type: adam, lr: 0.01}
              - {label: clipped, type: sgd, lr: 0.1, clip: {max_norm: 1}}
            """, file: "x.yaml")
        for spec in config.optimizers {
            let transient = TransientComparison(config: config, optimizer: spec)
            XCTAssertNil(transient.theory, spec.label)
            XCTAssertNotNil(transient.unavailableReason)
        }
        let rosenbrock = try ConfigLoader.parse(text: "objective: {type: rosenbrock}\noptimizers: [{type: sgd, lr: 0.001}]", file: "r.yaml")
        XCTAssertNil(TransientComparison(config: rosenbrock, optimizer: rosenbrock.optimizers[0]).theory)
    }
}

/// An independent computation of E f(x_t) for SGD (torch semantics) or SGLD on a quadratic:
/// the uncentred second moment W = E[w wᵀ] of w = (x, b, ξ, 1) pushed through each step
/// written as one affine map of w, built operation by operation as torch.optim.SGD does them
/// (g = ∇f + λx + ξ; b = g at t = 1, else μb + (1 − τ)g; d = g + μb (Nesterov), b, or g;
/// x ← x − lr·d; SGLD adds √(2·lr·T)·ζ) — no centring, no recursion matrices shared with
/// the code under test.
struct IndependentMomentRecursion {
    let loss: [Double]

    init(config: RunConfig, optimizer spec: OptimizerSpec) {
        guard let (h, minimum) = config.objective.quadratic else { fatalError("quadratic expected") }
        let d = minimum.count, c = config.noise.covariance!
        var mu = 0.0, tau = 0.0, nesterov = false, temperature = 0.0
        let decay = spec.decay?.values ?? [Double](repeating: 0, count: d)
        if let o = spec.optimizer as? SGD {
            (mu, tau, nesterov) = (o.momentum, o.dampening, o.nesterov)
        } else if let o = spec.optimizer as? SGLD {
            temperature = o.temperature
        } else {
            fatalError("SGD or SGLD expected")
        }
        // w = (x: 0..<d, b: d..<2d, ξ: 2d..<3d, ζ: 3d..<4d, 1: 4d); ζ is SGLD's N(0, I).
        let n = 4 * d + 1, one = 4 * d
        var mean = [Double](repeating: 0, count: 2 * d), second = [Double](repeating: 0, count: 4 * d * d)
        switch config.initial {
        case .point(let x): for i in 0..<d { mean[i] = x[i] }
        case .gaussian(let m, let std): for i in 0..<d { mean[i] = m[i]; second[i * 2 * d + i] = std[i] * std[i] }
        }
        for i in 0..<(2 * d) { for j in 0..<(2 * d) { second[i * 2 * d + j] += mean[i] * mean[j] } }
        let schedule = spec.schedule.make(baseLR: spec.lr)
        func value(_ second: [Double]) -> Double {
            var f = 0.0
            for i in 0..<d {
                for j in 0..<d {
                    let xx = second[i * 2 * d + j] - minimum[i] * mean[j] - mean[i] * minimum[j] + minimum[i] * minimum[j]
                    f += 0.5 * h[i * d + j] * xx
                }
            }
            return f
        }
        var losses = [value(second)]
        for t in 1...config.steps {
            let lr = schedule.learningRate(update: t)
            // Rows of linear forms over w.
            func unit(_ k: Int) -> [Double] { var r = [Double](repeating: 0, count: n); r[k] = 1; return r }
            func combine(_ terms: [(Double, [Double])]) -> [Double] {
                var r = [Double](repeating: 0, count: n)
                for (a, row) in terms { for k in 0..<n { r[k] += a * row[k] } }
                return r
            }
            let g: [[Double]] = (0..<d).map { i in
                var r = unit(2 * d + i)
                for j in 0..<d { r[j] += h[i * d + j]; r[one] -= h[i * d + j] * minimum[j] }
                r[i] += decay[i]
                return r
            }
            let b: [[Double]] = (0..<d).map { i in
                mu == 0 ? unit(d + i) : (t == 1 ? g[i] : combine([(mu, unit(d + i)), (1 - tau, g[i])]))
            }
            let step: [[Double]] = (0..<d).map { i in
                mu == 0 ? g[i] : (nesterov ? combine([(1, g[i]), (mu, b[i])]) : b[i])
            }
            let x: [[Double]] = (0..<d).map { i in
                combine([(1, unit(i)), (-lr, step[i]), ((2 * lr * temperature).squareRoot(), unit(3 * d + i))])
            }
            let map = x + b  // rows of the new (x, b)
            // The full second moment of w: (x, b) block from the state, ξ ~ C, ζ ~ I, independent, zero mean.
            var w = [Double](repeating: 0, count: n * n)
            for i in 0..<(2 * d) { for j in 0..<(2 * d) { w[i * n + j] = second[i * 2 * d + j] } }
            for i in 0..<(2 * d) { w[i * n + one] = mean[i]; w[one * n + i] = mean[i] }
            for i in 0..<d { for j in 0..<d { w[(2 * d + i) * n + 2 * d + j] = c[i * d + j] } }
            for i in 0..<d { w[(3 * d + i) * n + 3 * d + i] = 1 }
            w[one * n + one] = 1
            var nextSecond = [Double](repeating: 0, count: 4 * d * d), nextMean = [Double](repeating: 0, count: 2 * d)
            for i in 0..<(2 * d) {
                for k in 0..<n { nextMean[i] += map[i][k] * w[k * n + one] }
                for j in 0..<(2 * d) {
                    var s = 0.0
                    for k in 0..<n where map[i][k] != 0 { for l in 0..<n where map[j][l] != 0 { s += map[i][k] * w[k * n + l] * map[j][l] } }
                    nextSecond[i * 2 * d + j] = s
                }
            }
            (mean, second) = (nextMean, nextSecond)
            losses.append(value(second))
        }
        loss = losses
    }

    func firstStep(atOrBelow target: Double) -> Int? { loss.indices.dropFirst().first { loss[$0] <= target } }
}
