import Experiments
import Foundation
import XCTest

/// Issue 11: `optcloud sweep` end to end — a point's row equals `optcloud run` of the same
/// config with `--set` of that point, a diverging point is a row, a killed sweep and a sweep
/// run in three shards give the sweep.csv of one uninterrupted process, and the collapse
/// verdicts.
final class SweepCommandTests: XCTestCase {
    /// 3 × 2 points, two optimizers; SGD diverges at lr = 0.6 (2/λmax = 0.5). 512 chains in
    /// 256 replicate groups, a snapshot file per group and phase (checkpoint_seconds: 0):
    /// 1024 snapshots per point.
    static let config = """
        name: sweeptest
        seed: 11
        objective: {type: quadratic, eigenvalues: [1.0, 4.0], rotation_seed: 3, minimum: [1.0, -0.5]}
        noise: {type: gaussian, std: 0.5}
        chains: 512
        steps: 300
        burn_in: 100
        checkpoint_seconds: 0
        optimizers:
          - {label: sgd, type: sgd, lr: 0.1}
          - {label: momentum, type: sgd, lr: 0.02, momentum: 0.9}
        output: {samples: final}
        sweep:
          axes:
            optimizers.0.lr: [0.05, 0.2, 0.6]
            noise.std: [0.5, 1.0]
          collapse:
            - {metric: mean_norm, by: noise.std}

        """

    static let snapshotsPerPoint = 2 * 256 * 2

    /// The uninterrupted sweep, made once for the tests of this class.
    nonisolated(unsafe) static var reference: URL?
    static let referenceLock = NSLock()

