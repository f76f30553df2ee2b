import Foundation
import XCTest
@testable import Experiments
@testable import Simulation
@testable import Statistics

/// Calibration of the standard errors every statistical test divides by: over many small
/// runs with independent random streams, the z-scores (estimate − truth)/stderr of the
/// product's estimators are standard — mean 0, sd 1 within their sampling error
/// (`ZScoreCalibration`: |z̄| < 5/√M, s inside the 5σ-equivalent χ² interval) — and the
/// same z-scores with the standard error scaled by 1.5 or 1/1.5 are rejected.
///
/// The known truths: the exact discrete Lyapunov mean and covariance (`SGDStationaryTheory`
/// through `TheoryComparison`), the fluctuation–dissipation ratio 1 at stationarity, the basin
/// occupancy of SGLD's exact discrete-time stationary law, and Hill's α of a law whose tail
/// index is known. Every run starts where its truth holds or burns in for many relaxation
/// times, so the estimators' expectations equal the truths (see each case).
final class StandardErrorCalibrationTests: XCTestCase {
    // MARK: Linear dynamics: means, covariance entries, fluctuation–dissipation ratio

    /// SGD with lr·h = 0.04 and 0.08 (AR(1) with ρ = 0.96, 0.92: integrated autocorrelation
    /// times (1 + ρ)/(1 − ρ) = 49 and 24 steps for the mean) and heavy ball with lr = 0.004,
    /// μ = 0.9 (the same lr/(1 − μ), oscillating), on a diagonal quadratic with independent
    /// noise per coordinate: the coordinates are independent, so are their z-scores. Chains
    /// start at x* with an empty buffer, so E[x_t] = x* at every step (linear dynamics,
    /// zero-mean noise); the covariance reaches the stationary one as ρ^{2t} — 5·10⁻⁶ after the
    /// 150 burn-in steps (heavy ball: |root|^{2t} = 0.9^t, 10⁻⁷), against a relative standard
    /// error of about 2 % per run. 256 chains: the product's 256 replicate groups, of one
    /// chain each; 400 recorded steps are 8 autocorrelation times along x₀.
    /// Separate random streams per optimizer (common_random_numbers: false) keep the two
    /// optimizers' z-scores independent.
    static func quadratic(seed: Int) -> String {
        """
        name: calibration
        seed: \(seed)
        objective: {type: quadratic, diagonal: [1.0, 2.0], minimum: [1.0, -0.5]}
        noise: {type: gaussian, std: [1.0, 0.5]}
        init: {type: point, at: [1.0, -0.5]}
        chains: 256
        steps: 550
        burn_in: 150
        common_random_numbers: false
        optimizers:
          - {label: sgd, type: sgd, lr: 0.04}
          - {label: momentum, type: sgd, lr: 0.004, momentum: 0.9}
        statistics: {histogram: {bins: 0}}
        output: {samples: none}
        """
    }

    static let quadraticSeeds = 200

    /// z-scores per optimizer (sgd, momentum).
    struct LinearZ {
        var means: [[Double]] = [[], []]
        var variances: [[Double]] = [[], []]
        var covariances: [[Double]] = [[], []]
        var fdr: [[Double]] = [[], []]
        /// The means' z-scores with the standard error of independent draws, s/√N.
        var naiveMeans: [[Double]] = [[], []]
    }

    struct Failed: Error, CustomStringConvertible { let description: String }

    static let linear: Result<LinearZ, Error> = Result {
        var z = LinearZ()
        for seed in 1...quadraticSeeds {
            let config = try ConfigLoader.parse(text: quadratic(seed: seed), file: "calibration.yaml")
            for (o, spec) in config.optimizers.enumerated() {
                guard let cloud = CloudRunner.simulate(config, optimizer: o, settings: .init(threads: 2)),
                      let theory = TheoryComparison(config: config, optimizer: spec).theory, let covariance = theory.covariance,
                      let sgd = spec.optimizer as? SGD else { throw Failed(description: "seed \(seed), \(spec.label): no cloud or theory") }
                let e = try CloudEstimate(cloud), d = e.dimension
                for k in 0..<d {
                    z.means[o].append((e.mean[k] - theory.mean[k]) / e.stderrMean[k])
                    z.naiveMeans[o].append((e.mean[k] - theory.mean[k]) / (e.std[k] / Double(e.samples).squareRoot()))
                    for j in k..<d {
                        let entry = (e.covariance[k * d + j] - covariance[k * d + j]) / e.covarianceStderr[k * d + j]
                        if j == k { z.variances[o].append(entry) } else { z.covariances[o].append(entry) }
                    }
                }
                let fdr = FluctuationDissipation(cloud, lr: spec.lr, momentum: sgd.momentum)
                let expected = fluctuationDissipationExpectation(cloud, lr: spec.lr, momentum: sgd.momentum,
                                                                 variances: (0..<d).map { covariance[$0 * d + $0] })
                z.fdr[o].append((fdr.ratio - expected) / fdr.stderr)
            }
        }
        return z
    }

