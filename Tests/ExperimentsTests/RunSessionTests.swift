import Foundation
import XCTest
@testable import Experiments
import Simulation

/// `RunSession`: divergence is a result, a stop request leaves a checkpoint and partial
/// results, and resuming gives the uninterrupted result.
final class RunSessionTests: XCTestCase {
    /// SGD at lr = 0.6 on a quadratic with λmax = 4 (2/λmax = 0.5) diverges entirely; heavy
    /// ball at lr = 0.02 does not.
    static let yaml = """
        seed: 3
        objective: {type: quadratic, eigenvalues: [1.0, 4.0], rotation_seed: 3, minimum: [1.0, -0.5]}
        noise: {type: gaussian, std: 0.5}
        chains: 300
        steps: 300
        burn_in: 100
        optimizers:
          - {label: sgd, type: sgd, lr: 0.6}
          - {label: momentum, type: sgd, lr: 0.02, momentum: 0.9}
        output: {samples: final}
        """

    func testAFullyDivergedOptimizerIsAResultWithNullStatistics() throws {
        let result = try sessionRun(Self.yaml)
        XCTAssertEqual(result.optimizers.map(\.spec.label), ["sgd", "momentum"])
        XCTAssertFalse(result.everyOptimizerDiverged)
        let sgd = result.optimizers[0]
        XCTAssertEqual(sgd.cloud.divergedChains, sgd.cloud.chains)
        XCTAssertTrue(result.warnings.contains { $0.contains("every chain of 'sgd' diverged") && $0.contains("2/λmax = 0.5") })
        let summary = result.summary.rendered()
        for token in ["nan", "NaN", "inf"] { XCTAssertFalse(summary.contains(token), "summary.json holds \(token)") }
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])
        let entry = try XCTUnwrap((json["optimizers"] as? [[String: Any]])?.first)
        XCTAssertEqual((entry["diverged_chains"] as? NSNumber)?.intValue, 300)
        for key in ["mean_loss", "mean_loss_stderr", "mean_norm", "bias_norm", "covariance_trace", "tail_index", "hessian_trace_mean",
                    "stationary", "fdr_ratio"] {
            XCTAssertTrue(entry[key] is NSNull, "\(key) is null, not \(String(describing: entry[key]))")
        }
        XCTAssertTrue((entry["mean"] as? [Any])?.allSatisfy { $0 is NSNull } == true)
        let momentum = result.optimizers[1]
        XCTAssertEqual(momentum.cloud.divergedChains, 0)
        XCTAssertTrue(momentum.report.loss.mean.isFinite)
        XCTAssertEqual(momentum.estimate.meanNorm, (momentum.estimate.mean.reduce(0) { $0 + $1 * $1 }).squareRoot(), accuracy: 1e-12)
    }

    func testEveryOptimizerDivergedIsReported() throws {
        let yaml = Self.yaml.replacingOccurrences(of: "lr: 0.02, momentum: 0.9", with: "lr: 2.0, momentum: 0.9")
        let result = try sessionRun(yaml)
        XCTAssertTrue(result.everyOptimizerDiverged)
        XCTAssertEqual(result.optimizers.count, 2)
    }

    /// A stop request when the second optimizer starts: RunInterrupted, the first
    /// optimizer's results and the checkpoint kept; a new session on the resumed directory
    /// gives the files of an uninterrupted run.
    func testStopRequestLeavesPartialResultsAndResumesToTheSameResult() throws {
        let yaml = Self.yaml.replacingOccurrences(of: "lr: 0.6", with: "lr: 0.3")
        let config = try ConfigLoader.parse(text: yaml, file: "stop.yaml")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("optcloud-stop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let manifest = RunManifest(configPath: "stop.yaml", overrides: [], config: config)
        let stop = RunStop()
        let interrupted = try OutputDirectory.create(path: work.appendingPathComponent("a").path, force: false, manifest: manifest)
        XCTAssertThrowsError(try RunSession(config: config, directory: interrupted, threads: 2, observer: StopAt(1, stop), stop: stop).run()) {
            XCTAssertEqual(($0 as? RunInterrupted)?.signal, 2)
        }
        let partial = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: interrupted.url.appendingPathComponent("summary.json"))) as? [String: Any])
        XCTAssertEqual(partial["complete"] as? Bool, false)
        XCTAssertEqual((partial["optimizers"] as? [[String: Any]])?.count, 1)
        let resumed = try RunSession(config: config, directory: try OutputDirectory.resume(path: interrupted.url.path), threads: 1,
                                     stop: RunStop()).run()
        let full = try RunSession(config: config, directory: try OutputDirectory.create(path: work.appendingPathComponent("b").path,
                                                                                        force: false, manifest: manifest),
                                  threads: 2, stop: RunStop()).run()
        for name in ["moments.csv", "covariance.csv", "histograms.csv", "diagnostics.csv", "timeseries.csv", "samples_sgd.npy",
                     "samples_momentum.npy", "theory.json"] {
            XCTAssertEqual(try Data(contentsOf: work.appendingPathComponent("a/\(name)")),
                           try Data(contentsOf: work.appendingPathComponent("b/\(name)")), name)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("a/checkpoint").path))
        XCTAssertEqual(resumed.optimizers.map { $0.report.loss.mean.bitPattern }, full.optimizers.map { $0.report.loss.mean.bitPattern })
    }
}

/// Requests a stop (signal 2) when optimizer `index` starts.
private final class StopAt: RunObserver {
    let index: Int
    let stop: RunStop
    init(_ index: Int, _ stop: RunStop) {
        self.index = index
        self.stop = stop
    }
    func optimizerStarted(_ index: Int, label: String, progress: RunProgress) {
        if index == self.index { stop.request(signal: 2) }
    }
    func optimizerFinished(_ index: Int) {}
    func warning(_ message: String) {}
}
