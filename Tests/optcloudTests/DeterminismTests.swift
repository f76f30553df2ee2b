import Foundation
import XCTest

/// SPEC §2 (`--threads`: results are identical for any value): the same config and seed give
/// byte-identical output files whatever the number of threads; another seed gives others.
final class DeterminismTests: XCTestCase {
    /// Files that must be byte-identical between runs (summary.json is compared without its
    /// timing and thread-count lines).
    static let identicalFiles = ["moments.csv", "covariance.csv", "histograms.csv", "histograms2d.csv", "theory.json",
                                 "diagnostics.csv", "timeseries.csv", "samples_sgd.npy", "samples_momentum.npy",
                                 "cloud.svg", "marginals.svg", "timeseries.svg"]

    func testResultsDoNotDependOnTheThreadCount() throws {
        let work = try makeTemporaryDirectory(self)
        let config = try TestConfigs.path("small.yaml")
        var outputs: [(threads: Int, url: URL)] = []
        for threads in [1, 2, 3] {
            outputs.append((threads, try RunOutput.run(config, in: work, outName: "t\(threads)", extra: ["--threads", String(threads)])))
        }
        let reference = outputs[0]
        let referenceSummary = try RunOutput.text(reference.url.appendingPathComponent("summary.json"))
        XCTAssertTrue(referenceSummary.contains("\"threads\": 1"), "summary.json records the thread count")
        for other in outputs.dropFirst() {
            let summary = try RunOutput.text(other.url.appendingPathComponent("summary.json"))
            let a = RunOutput.summaryWithoutTimings(referenceSummary), b = RunOutput.summaryWithoutTimings(summary)
            XCTAssertEqual(a, b, "summary.json with --threads 1 vs --threads \(other.threads) (timings removed):\n"
                           + Self.firstDifference(a, b))
            for name in Self.identicalFiles {
                let x = try Data(contentsOf: reference.url.appendingPathComponent(name))
                let y = try Data(contentsOf: other.url.appendingPathComponent(name))
                XCTAssertFalse(x.isEmpty, "\(name) is empty")
                XCTAssertTrue(x == y, "\(name) differs between --threads 1 and --threads \(other.threads)"
                              + (name.hasSuffix(".npy") ? "" : ":\n" + Self.firstDifference(String(decoding: x, as: UTF8.self),
                                                                                            String(decoding: y, as: UTF8.self))))
            }
        }
        XCTAssertEqual(directoryListing(work), ["t1", "t2", "t3"], "staging entries left behind")
    }

    func testTheSameRunTwiceIsIdentical() throws {
        let work = try makeTemporaryDirectory(self)
        let config = try TestConfigs.path("small.yaml")
        let extra = ["--threads", "2", "--chains", "500", "--steps", "200"]
        let first = try RunOutput.run(config, in: work, outName: "a", extra: extra)
        let second = try RunOutput.run(config, in: work, outName: "b", extra: extra)
        XCTAssertEqual(RunOutput.summaryWithoutTimings(try RunOutput.text(first.appendingPathComponent("summary.json"))),
                       RunOutput.summaryWithoutTimings(try RunOutput.text(second.appendingPathComponent("summary.json"))))
        for name in Self.identicalFiles {
            XCTAssertTrue(try Data(contentsOf: first.appendingPathComponent(name)) == Data(contentsOf: second.appendingPathComponent(name)),
                          "\(name) differs between two identical runs")
        }
    }

    func testADifferentSeedGivesDifferentResults() throws {
        let work = try makeTemporaryDirectory(self)
        let config = try TestConfigs.path("small.yaml")
        let extra = ["--threads", "2", "--chains", "500", "--steps", "200"]
        let seven = try RunOutput.run(config, in: work, outName: "seed7", extra: extra)
        let eight = try RunOutput.run(config, in: work, outName: "seed8", extra: extra + ["--seed", "8"])
        let a = RunOutput.summaryWithoutTimings(try RunOutput.text(seven.appendingPathComponent("summary.json")))
        let b = RunOutput.summaryWithoutTimings(try RunOutput.text(eight.appendingPathComponent("summary.json")))
        XCTAssertNotEqual(a, b, "summary.json must change with --seed")
        let summary = try RunOutput.json(eight.appendingPathComponent("summary.json"))
        XCTAssertEqual(RunOutput.number(summary["seed"]), 8, "summary.json seed records --seed")
        XCTAssertEqual(RunOutput.number((summary["config"] as? [String: Any])?["seed"]), 8, "config.seed records --seed")
        let meansA = try RunOutput.json(seven.appendingPathComponent("summary.json"))["optimizers"] as? [[String: Any]]
        let meansB = summary["optimizers"] as? [[String: Any]]
        XCTAssertNotEqual(RunOutput.numbers(meansA?.first?["mean"]), RunOutput.numbers(meansB?.first?["mean"]),
                          "the cloud's mean must change with --seed")
        for name in ["samples_sgd.npy", "moments.csv"] {
            XCTAssertFalse(try Data(contentsOf: seven.appendingPathComponent(name)) == Data(contentsOf: eight.appendingPathComponent(name)),
                           "\(name) must change with --seed")
        }
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false)
        let y = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(x.count, y.count) {
            let l = i < x.count ? String(x[i]) : "<end>", r = i < y.count ? String(y[i]) : "<end>"
            if l != r { return "first difference at line \(i + 1):\n  - \(l.prefix(300))\n  + \(r.prefix(300))" }
        }
        return "(no line differs)"
    }
}
