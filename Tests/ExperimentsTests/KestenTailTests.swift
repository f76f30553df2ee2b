import XCTest
@testable import Experiments
@testable import Simulation
@testable import Statistics

/// Minibatch SGD on streamed 1-D least squares, simulated by the engine, against Kesten's
/// tail index: the Hill estimate of |x − x*| over the final iterates of 50 000 independent
/// chains (k = ⌈√n⌉ = 224, se = α̂/√k ≈ 6.7 %) for three (lr, B), both varied.
///
/// Tolerance |α̂ − α| < 5·se: α̂ is computed from n iid draws (one per chain), so α̂/√k is
/// its standard error. The Hill estimator has a finite-k bias on a Kesten law (its tail is a
/// power law only up to a correction). Measured before choosing k, as the mean of α̂ − α over
/// 8 independent blocks of 50 000 chains (runs of 4·10⁵ chains, 200 and 600 steps, pooled):
/// −0.16 ± 0.03 = −0.6 se at (lr 0.4, B 1, α 3.81), −0.03 ± 0.03 at lr·s² = 1.4, B 4 (α 1.79)
/// and −0.02 ± 0.02 at (1.1, 1) (α 0.92, 200 steps) — below one standard error, so no bias
/// allowance: a correct simulation fails with probability about P(N(0, 1) > 4.4) ≈ 5·10⁻⁶
/// per setting. (k = 3000 of the 4·10⁵ is off by −4.7 and −5.7 se at α 3.81: k matters.)
///
/// 200 steps: E log|1 − lr·a| ≤ −0.43 forgets the start (x₀ = x*) by e^{−86}, and the tail
/// above the top 1/√n quantile, at r ~ n^{1/(2α)}, is built by the ~log(r)/E_α log|1 − lr·a|
/// steps of growth that reach it, a few dozen; α̂ at 200 and 600 steps agreed within their
/// errors in the measurement above.
final class KestenTailTests: XCTestCase {
    struct Setting {
        let lr: Double
        let batchSize: Int
        /// The objective's feature_scales and noise_std, and the noise block.
        let data: String
        let noise: String
    }

    struct Outcome {
        let setting: Setting
        let kesten: Double
        let hill: HillEstimator
        let divergedChains: Int
    }

    static let chains = 50_000

    /// The settings, the second at lr·s² = 1.4 (s = 2: only lr·s² sets the multiplier), the
    /// third with label noise alone (noise_std 0): neither changes α, both must reach it.
    static let settings = [
        Setting(lr: 0.4, batchSize: 1, data: "feature_scales: 1.0, noise_std: 1.0", noise: "{type: minibatch, batch_size: 1}"),
        Setting(lr: 0.35, batchSize: 4, data: "feature_scales: 2.0, noise_std: 0.5", noise: "{type: minibatch, batch_size: 4}"),
        Setting(lr: 1.1, batchSize: 1, data: "feature_scales: 1.0, noise_std: 0.0", noise: "{type: label-noise, std: 1.0, batch_size: 1}"),
    ]

    static func config(_ setting: Setting) throws -> RunConfig {
        try ConfigLoader.parse(text: """
            name: kesten-tail
            seed: 17
            objective: {type: linear-regression, dim: 1, n: stream, weights: [1.0], \(setting.data)}
            noise: \(setting.noise)
            init: {type: point, at: [1.0]}
            chains: \(chains)
            steps: 200
            burn_in: 199
            divergence_bound: 1.0e15
            optimizers: [{type: sgd, lr: \(setting.lr)}]
            output: {samples: none}
            """, file: "kesten-tail.yaml")
    }

    struct Failed: Error, CustomStringConvertible { let description: String }

    /// Simulated once for both tests (about 3 s in a release build on 2 cores).
    static let outcomes: Result<[Outcome], Error> = Result {
        try settings.map { setting in
            let config = try config(setting)
            guard let kesten = KestenPrediction(config: config, optimizer: config.optimizers[0])?.tailIndex else {
                throw Failed(description: "no Kesten tail index for lr \(setting.lr), B \(setting.batchSize)")
            }
            guard let cloud = CloudRunner.simulate(config, optimizer: 0, settings: .init(threads: 2)) else {
                throw Failed(description: "simulation cancelled")
            }
            guard let hill = TailIndexReport(cloud: cloud, minimum: config.objective.minimum).distance else {
                throw Failed(description: "no Hill estimate for lr \(setting.lr), B \(setting.batchSize)")
            }
            return Outcome(setting: setting, kesten: kesten, hill: hill, divergedChains: cloud.divergedChains)
        }
    }

    func testHillEstimateMatchesKestenTailIndex() throws {
        let outcomes = try Self.outcomes.get()
        for o in outcomes {
            let name = "lr \(o.setting.lr), B \(o.setting.batchSize): Kesten \(o.kesten), Hill \(o.hill.tailIndex) ± \(o.hill.standardError)"
            XCTAssertEqual(o.divergedChains, 0, name)
            XCTAssertEqual(o.hill.sampleSize, Self.chains, name)
            XCTAssertEqual(o.hill.k, 224, name)
            XCTAssertLessThan(Swift.abs(o.hill.tailIndex - o.kesten) / o.hill.standardError, 5, name)
        }
        // The feature variance reaches the prediction: s = 2, lr 0.35 is lr·s² = 1.4.
        XCTAssertEqual(outcomes[1].kesten, try KestenTailIndex.kestenTailIndex(lr: 1.4, batchSize: 4, featureVariance: 1),
                       accuracy: 1e-10)
    }

    /// Heavier tails at larger lr·s²/B: ordered by Kesten α the settings are α = 3.81, 1.79,
    /// 0.92, each step ≥ 5 combined standard errors √(se₁² + se₂²) apart (checked below from
    /// se = α/√k), and the Hill estimates must fall along them by more than one combined
    /// standard error — which a correct simulation misses only by a ≥ 4σ fluctuation.
    func testTailsGetHeavierAsKestenPredicts() throws {
        let ordered = try Self.outcomes.get().sorted { $0.kesten > $1.kesten }
        for (a, b) in zip(ordered, ordered.dropFirst()) {
            let k = Double(a.hill.k).squareRoot()
            let predictedSE = ((a.kesten / k) * (a.kesten / k) + (b.kesten / k) * (b.kesten / k)).squareRoot()
            XCTAssertGreaterThan(a.kesten - b.kesten, 5 * predictedSE, "the settings are far apart in α")
            let combined = (a.hill.standardError * a.hill.standardError + b.hill.standardError * b.hill.standardError).squareRoot()
            XCTAssertGreaterThan(a.hill.tailIndex - b.hill.tailIndex, combined,
                                 "α̂ \(a.hill.tailIndex) (lr \(a.setting.lr), B \(a.setting.batchSize)) vs "
                                 + "\(b.hill.tailIndex) (lr \(b.setting.lr), B \(b.setting.batchSize))")
        }
    }
}