    /// E[R̂] of the product's fluctuation–dissipation ratio on these runs, to first order: 1
    /// at stationarity for a fixed centre c, but the product centres at the ensemble mean after
    /// burn-in, c = x̄_B, estimated from the same chains. Summing the relation by parts over the
    /// recorded steps B < t ≤ T leaves boundary terms, Σ(x_{t−1} − c)·g_t − κ·Σ|Δx|² =
    /// (1 − μ)·(|y_B|² − |y_T|²)/(2·lr) + μ·lr·(|b_B|² − |b_T|²) + μ·(y_{T−1}·b_T − y_{B−1}·b_B)
    /// per chain (y = x − c, b the buffer, κ = (1 + μ)/(2·lr); for SGD exactly R̂ − 1 =
    /// Σ(|y_B|² − |y_T|²)/Σ|Δx|²). With c = x̄_B over n chains their sum has expectation
    /// −(1 − μ)·Σ_k σ_k²/lr − μ·Σ_k E(Δx_k)²/(2·lr), σ_k² the stationary variances: a bias of
    /// about −1/√n standard errors (−0.06 at 256 chains, confirmed over 800 further seeds:
    /// raw z̄ = −0.052 ± 0.035 for SGD, −0.078 ± 0.035 for heavy ball; corrected +0.018, −0.024).
    static func fluctuationDissipationExpectation(_ cloud: CloudAccumulation, lr: Double, momentum mu: Double,
                                                  variances: [Double]) -> Double {
        let steps = cloud.groups.reduce(0) { $0 + $1.fdrStep }
        let chains = Double(cloud.chains - cloud.divergedChains), draws = cloud.total.count / chains
        let boundary = -(1 - mu) * variances.reduce(0, +) / lr - mu * steps / (chains * draws) / (2 * lr)
        return 1 + boundary / ((1 + mu) / (2 * lr) * steps)
    }

    func assertCalibrated(_ name: String, perOptimizer z: [[Double]], file: StaticString = #filePath, line: UInt = #line) {
        for (label, values) in zip(["sgd", "momentum"], z) {
            let verdict = ZScoreCalibration("\(name), \(label)", values)
            print(verdict)
            XCTAssertTrue(verdict.accepts, "\(verdict)", file: file, line: line)
        }
        let pooled = z.flatMap { $0 }
        let verdict = ZScoreCalibration(name, pooled)
        print(verdict)
        XCTAssertTrue(verdict.accepts, "\(verdict)", file: file, line: line)
        let mutants = ZScoreCalibration.rejectsScaledStandardErrors(name, pooled)
        for mutant in [mutants.larger, mutants.smaller] {
            print(mutant)
            XCTAssertFalse(mutant.accepts, "the mutation passes: \(mutant)", file: file, line: line)
        }
    }

    func testCloudMeansAreCalibrated() throws {
        let z = try Self.linear.get()
        assertCalibrated("mean", perOptimizer: z.means)
        // Ignoring the autocorrelation (s/√N) would make the standard error √49 = 7 times too
        // small along x₀ — rejected by far.
        let naive = ZScoreCalibration("mean with s/√N, sgd", z.naiveMeans[0])
        print(naive)
        XCTAssertFalse(naive.sdIsOne)
        XCTAssertGreaterThan(naive.sd, 4)
    }