    func referenceSweep() throws -> URL {
        Self.referenceLock.lock()
        defer { Self.referenceLock.unlock() }
        if let reference = Self.reference { return reference }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("optcloud-sweep-reference-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let result = try Optcloud.run(["sweep", try writeConfig(work), "--out", "full", "--threads", "2"], in: work, timeout: 300)
        XCTAssertEqual(result.status, 0, result.diagnostic)
        XCTAssertTrue(result.stdout.contains("point 1/6 optimizers.0.lr=0.05, noise.std=0.5: sgd mean loss"), result.diagnostic)
        XCTAssertTrue(result.stdout.contains("point 6/6 optimizers.0.lr=0.6, noise.std=1.0: sgd diverged, momentum mean loss"),
                      result.diagnostic)
        let out = work.appendingPathComponent("full")
        Self.reference = out
        return out
    }

    override class func tearDown() {
        if let reference { try? FileManager.default.removeItem(at: reference.deletingLastPathComponent()) }
        super.tearDown()
    }

    func writeConfig(_ work: URL, _ text: String = config) throws -> String {
        let path = work.appendingPathComponent("sweep.yaml")
        try Data(text.utf8).write(to: path)
        return path.path
    }

    func testSweepWritesItsFilesAndAPointsRowEqualsTheRunOfThatPoint() throws {
        let reference = try referenceSweep()
        XCTAssertEqual(directoryListing(reference), ["collapse.csv", "points", "sweep.csv", "sweep.json", "sweep.svg"])
        XCTAssertEqual(directoryListing(reference.appendingPathComponent("points")), ["0", "1", "2", "3", "4", "5"])
        let (header, rows) = try RunOutput.csv(reference.appendingPathComponent("sweep.csv"))
        XCTAssertEqual(header, ["point", "optimizer", "optimizers.0.lr", "noise.std", "chains", "diverged_fraction", "mean_loss",
                                "mean_loss_stderr", "bias_norm", "mean_norm", "trace", "logdet", "max_eigenvalue", "tail_index",
                                "hessian_trace_mean", "max_r_hat", "min_ess_bulk", "stationary", "theory_relative_error",
                                "mean_0", "mean_1", "variance_0", "variance_1"])
        XCTAssertEqual(rows.map { $0[0] + $0[1] }, ["0sgd", "0momentum", "1sgd", "1momentum", "2sgd", "2momentum", "3sgd",
                                                     "3momentum", "4sgd", "4momentum", "5sgd", "5momentum"])
        XCTAssertEqual(rows.map { $0[2] + "," + $0[3] }.enumerated().filter { $0.offset % 2 == 0 }.map(\.element),
                       ["0.05,0.5", "0.05,1.0", "0.2,0.5", "0.2,1.0", "0.6,0.5", "0.6,1.0"])

        // Point 3 (lr = 0.2, σ = 1) run by hand: the same files, and its row is its summary.
        let work = try makeTemporaryDirectory(self)
        let run = try Optcloud.run(["run", try writeConfig(work), "--set", "optimizers.0.lr=0.2", "--set", "noise.std=1.0",
                                    "--out", "run3", "--quiet", "--threads", "1"], in: work, timeout: 120)
        XCTAssertEqual(run.status, 0, run.diagnostic)
        XCTAssertTrue(run.stderr.contains("has a sweep: block, which this command ignores"), run.diagnostic)
        let point = reference.appendingPathComponent("points/3"), single = work.appendingPathComponent("run3")
        XCTAssertEqual(directoryListing(point), directoryListing(single))
        for name in directoryListing(single) where name != "summary.json" {
            XCTAssertEqual(try Data(contentsOf: point.appendingPathComponent(name)), try Data(contentsOf: single.appendingPathComponent(name)),
                           name)
        }
        XCTAssertEqual(RunOutput.summaryWithoutTimings(try RunOutput.text(point.appendingPathComponent("summary.json"))),
                       RunOutput.summaryWithoutTimings(try RunOutput.text(single.appendingPathComponent("summary.json"))))
        let summary = try RunOutput.json(single.appendingPathComponent("summary.json"))
        let entries = try XCTUnwrap(summary["optimizers"] as? [[String: Any]])
        for (entry, row) in zip(entries, rows.filter { $0[0] == "3" }) {
            try assertRow(Dictionary(uniqueKeysWithValues: zip(header, row)), equals: entry)
        }
    }

    /// Each field of a sweep.csv row against the optimizer's summary.json entry, as text (the
    /// same shortest round-trip form), empty where the summary has null.
    func assertRow(_ row: [String: String], equals entry: [String: Any], line: UInt = #line) throws {
        func text(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }
        let label = entry["label"] as? String ?? "?"
        let chains = try XCTUnwrap(RunOutput.number(entry["chains"]))
        let covariance = try XCTUnwrap(RunOutput.matrix(entry["covariance"]))
        let expected: [String: String] = [
            "optimizer": label, "chains": String(Int(chains)),
            "diverged_fraction": text(try XCTUnwrap(RunOutput.number(entry["diverged_chains"])) / chains),
            "mean_loss": text(RunOutput.number(entry["mean_loss"])), "mean_loss_stderr": text(RunOutput.number(entry["mean_loss_stderr"])),
            "bias_norm": text(RunOutput.number(entry["bias_norm"])), "mean_norm": text(RunOutput.number(entry["mean_norm"])),
            "trace": text(RunOutput.number(entry["covariance_trace"])), "logdet": text(RunOutput.number(entry["covariance_logdet"])),
            "max_eigenvalue": text(RunOutput.numbers(entry["covariance_eigenvalues"])?.max()),
            "tail_index": text(RunOutput.number(entry["tail_index"])),
            "hessian_trace_mean": text(RunOutput.number(entry["hessian_trace_mean"])),
            "max_r_hat": text(RunOutput.numbers(entry["r_hat"])?.max()), "min_ess_bulk": text(RunOutput.numbers(entry["ess_bulk"])?.min()),
            "stationary": (entry["stationary"] as? Bool).map { $0 ? "true" : "false" } ?? "",
            "theory_relative_error": text(RunOutput.number(entry["theory_covariance_relative_error"])),
            "mean_0": text(RunOutput.numbers(entry["mean"])?[0]), "mean_1": text(RunOutput.numbers(entry["mean"])?[1]),
            "variance_0": text(covariance[0][0]), "variance_1": text(covariance[1][1]),
        ]
        for (column, value) in expected { XCTAssertEqual(row[column], value, "\(label).\(column)", line: line) }
        XCTAssertFalse(row["mean_loss"]!.isEmpty, "\(label) has a mean loss", line: line)
    }

    func testADivergingPointIsARowNotAnAbort() throws {
        let reference = try referenceSweep()
        let records = try RunOutput.records(reference.appendingPathComponent("sweep.csv"))
        for record in records where record["optimizers.0.lr"] == "0.6" {
            if record["optimizer"] == "sgd" {
                XCTAssertEqual(record["diverged_fraction"], "1.0")
                XCTAssertEqual(record["chains"], "512")
                for column in ["mean_loss", "mean_loss_stderr", "bias_norm", "mean_norm", "trace", "logdet", "max_eigenvalue", "tail_index",
                               "max_r_hat", "min_ess_bulk", "stationary", "mean_0", "variance_1"] {
                    XCTAssertEqual(record[column], "", "\(column) of a diverged point is empty")
                }
            } else {
                XCTAssertEqual(record["diverged_fraction"], "0.0")
                XCTAssertFalse(record["mean_loss"]!.isEmpty)
            }
        }
        let summary = try RunOutput.json(reference.appendingPathComponent("points/4/summary.json"))
        let warnings = try XCTUnwrap(summary["warnings"] as? [String])
        XCTAssertTrue(warnings.contains { $0.contains("every chain of 'sgd' diverged") })
    }

    /// The process kills itself (SIGKILL) after a known number of snapshot files: in the
    /// middle of point 2's second optimizer. The rerun keeps points 0 and 1, resumes point 2
    /// from its checkpoint and gives the uninterrupted sweep.csv and collapse.csv byte for byte.
    func testAKilledSweepRerunGivesTheUninterruptedResults() throws {
        let reference = try referenceSweep()
        let work = try makeTemporaryDirectory(self)
        let config = try writeConfig(work)
        let killAt = 2 * Self.snapshotsPerPoint + Self.snapshotsPerPoint / 2 + 100
        let killed = try Optcloud.run(["sweep", config, "--out", "out", "--threads", "1"], in: work,
                                      shellPrefix: "export OPTCLOUD_TEST_STOP_AFTER_SNAPSHOTS=\(killAt) OPTCLOUD_TEST_STOP_SIGNAL=KILL", timeout: 300)
        XCTAssertEqual(killed.reason, .uncaughtSignal, killed.diagnostic)
        let out = work.appendingPathComponent("out")
        XCTAssertEqual(directoryListing(out.appendingPathComponent("points")), ["0", "1", "2"])
        let checkpoint = directoryListing(out.appendingPathComponent("points/2/checkpoint")).filter { $0.hasSuffix(".snap") }
        XCTAssertEqual(checkpoint.count, 612, "point 2: 512 snapshots of sgd and 100 of momentum")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("sweep.csv").path))
        let rerun = try Optcloud.run(["sweep", config, "--out", "out", "--threads", "2"], in: work, timeout: 300)
        XCTAssertEqual(rerun.status, 0, rerun.diagnostic)
        XCTAssertTrue(rerun.stdout.contains("point 1/6 optimizers.0.lr=0.05, noise.std=0.5: complete, kept"), rerun.diagnostic)
        XCTAssertTrue(rerun.stdout.contains("point 2/6 optimizers.0.lr=0.05, noise.std=1.0: complete, kept"), rerun.diagnostic)
        XCTAssertTrue(rerun.stdout.contains("point 3/6 optimizers.0.lr=0.2, noise.std=0.5: sgd mean loss"), rerun.diagnostic)
        for name in ["sweep.csv", "collapse.csv"] {
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent(name)), try Data(contentsOf: reference.appendingPathComponent(name)),
                           name)
        }
        XCTAssertEqual(directoryListing(out.appendingPathComponent("points/2")), directoryListing(reference.appendingPathComponent("points/2")),
                       "no checkpoint left")
    }

    /// Shards 0/3 and 1/3 at the same time, then 2/3, which completes the sweep and writes
    /// sweep.csv; `--collect` writes it again without simulating. Both equal one process's.
    func testThreeShardsAndCollectGiveTheSameSweep() throws {
        let reference = try referenceSweep()
        let work = try makeTemporaryDirectory(self)
        let config = try writeConfig(work)
        let first = try Optcloud.start(["sweep", config, "--out", "out", "--shard", "0/3", "--threads", "1"], in: work)
        let second = try Optcloud.start(["sweep", config, "--out", "out", "--shard", "1/3", "--threads", "1"], in: work)
        for result in [first.wait(timeout: 300), second.wait(timeout: 300)] {
            XCTAssertEqual(result.status, 0, result.diagnostic)
            XCTAssertFalse(result.stdout.contains("point 3/6"), "shards 0/3 and 1/3 do not run point 2")
        }
        let out = work.appendingPathComponent("out")
        XCTAssertEqual(directoryListing(out.appendingPathComponent("points")), ["0", "1", "3", "4"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("sweep.csv").path))
        let early = try Optcloud.run(["sweep", config, "--out", "out", "--collect"], in: work)
        XCTAssertEqual(early.status, 1, early.diagnostic)
        XCTAssertTrue(early.stderr.contains("2 of 6 points are not complete (2, 5)"), early.diagnostic)
        let last = try Optcloud.run(["sweep", config, "--out", "out", "--shard", "2/3", "--threads", "2"], in: work, timeout: 300)
        XCTAssertEqual(last.status, 0, last.diagnostic)
        XCTAssertTrue(last.stdout.contains("wrote"), last.diagnostic)
        let csv = try Data(contentsOf: out.appendingPathComponent("sweep.csv"))
        XCTAssertEqual(csv, try Data(contentsOf: reference.appendingPathComponent("sweep.csv")))
        try FileManager.default.removeItem(at: out.appendingPathComponent("sweep.csv"))
        let collect = try Optcloud.run(["sweep", config, "--out", "out", "--collect"], in: work)
        XCTAssertEqual(collect.status, 0, collect.diagnostic)
        XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("sweep.csv")), csv)
        XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("collapse.csv")),
                       try Data(contentsOf: reference.appendingPathComponent("collapse.csv")))
    }

    /// `--shard auto` as a batch system starts it: shard 0 of 2 as task 4 of a Slurm array
    /// `--array=4-5`, shard 1 as index 1 of a Kubernetes Indexed Job with `--shards 2`. Together
    /// they give one process's sweep.csv.
    func testShardAutoFromSlurmAndKubernetesGivesTheSameSweep() throws {
        let reference = try referenceSweep()
        let work = try makeTemporaryDirectory(self)
        let config = try writeConfig(work)
        let slurm = ["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "4", "SLURM_ARRAY_TASK_MAX": "5",
                     "SLURM_ARRAY_TASK_COUNT": "2"]
        let first = try Optcloud.run(["sweep", config, "--out", "out", "--shard", "auto", "--threads", "2"], in: work,
                                     environment: slurm, timeout: 300)
        XCTAssertEqual(first.status, 0, first.diagnostic)
        XCTAssertEqual(directoryListing(work.appendingPathComponent("out/points")), ["0", "2", "4"], "task 4 of 4–5 is shard 0/2")
        let second = try Optcloud.run(["sweep", config, "--out", "out", "--shard", "auto", "--shards", "2", "--threads", "2"],
                                      in: work, environment: ["JOB_COMPLETION_INDEX": "1"], timeout: 300)
        XCTAssertEqual(second.status, 0, second.diagnostic)
        XCTAssertTrue(second.stdout.contains("wrote"), second.diagnostic)
        XCTAssertEqual(try Data(contentsOf: work.appendingPathComponent("out/sweep.csv")),
                       try Data(contentsOf: reference.appendingPathComponent("sweep.csv")))
    }

    /// A plain rerun of a complete sweep simulates nothing; another config is refused without
    /// --force, and --force starts again.
    func testRerunKeepsEverythingAndAnotherConfigNeedsForce() throws {
        let work = try makeTemporaryDirectory(self)
        let small = Self.config.replacingOccurrences(of: "[0.05, 0.2, 0.6]", with: "[0.05]")
            .replacingOccurrences(of: "chains: 512", with: "chains: 64")
        let config = try writeConfig(work, small)
        let first = try Optcloud.run(["sweep", config, "--out", "out", "--quiet"], in: work, timeout: 120)
        XCTAssertEqual(first.status, 0, first.diagnostic)
        XCTAssertEqual(first.stdout, "")
        let csv = try Data(contentsOf: work.appendingPathComponent("out/sweep.csv"))
        let again = try Optcloud.run(["sweep", config, "--out", "out"], in: work, timeout: 120)
        XCTAssertEqual(again.status, 0, again.diagnostic)
        XCTAssertEqual(again.stdout.components(separatedBy: "complete, kept").count - 1, 2, again.diagnostic)
        XCTAssertEqual(try Data(contentsOf: work.appendingPathComponent("out/sweep.csv")), csv)
        let changed = try Optcloud.run(["sweep", config, "--out", "out", "--steps", "200"], in: work)
        assertUsageError(changed, case: "changed config", mentions: ["--out", "another config", "--force"])
        let forced = try Optcloud.run(["sweep", config, "--out", "out", "--steps", "200", "--force", "--quiet"], in: work, timeout: 120)
        XCTAssertEqual(forced.status, 0, forced.diagnostic)
        XCTAssertNotEqual(try Data(contentsOf: work.appendingPathComponent("out/sweep.csv")), csv)
        let foreign = work.appendingPathComponent("foreign")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: false)
        try Data("keep\n".utf8).write(to: foreign.appendingPathComponent("notes.txt"))
        let refused = try Optcloud.run(["sweep", config, "--out", foreign.path, "--force"], in: work)
        assertUsageError(refused, case: "foreign directory", mentions: ["--out", "not the directory of a sweep"])
        XCTAssertEqual(directoryListing(foreign), ["notes.txt"])
    }

    /// SGD with coupled L2 on a noiseless quadratic converges to (H + λ)⁻¹Hx*, which depends
    /// on λ alone: mean_norm collapses on λ (equal to 12 digits, standard errors 0) and not
    /// on lr·λ, whose groups mix different λ.
    func testCollapseVerdictsOnANoiselessQuadratic() throws {
        let work = try makeTemporaryDirectory(self)
        let config = try writeConfig(work, """
            name: collapse
            seed: 1
            objective: {type: quadratic, diagonal: [1.0, 3.0], minimum: [1.0, 2.0]}
            noise: {type: none}
            init: {type: point, at: [0.0, 0.0]}
            chains: 16
            steps: 4000
            burn_in: 3000
            optimizers:
              - {label: sgd, type: sgd, lr: 0.01, weight_decay: 0.5}
            sweep:
              axes:
                optimizers.0.lr: [0.01, 0.02, 0.04]
                optimizers.0.weight_decay: [0.5, 1.0, 2.0]
              collapse:
                - {metric: mean_norm, by: optimizers.0.weight_decay}
                - {metric: mean_norm, by: "optimizers.0.lr * optimizers.0.weight_decay"}
                - {metric: mean_1, by: optimizers.0.weight_decay}

            """)
        let result = try Optcloud.run(["sweep", config, "--out", "out"], in: work, timeout: 300)
        XCTAssertEqual(result.status, 0, result.diagnostic)
        XCTAssertTrue(result.stdout.contains("collapse mean_norm by optimizers.0.weight_decay for 'sgd': yes (9 pairs in 3 groups"),
                      result.diagnostic)
        let records = try RunOutput.records(work.appendingPathComponent("out/collapse.csv"))
        XCTAssertEqual(records.map { $0["collapses"]! }, ["true", "false", "true"])
        XCTAssertEqual(records.map { $0["groups"]! }, ["3", "5", "3"])
        XCTAssertEqual(records.map { $0["pairs"]! }, ["9", "5", "9"])
        XCTAssertLessThan(Double(records[0]["max_abs_z_within"]!)!, 0.1)
        XCTAssertGreaterThan(Double(records[1]["max_abs_z_within"]!)!, 1e6)
        // The means are those of the theory: x̄_k = h_k x*_k / (h_k + λ).
        let rows = try RunOutput.records(work.appendingPathComponent("out/sweep.csv"))
        for row in rows {
            let lambda = Double(row["optimizers.0.weight_decay"]!)!
            XCTAssertEqual(Double(row["mean_0"]!)!, 1 / (1 + lambda), accuracy: 1e-12)
            XCTAssertEqual(Double(row["mean_1"]!)!, 6 / (3 + lambda), accuracy: 1e-12)
        }
    }

    /// statistics.target_loss in a sweep over the batch size (a small noisy quadratic model):
    /// sweep.csv's steps-to-target columns are the points' summaries, steps_to_target.csv is
    /// the fewest steps per batch size over the learning rates (simulated and theory), and
    /// critical_batch_size.csv applies the documented rule to that frontier.
    func testStepsToTargetAcrossBatchSizes() throws {
        let work = try makeTemporaryDirectory(self)
        let config = try writeConfig(work, """
            name: nqm-small
            seed: 3
            objective: {type: quadratic, diagonal: [1.0, 0.5, 0.3333333333, 0.25, 0.2]}
            noise: {type: hessian, batch_size: 1}
            init: {type: point, at: [1.0, 1.0, 1.0, 1.0, 1.0]}
            chains: 64
            steps: 400
            burn_in: 390
            optimizers:
              - {label: sgd, type: sgd, lr: 0.1}
              - {label: heavy-ball, type: sgd, lr: 0.01, momentum: 0.9}
            statistics: {target_loss: 0.3}
            sweep:
              axes:
                noise.batch_size: [1, 4, 16, 64]
              zip:
                - {optimizers.0.lr: [0.2, 0.8], optimizers.1.lr: [0.02, 0.1]}

            """)
        let result = try Optcloud.run(["sweep", config, "--out", "out"], in: work, timeout: 300)
        XCTAssertEqual(result.status, 0, result.diagnostic)
        let out = work.appendingPathComponent("out")
        let rows = try RunOutput.records(out.appendingPathComponent("sweep.csv"))
        XCTAssertEqual(rows.count, 16)
        for row in rows {
            let summary = try RunOutput.json(out.appendingPathComponent("points/\(row["point"]!)/summary.json"))
            let entry = try XCTUnwrap((summary["optimizers"] as? [[String: Any]])?.first { $0["label"] as? String == row["optimizer"] })
            for key in ["steps_to_target", "theory_steps_to_target"] {
                XCTAssertEqual(row[key].flatMap { Double($0) }, RunOutput.number(entry[key]), "\(key) at point \(row["point"]!)")
            }
        }
        XCTAssertGreaterThan(rows.filter { Double($0["theory_steps_to_target"] ?? "") != nil }.count, 12,
                             "SGD and heavy ball have the exact theory (a large lr at B = 1 may never reach the target)")
        let frontier = try RunOutput.records(out.appendingPathComponent("steps_to_target.csv"))
        XCTAssertEqual(frontier.count, 8)
        for line in frontier {
            let candidates = rows.filter { $0["optimizer"] == line["optimizer"] && Double($0["noise.batch_size"]!) == Double(line["noise.batch_size"]!) }
            XCTAssertEqual(candidates.count, 2)
            XCTAssertEqual(Double(line["steps_to_target"]!), candidates.compactMap { Double($0["steps_to_target"]!) }.min())
            XCTAssertEqual(Double(line["theory_steps_to_target"]!), candidates.compactMap { Double($0["theory_steps_to_target"]!) }.min())
        }
        let critical = try RunOutput.records(out.appendingPathComponent("critical_batch_size.csv"))
        XCTAssertEqual(critical.map { $0["optimizer"]! }, ["sgd", "heavy-ball"])
        for line in critical {
            let curve = frontier.filter { $0["optimizer"] == line["optimizer"] }.map {
                (x: Double($0["noise.batch_size"]!)!, steps: Double($0["theory_steps_to_target"]!)!)
            }
            XCTAssertEqual(Double(line["theory_critical_value"]!), StepsToTargetFrontier.critical(curve).value)
            XCTAssertEqual(line["axis"], "noise.batch_size")
        }
        let svg = try String(contentsOf: out.appendingPathComponent("sweep.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains("steps to target, best over the other axes"))
    }
}
