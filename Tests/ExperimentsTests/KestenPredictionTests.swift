import XCTest
@testable import Experiments
@testable import Simulation
@testable import Statistics

/// Where Kesten's tail index is reported (`optcloud theory`, theory.json) and why it is null.
final class KestenPredictionTests: XCTestCase {
    func parse(_ objective: String, noise: String = "{type: minibatch, batch_size: 2}", optimizers: [String]) throws -> RunConfig {
        try ConfigLoader.parse(text: """
            objective: \(objective)
            noise: \(noise)
            divergence_bound: 1.0e15
            optimizers:

            """ + optimizers.map { "  - \($0)\n" }.joined(), file: "kesten.yaml")
    }

    static let stream = "{type: linear-regression, dim: 1, n: stream, weights: [1.0], feature_scales: 0.5, noise_std: 1.0}"

    /// The `optcloud theory` entries of each optimizer, by label.
    func theoryEntries(_ config: RunConfig) -> [String: [(String, JSONValue)]] {
        guard case .object(let document) = TheoryReport(config).json,
              case .array(let optimizers)? = document.first(where: { $0.0 == "optimizers" })?.1 else { return [:] }
        var byLabel: [String: [(String, JSONValue)]] = [:]
        for case .object(let entries) in optimizers {
            if case .string(let label)? = entries.first(where: { $0.0 == "label" })?.1 { byLabel[label] = entries }
        }
        return byLabel
    }

    func value(_ entries: [(String, JSONValue)]?, _ key: String) -> JSONValue? { entries?.first { $0.0 == key }?.1 }

    func testPlainConstantSGDGetsTheTailIndexAndEverythingElseAReason() throws {
        let config = try parse(Self.stream, optimizers: [
            "{label: plain, type: sgd, lr: 1.2}",
            "{label: momentum, type: sgd, lr: 0.1, momentum: 0.5}",
            "{label: decay, type: sgd, lr: 0.1, weight_decay: 0.01}",
            "{label: adam, type: adam, lr: 0.01}",
            "{label: cosine, type: sgd, lr: 0.1, schedule: {type: cosine, T_max: 100}}",
            "{label: clipped, type: sgd, lr: 0.1, clip: {max_norm: 1.0}}",
            "{label: unstable, type: sgd, lr: 12.0}",
            "{label: tiny, type: sgd, lr: 1.0e-8}",
        ])
        let entries = theoryEntries(config)
        // feature_scales 0.5, lr 1.2, B 2: lr·s² = 0.3.
        let alpha = try KestenTailIndex.kestenTailIndex(lr: 0.3, batchSize: 2, featureVariance: 1)
        XCTAssertEqual(value(entries["plain"], "kesten_tail_index"), .number(alpha))
        XCTAssertEqual(value(entries["plain"], "kesten_lyapunov_exponent"),
                       .number(try KestenTailIndex.lyapunovExponent(lr: 0.3, batchSize: 2, featureVariance: 1)))
        XCTAssertNil(value(entries["plain"], "kesten_reason"))
        for label in ["momentum", "decay", "adam", "cosine", "clipped", "unstable", "tiny"] {
            XCTAssertEqual(value(entries[label], "kesten_tail_index"), .null, label)
            guard case .string(let reason)? = value(entries[label], "kesten_reason") else { XCTFail("\(label): no reason"); continue }
            XCTAssertFalse(reason.isEmpty, label)
        }
        // lr·s² = 3 is beyond the stability limit: E log|1 − lr·a| > 0 is reported.
        guard case .number(let lyapunov)? = value(entries["unstable"], "kesten_lyapunov_exponent") else {
            return XCTFail("unstable: no Lyapunov exponent")
        }
        XCTAssertGreaterThan(lyapunov, 0)
        guard case .string(let reason)? = value(entries["unstable"], "kesten_reason") else { return }
        XCTAssertTrue(reason.contains("no stationary law"), reason)
        // lr·s² = 2.5e-9 contracts, but α ~ 1/(lr·s²) is beyond the root finder's bracket:
        // that is not "no stationary law".
        guard case .string(let tiny)? = value(entries["tiny"], "kesten_reason"),
              case .number(let contraction)? = value(entries["tiny"], "kesten_lyapunov_exponent") else {
            return XCTFail("tiny: no reason or exponent")
        }
        XCTAssertLessThan(contraction, 0)
        XCTAssertTrue(tiny.contains("beyond 10⁷"), tiny)
    }

    /// Without target or label noise the stationary law is the point x*; with label noise
    /// alone it has Kesten's tail.
    func testNoiseFreeTargetsHaveNoTail() throws {
        let noiseless = "{type: linear-regression, dim: 1, n: stream, weights: [1.0], noise_std: 0.0}"
        let silent = try parse(noiseless, optimizers: ["{type: sgd, lr: 0.5}"])
        let none = KestenPrediction(config: silent, optimizer: silent.optimizers[0])
        XCTAssertNil(none?.tailIndex)
        XCTAssertNotNil(none?.lyapunovExponent)
        XCTAssertTrue(none?.unavailableReason?.contains("noise_std = 0") ?? false)
        let labelled = try parse(noiseless, noise: "{type: label-noise, std: 0.5, batch_size: 1}", optimizers: ["{type: sgd, lr: 0.5}"])
        XCTAssertEqual(try XCTUnwrap(KestenPrediction(config: labelled, optimizer: labelled.optimizers[0])?.tailIndex),
                       try KestenTailIndex.kestenTailIndex(lr: 0.5, batchSize: 1, featureVariance: 1), accuracy: 1e-12)
    }

    /// Other models get no kesten_ entries at all: finite data, d > 1, a quadratic.
    func testOtherModelsHaveNoKestenEntries() throws {
        let configs = [
            try parse("{type: linear-regression, dim: 1, n: 100}", optimizers: ["{type: sgd, lr: 0.1}"]),
            try parse("{type: linear-regression, dim: 2, n: stream}", optimizers: ["{type: sgd, lr: 0.1}"]),
            try parse("{type: quadratic, diagonal: [1.0]}", noise: "{type: gaussian, std: 1.0}", optimizers: ["{type: sgd, lr: 0.1}"]),
        ]
        for config in configs {
            XCTAssertNil(KestenPrediction(config: config, optimizer: config.optimizers[0]), config.objective.type)
            for (_, entries) in theoryEntries(config) {
                XCTAssertFalse(entries.contains { $0.0.hasPrefix("kesten") }, config.objective.type)
            }
        }
    }
}