    func testCovarianceEntriesAreCalibrated() throws {
        let z = try Self.linear.get()
        assertCalibrated("variance", perOptimizer: z.variances)
        assertCalibrated("covariance", perOptimizer: z.covariances)
    }

    func testFluctuationDissipationRatioIsCalibrated() throws {
        assertCalibrated("fdr ratio", perOptimizer: try Self.linear.get().fdr)
    }

    // MARK: Basin occupancy

    /// SGLD on the tilted double well U = (x² − 1)² + 0.3·x at T = 1, lr = 0.05. The truth is
    /// the occupancy of the left well under the chain's exact discrete-time stationary law
    /// (`discreteStationaryOccupancy`), 0.62782: the Gibbs law exp(−U/T) of the continuous
    /// dynamics, 0.63504, is off by O(lr), about 0.7 standard errors of one run here — a bias
    /// the calibration would see. The slowest mode of the chain decays in 22 steps, so 300
    /// burn-in steps from the right well leave e^{−13.6} of the initial offset. 64 chains (64
    /// replicate groups: the layout of any run with fewer than 256 chains) keep each of the
    /// 400 runs cheap; the t-like law of a z with an se from 64 groups has sd √(63/61) = 1.016.
    static func doubleWell(seed: Int) -> String {
        """
        name: calibration-basins
        seed: \(seed)
        objective: {type: double-well, dim: 1, barrier: 1.0, tilt: 0.3}
        noise: {type: none}
        init: {type: point, at: [0.9601495555191055]}
        chains: 64
        steps: 800
        burn_in: 300
        optimizers: [{type: sgld, lr: \(basinLR), temperature: \(basinTemperature)}]
        statistics: {histogram: {bins: 0}}
        output: {samples: none}
        """
    }

    static let basinLR = 0.05, basinTemperature = 1.0, basinTilt = 0.3
    static let basinSeeds = 400

