import Foundation
import XCTest

/// The adaptive theory through the binary: theory.json's `adaptive` block, summary.json's
/// reference points (`decoupled_fixed_point` for decoupled decay, `l2_regularized_minimum`
/// only for coupled), the run table's theory columns, and `optcloud theory`'s table.
final class AdaptiveTheoryOutputTests: XCTestCase {
    static let config = """
        name: adaptive
        seed: 3
        objective: {type: quadratic, diagonal: [1, 10], minimum: [1, -1]}
        noise: {type: gaussian, std: [1, 0.5]}
        init: {type: point, at: [1, -1]}
        chains: 500
        steps: 2500
        burn_in: 1500
        optimizers:
          - {label: sgd, type: sgd, lr: 0.05, weight_decay: 0.5}
          - {label: adam, type: adam, lr: 0.05}
          - {label: adamw, type: adamw, lr: 0.05, weight_decay: 0.5}
          - {label: lion, type: lion, lr: 0.001, weight_decay: 0.5}
        output: {samples: none}
        """

    func byLabel(_ document: [String: Any]) -> [String: [String: Any]] {
        var entries: [String: [String: Any]] = [:]
        for entry in document["optimizers"] as? [[String: Any]] ?? [] {
            if let label = entry["label"] as? String { entries[label] = entry }
        }
        return entries
    }

    func write(in work: URL) throws -> String {
        let url = work.appendingPathComponent("adaptive.yaml")
        try Data(Self.config.utf8).write(to: url)
        return url.path
    }

    func testRunOutputs() throws {
        let work = try makeTemporaryDirectory(self)
        let config = try write(in: work)
        let out = work.appendingPathComponent("out")
        let result = try Optcloud.run(["run", config, "--out", out.path, "--threads", "2"], in: work)
        XCTAssertEqual(result.status, 0, result.diagnostic)
        let summary = byLabel(try RunOutput.json(out.appendingPathComponent("summary.json")))
        let theory = byLabel(try RunOutput.json(out.appendingPathComponent("theory.json")))

        // Coupled decay: the L2-regularised minimiser (H + λ)⁻¹Hx*; decoupled: not that.
        let sgd = summary["sgd"] ?? [:]
        let l2 = try XCTUnwrap(RunOutput.numbers(sgd["l2_regularized_minimum"]))
        XCTAssertEqual(l2[0], 1 / 1.5, accuracy: 1e-12)
        XCTAssertEqual(l2[1], -10 / 10.5, accuracy: 1e-12)
        XCTAssertNil(sgd["decoupled_fixed_point"])
        for label in ["adamw", "lion"] {
            XCTAssertNil(summary[label]?["l2_regularized_minimum"], label)
            let point = try XCTUnwrap(RunOutput.numbers(summary[label]?["decoupled_fixed_point"]), label)
            XCTAssertEqual(point.count, 2)
            XCTAssertTrue(point.allSatisfy { 0.5 * abs($0) < 1 }, "\(label): inside the box ‖x‖∞ < 1/λ")
        }
        XCTAssertNil(summary["adam"]?["decoupled_fixed_point"])
        XCTAssertNil(summary["adam"]?["l2_regularized_minimum"])

        for label in ["adam", "adamw"] {
            let block = try XCTUnwrap(theory[label]?["adaptive"] as? [String: Any], label)
            XCTAssertEqual(block["available"] as? Bool, true, label)
            let covariance = try XCTUnwrap(RunOutput.matrix(block["covariance"]), label)
            XCTAssertEqual(covariance.map(\.count), [2, 2])
            XCTAssertEqual(RunOutput.matrix(block["z_scores"])?.map(\.count), [2, 2])
            let v = try XCTUnwrap(RunOutput.numbers(block["second_moment"]))
            let preconditioner = try XCTUnwrap(RunOutput.numbers(block["preconditioner"]))
            for k in 0..<2 { XCTAssertEqual(preconditioner[k], 1 / (v[k].squareRoot() + 1e-8), accuracy: 1e-12 * preconditioner[k]) }
            let relative = try XCTUnwrap(RunOutput.number(block["relative_error"]))
            XCTAssertEqual(RunOutput.number(summary[label]?["theory_covariance_relative_error"]), relative, label)
            XCTAssertLessThan(relative, 0.05, label)
            XCTAssertNotNil(RunOutput.numbers(block["mean"]))
            // The run table's theory column (after the mean loss, |bias|, max stderr and tr(cov) columns): tr of the predicted covariance.
            let row = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.hasPrefix(label + " ") }, label)
            let cells = row.split(separator: " ")
            XCTAssertEqual(String(cells[7]), String(format: "%.4g", covariance[0][0] + covariance[1][1]), "\(label): \(row)")
        }
        XCTAssertTrue(theory["adam"]?["adaptive"].map { ($0 as? [String: Any])?["stability_limit"] is NSNull } ?? false)
        XCTAssertEqual(RunOutput.number((theory["adamw"]?["adaptive"] as? [String: Any])?["stability_limit"]), 4)
        XCTAssertEqual(RunOutput.numbers((theory["adamw"]?["adaptive"] as? [String: Any])?["mean"]),
                       RunOutput.numbers(summary["adamw"]?["decoupled_fixed_point"]), "with noise: the frozen-v mean")
        XCTAssertEqual((theory["lion"]?["adaptive"] as? [String: Any])?["available"] as? Bool, false)
    }

    /// `optcloud theory` prints a table by default; --json and --out write the JSON.
    func testTheoryTable() throws {
        let work = try makeTemporaryDirectory(self)
        let config = try write(in: work)
        let file = work.appendingPathComponent("theory.json")
        let table = try Optcloud.run(["theory", config, "--out", file.path], in: work)
        XCTAssertEqual(table.status, 0, table.diagnostic)
        XCTAssertFalse(table.stdout.hasPrefix("{"))
        let lines = table.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("optimizer") && $0.contains("stability limit") }, table.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("adamw") && $0.contains("frozen v") && $0.contains("lr < 4") }, table.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("adamw: decoupled_fixed_point = [0.") }, table.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("lion: no covariance") }, table.stdout)
        let json = try Optcloud.run(["theory", config, "--json"], in: work)
        XCTAssertEqual(try RunOutput.text(file), json.stdout, "--out writes the JSON that --json prints")
        let adamw = byLabel(try RunOutput.json(file))["adamw"] ?? [:]
        XCTAssertNotNil(RunOutput.matrix((adamw["adaptive"] as? [String: Any])?["covariance"]))
        XCTAssertNotNil(RunOutput.numbers(adamw["decoupled_fixed_point"]))
    }
}
