import Foundation
import XCTest

/// Divergence is a result (issue 11): `run` writes every optimizer's results and exits 1
/// only when every optimizer diverged entirely; `validate` warns beforehand where the
/// linear theory says an optimizer is unstable.
final class DivergenceTests: XCTestCase {
    /// Configs/small.yaml: λmax = 4, so SGD is stable below lr = 2/λmax = 0.5.
    func testOneDivergedOptimizerIsAResult() throws {
        let work = try makeTemporaryDirectory(self)
        let result = try Optcloud.run(["run", try TestConfigs.path("small.yaml"), "--out", "out", "--set", "optimizers.0.lr=0.6",
                                       "--chains", "300", "--threads", "2"], in: work, timeout: 120)
        XCTAssertEqual(result.status, 0, result.diagnostic)
        XCTAssertTrue(result.stdout.contains("sgd"), result.diagnostic)
        XCTAssertTrue(result.stderr.contains("optcloud: warning: every chain of 'sgd' diverged"), result.diagnostic)
        XCTAssertTrue(result.stderr.contains("2/λmax = 0.5, lr = 0.6"), result.diagnostic)
        let summary = try RunOutput.json(work.appendingPathComponent("out/summary.json"))
        let entries = try XCTUnwrap(summary["optimizers"] as? [[String: Any]])
        XCTAssertEqual(entries.map { $0["label"] as? String }, ["sgd", "momentum"])
        XCTAssertEqual(RunOutput.number(entries[0]["diverged_chains"]), 300)
        XCTAssertTrue(entries[0]["mean_loss"] is NSNull)
        XCTAssertNotNil(RunOutput.number(entries[1]["mean_loss"]))
        XCTAssertFalse(try RunOutput.text(work.appendingPathComponent("out/summary.json")).contains("NaN"))
    }

    func testEveryOptimizerDivergedExitsOneWithItsResultsWritten() throws {
        let work = try makeTemporaryDirectory(self)
        let result = try Optcloud.run(["run", try TestConfigs.path("small.yaml"), "--out", "out", "--set", "optimizers.0.lr=0.6",
                                       "--set", "optimizers.1.lr=2.0", "--chains", "300", "--threads", "2"], in: work, timeout: 120)
        XCTAssertEqual(result.status, 1, result.diagnostic)
        XCTAssertEqual(result.stderrLines.count, 1, result.diagnostic)
        XCTAssertTrue(result.stderr.hasPrefix("optcloud: error: every chain of every optimizer diverged"), result.diagnostic)
        XCTAssertEqual(result.stdout, "")
        let summary = try RunOutput.json(work.appendingPathComponent("out/summary.json"))
        XCTAssertEqual(summary["complete"] as? Bool, true)
        XCTAssertEqual((summary["optimizers"] as? [[String: Any]])?.count, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("out/checkpoint").path))
    }

    func testValidateWarnsWhereTheoryPredictsInstability() throws {
        let work = try makeTemporaryDirectory(self)
        let config = try TestConfigs.path("small.yaml")
        let unstable = try Optcloud.run(["validate", config, "--set", "optimizers.0.lr=0.6"], in: work)
        XCTAssertEqual(unstable.status, 0, unstable.diagnostic)
        XCTAssertEqual(unstable.stderrLines, ["optcloud: warning: 'sgd' is unstable by the linear theory: lr = 0.6 is not below "
                                              + "2/λmax = 0.5 (spectral radius of the linear dynamics 1.4 ≥ 1); its chains will diverge"])
        let stable = try Optcloud.run(["validate", config], in: work)
        XCTAssertEqual(stable.stderr, "", stable.diagnostic)
        // A sweep: the unstable points listed, the whole grid's estimate printed.
        let sweep = work.appendingPathComponent("sweep.yaml")
        try Data((try RunOutput.text(URL(fileURLWithPath: config)) + "sweep: {axes: {optimizers.0.lr: [0.1, 0.4, 0.6, 0.8]}}\n").utf8)
            .write(to: sweep)
        let grid = try Optcloud.run(["validate", sweep.path], in: work)
        XCTAssertEqual(grid.status, 0, grid.diagnostic)
        XCTAssertTrue(grid.stderr.hasPrefix("optcloud: warning: 'sgd' is unstable by the linear theory at 2 of 4 points (2, 3; "),
                      grid.diagnostic)
        XCTAssertTrue(grid.stdout.contains("sweep: 4 points"), grid.diagnostic)
        XCTAssertTrue(grid.stdout.contains("  optimizers.0.lr: 0.1, 0.4, 0.6, 0.8 (4 values)"), grid.diagnostic)
        XCTAssertTrue(grid.stdout.contains("estimated time: ") && grid.stdout.contains("for 4 points"), grid.diagnostic)
    }
}