    /// P(x < x_s) under the stationary law of x ← x − lr·U′(x) + √(2·lr·T)·ξ, U = (x² − 1)² +
    /// tilt·x: the left eigenvector π = πK of the transition kernel discretised on cells of
    /// width h = √(2·lr·T)/8 (Nyström, midpoint rule) whose edges include the barrier top x_s,
    /// over [−3, 3] (e^{−U/T} < 10⁻²⁷ beyond). Halving h changes the result by 2·10⁻⁷.
    static func discreteStationaryOccupancy(lr: Double, temperature: Double, tilt: Double, barrierTop xs: Double) throws -> Double {
        let s = (2 * lr * temperature).squareRoot(), h = s / 8
        let lower = Int(((3 + xs) / h).rounded(.down)), upper = Int(((3 - xs) / h).rounded(.down))
        let x = (-lower..<upper).map { xs + (Double($0) + 0.5) * h }
        let n = x.count
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            let mean = x[i] - lr * (4 * x[i] * (x[i] * x[i] - 1) + tilt)
            let row = x.map { y in exp(-0.5 * ((y - mean) / s) * ((y - mean) / s)) }
            let total = row.reduce(0, +)
            // Row i of K, as column i of Kᵀ − I.
            for j in 0..<n { a[j * n + i] = row[j] / total - (i == j ? 1 : 0) }
        }
        // πK = π has a one-dimensional solution; replace the last equation by Σπ = 1.
        for j in 0..<n { a[(n - 1) * n + j] = 1 }
        var b = [Double](repeating: 0, count: n)
        b[n - 1] = 1
        let pi = try LinearAlgebra.solve(a, b, n: n)
        return zip(x, pi).reduce(0) { $0 + ($1.0 < xs ? $1.1 : 0) }
    }

    static let basins: Result<(z: [Double], gibbsZ: [Double], truth: Double, gibbs: Double), Error> = Result {
        var z: [Double] = [], gibbsZ: [Double] = []
        let first = try ConfigLoader.parse(text: doubleWell(seed: 1), file: "basins.yaml")
        guard let model = LangevinTheory(config: first, optimizer: first.optimizers[0]).model,
              let gibbs = model.basinProbabilities?.first, let xs = model.barrierTop else {
            throw Failed(description: "no Langevin model for the double well")
        }
        let truth = try discreteStationaryOccupancy(lr: basinLR, temperature: basinTemperature, tilt: basinTilt, barrierTop: xs)
        for seed in 1...basinSeeds {
            let config = try ConfigLoader.parse(text: doubleWell(seed: seed), file: "basins.yaml")
            guard let cloud = CloudRunner.simulate(config, optimizer: 0, settings: .init(threads: 2)),
                  let basin = BasinEstimate(cloud)?.basins.first else { throw Failed(description: "seed \(seed): no basins") }
            z.append((basin.occupancy - truth) / basin.occupancyStderr)
            gibbsZ.append((basin.occupancy - gibbs) / basin.occupancyStderr)
        }
        return (z, gibbsZ, truth, gibbs)
    }

    func testBasinOccupancyIsCalibrated() throws {
        let basins = try Self.basins.get()
        print("occupancy of the left well: discrete-time law \(basins.truth), Gibbs \(basins.gibbs)")
        XCTAssertEqual(basins.truth, 0.62782, accuracy: 1e-5, "the discrete-time law (scipy, finer grids agree to 2e-7)")
        let verdict = ZScoreCalibration("occupancy", basins.z)
        print(verdict)
        XCTAssertTrue(verdict.accepts, "\(verdict)")
        let mutants = ZScoreCalibration.rejectsScaledStandardErrors("occupancy", basins.z)
        for mutant in [mutants.larger, mutants.smaller] {
            print(mutant)
            XCTAssertFalse(mutant.accepts, "the mutation passes: \(mutant)")
        }
        // The calibration is sharp enough to see that Gibbs is not the discrete chain's law.
        let gibbs = ZScoreCalibration("occupancy against Gibbs", basins.gibbsZ)
        print(gibbs)
        XCTAssertFalse(gibbs.meanIsZero)
    }

    // MARK: Hill's tail index

    /// SGD on a diagonal quadratic with Cauchy gradient noise (α-stable, α = 1): from x*,
    /// x_t − x* = −lr·Σ_j ρ^j ξ_{t−j} is exactly Cauchy at every step, tail index 1, and the
    /// coordinates are independent. The product's estimate (`TailIndexReport`: Hill over the
    /// final iterates of the 1024 independent chains, k = 32, se = α̂/√k) per coordinate. For an
    /// exact Pareto tail k·α/α̂ ~ Gamma(k), so z = √k·(1 − α/α̂) has mean 0, sd 1 and excess
    /// kurtosis 6/k; |Cauchy| is Pareto up to a factor 1 − x⁻²/3, whose bias at k/n = 1/32 was
    /// measured at −0.009 ± 0.007 in z over 20 000 numpy replicates (sd 0.998).
    static func cauchy(seed: Int) -> String {
        """
        name: calibration-tails
        seed: \(seed)
        objective: {type: quadratic, diagonal: [1, 1, 1, 1, 2, 2, 2, 2]}
        noise: {type: alpha-stable, alpha: 1.0, scale: 1.0}
        chains: 1024
        steps: 3
        burn_in: 2
        optimizers: [{type: sgd, lr: 0.1}]
        statistics: {histogram: {bins: 0}}
        output: {samples: none}
        """
    }

    static let tailSeeds = 50

    func testTailIndexIsCalibrated() throws {
        var z: [Double] = []
        for seed in 1...Self.tailSeeds {
            let config = try ConfigLoader.parse(text: Self.cauchy(seed: seed), file: "tails.yaml")
            let cloud = try XCTUnwrap(CloudRunner.simulate(config, optimizer: 0, settings: .init(threads: 2)))
            let report = TailIndexReport(cloud: cloud, minimum: config.objective.minimum)
            for hill in report.coordinates {
                let hill = try XCTUnwrap(hill)
                XCTAssertEqual(hill.k, 32)
                z.append((hill.tailIndex - 1) / hill.standardError)
            }
        }
        let verdict = ZScoreCalibration("tail index", z)
        print(verdict)
        XCTAssertTrue(verdict.accepts, "\(verdict)")
        let mutants = ZScoreCalibration.rejectsScaledStandardErrors("tail index", z)
        for mutant in [mutants.larger, mutants.smaller] {
            print(mutant)
            XCTAssertFalse(mutant.accepts, "the mutation passes: \(mutant)")
        }
    }
}
