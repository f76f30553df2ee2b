import Foundation
import XCTest

/// The tail index through the binary: summary.json's tail_index keys, theory.json's and
/// `optcloud theory`'s Kesten prediction beside it, and null for degenerate runs.
final class TailIndexOutputTests: XCTestCase {
    static let stream = """
        name: tails
        seed: 5
        objective: {type: linear-regression, dim: 1, n: stream, weights: [1.0], noise_std: NOISE}
        noise: {type: minibatch, batch_size: 1}
        init: {type: point, at: [1.0]}
        chains: 2000
        steps: 100
        burn_in: 50
        divergence_bound: 1.0e15
        optimizers:
          - {label: sgd, type: sgd, lr: 0.6}
          - {label: momentum, type: sgd, lr: 0.1, momentum: 0.5}
        output: {samples: none}
        """

    func write(_ text: String, in work: URL) throws -> String {
        let url = work.appendingPathComponent("tails.yaml")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func optimizers(_ document: [String: Any]) -> [String: [String: Any]] {
        var byLabel: [String: [String: Any]] = [:]
        for entry in document["optimizers"] as? [[String: Any]] ?? [] {
            if let label = entry["label"] as? String { byLabel[label] = entry }
        }
        return byLabel
    }

    func testSummaryAndTheoryReportTheTailIndex() throws {
        let work = try makeTemporaryDirectory(self)
        let config = try write(Self.stream.replacingOccurrences(of: "NOISE", with: "1.0"), in: work)
        let out = try RunOutput.run(config, in: work, extra: ["--threads", "2"])
        let summary = optimizers(try RunOutput.json(out.appendingPathComponent("summary.json")))
        let theory = optimizers(try RunOutput.json(out.appendingPathComponent("theory.json")))
        let printed = optimizers(try RunOutput.jsonObject(Data(try Optcloud.run(["theory", config, "--json"], in: work).stdout.utf8),
                                                          what: "theory output"))
        for label in ["sgd", "momentum"] {
            let entry = summary[label] ?? [:]
            let alpha = try XCTUnwrap(RunOutput.number(entry["tail_index"]), "\(label).tail_index")
            XCTAssertEqual(RunOutput.number(entry["tail_index_k"]), 45, "\(label): k = ⌈√2000⌉")
            XCTAssertEqual(try XCTUnwrap(RunOutput.number(entry["tail_index_stderr"])), alpha / 45.0.squareRoot(),
                           accuracy: 1e-12 * alpha)
            // d = 1: the distance is the coordinate.
            XCTAssertEqual(RunOutput.numbers(entry["tail_index_per_coordinate"]), [alpha])
        }
        let sgd = theory["sgd"]?["theory"] as? [String: Any] ?? [:]
        let kesten = try XCTUnwrap(RunOutput.number(sgd["kesten_tail_index"]), "theory.json kesten_tail_index")
        XCTAssertEqual(RunOutput.number(printed["sgd"]?["kesten_tail_index"]), kesten, "optcloud theory prints the same α")
        XCTAssertEqual(kesten, 2.3016946790415655, accuracy: 1e-9, "lr 0.6, B 1 (as KestenTailIndexTests' quadrature)")
        let simulated = try XCTUnwrap(RunOutput.number(sgd["simulated_tail_index"]))
        let stderr = try XCTUnwrap(RunOutput.number(sgd["simulated_tail_index_stderr"]))
        XCTAssertEqual(simulated, RunOutput.number(summary["sgd"]?["tail_index"]))
        let z = try XCTUnwrap(RunOutput.number(sgd["tail_index_z"]), "theory.json tail_index_z")
        XCTAssertEqual(z, (simulated - kesten) / stderr, accuracy: 1e-12)
        // The simulated tail index agrees with Kesten's within 5 of its standard errors
        // α̂/√k (iid over the final iterates of independent chains). Hill's finite-k bias on
        // this law at n = 2000, k = 45, measured over 300 seeds in process, is −0.31 ± 0.06
        // standard errors, so a correct simulation fails with probability ≈ 1.4·10⁻⁶.
        XCTAssertLessThan(abs(z), 5, "α̂ = \(simulated) ± \(stderr), Kesten \(kesten)")
        // Momentum: no prediction, a reason, and no z.
        let momentum = theory["momentum"]?["theory"] as? [String: Any] ?? [:]
        XCTAssertTrue(momentum["kesten_tail_index"] is NSNull, "momentum: kesten_tail_index is null")
        XCTAssertNotNil(momentum["kesten_reason"] as? String)
        XCTAssertTrue(momentum["tail_index_z"] is NSNull)
        XCTAssertNotNil(RunOutput.number(momentum["simulated_tail_index"]))
    }

    /// chains: 4, and a noise-free run whose every chain stays at x*: null, not NaN, no crash.
    func testDegenerateRunsGiveNull() throws {
        let work = try makeTemporaryDirectory(self)
        for (noise, extra) in [("1.0", ["--chains", "4"]), ("0.0", [])] {
            let config = try write(Self.stream.replacingOccurrences(of: "NOISE", with: noise), in: work)
            let out = try RunOutput.run(config, in: work, outName: "out-\(noise)", extra: ["--threads", "2"] + extra)
            let text = try RunOutput.text(out.appendingPathComponent("summary.json"))
            XCTAssertNil(text.range(of: #"\b(nan|NaN|inf|Infinity)\b"#, options: .regularExpression), "summary.json has no NaN")
            for (label, entry) in optimizers(try RunOutput.json(out.appendingPathComponent("summary.json"))) {
                for key in ["tail_index", "tail_index_stderr", "tail_index_k"] {
                    XCTAssertTrue(entry[key] is NSNull, "noise \(noise) \(extra) \(label).\(key) is null: \(entry[key] ?? "missing")")
                }
                XCTAssertEqual((entry["tail_index_per_coordinate"] as? [Any])?.count, 1)
                XCTAssertTrue((entry["tail_index_per_coordinate"] as? [Any])?.first is NSNull)
            }
            let sgd = optimizers(try RunOutput.json(out.appendingPathComponent("theory.json")))["sgd"]?["theory"] as? [String: Any]
            XCTAssertTrue(sgd?["simulated_tail_index"] is NSNull)
            XCTAssertTrue(sgd?["tail_index_z"] is NSNull)
        }
    }

    /// A 2-D quadratic run (Configs/small.yaml) has the keys too, one index per coordinate,
    /// and no kesten_ entries in theory.json.
    func testQuadraticRunHasTheKeys() throws {
        let work = try makeTemporaryDirectory(self)
        let out = try RunOutput.run(try TestConfigs.path("small.yaml"), in: work, extra: ["--threads", "2"])
        for (label, entry) in optimizers(try RunOutput.json(out.appendingPathComponent("summary.json"))) {
            XCTAssertGreaterThan(RunOutput.number(entry["tail_index"]) ?? 0, 0, label)
            XCTAssertEqual(RunOutput.number(entry["tail_index_k"]), 45, label)
            XCTAssertEqual(RunOutput.numbers(entry["tail_index_per_coordinate"])?.count, 2, label)
        }
        for (label, entry) in optimizers(try RunOutput.json(out.appendingPathComponent("theory.json"))) {
            XCTAssertFalse((entry["theory"] as? [String: Any] ?? [:]).keys.contains { $0.hasPrefix("kesten") }, label)
        }
    }
}
