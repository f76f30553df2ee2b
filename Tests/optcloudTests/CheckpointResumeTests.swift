import Foundation
import XCTest

/// Issue 6: checkpoint and resume through the real binary. A run killed (SIGKILL) or
/// interrupted (SIGINT) part-way and resumed with `--resume` writes the same files as an
/// uninterrupted run: every CSV, theory.json and .npy byte for byte, and summary.json byte
/// for byte apart from the lines of wall time, per-optimizer seconds and thread count.
///
/// The runs are stopped at a known point, not raced: OPTCLOUD_TEST_STOP_AFTER_SNAPSHOTS
/// (README, "Tests") makes the binary signal itself once a given number of group snapshots
/// are on disk.
final class CheckpointResumeTests: XCTestCase {
    /// Two optimizers on a double well with every observation, traces and stored samples;
    /// every finished group is written at once (checkpoint_seconds: 0).
    static let config = """
        name: resume
        seed: 9
        objective: {type: double-well, barrier: 1, tilt: 0.2, curvature: [1.0]}
        noise: {type: gaussian, std: 1.0}
        init: {type: gaussian, mean: [1, 0], std: [0.3, 0.3]}
        chains: 2560
        steps: 1500
        burn_in: 500
        divergence_bound: 4.0
        checkpoint_seconds: 0
        optimizers:
          - {label: sgd, type: sgd, lr: 0.05}
          - {label: momentum, type: sgd, lr: 0.01, momentum: 0.9}
        output: {samples: final, trace_chains: 2}

        """

    /// Snapshots are written phase by phase, 256 groups each: the first optimizer's burn-in
    /// and recording, then the second's burn-in; the stop comes after 20 recorded groups of
    /// the second optimizer.
    static let groups = 256, recordedBeforeStop = 20
    static let stopAfter = 3 * groups + recordedBeforeStop

    /// The uninterrupted run, made once for all the tests of this class.
    nonisolated(unsafe) static var reference: URL?
    static let referenceLock = NSLock()

    func referenceRun() throws -> URL {
        Self.referenceLock.lock()
        defer { Self.referenceLock.unlock() }
        if let reference = Self.reference { return reference }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("optcloud-resume-reference-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let config = work.appendingPathComponent("resume.yaml")
        try Data(Self.config.utf8).write(to: config)
        let result = try Optcloud.run(["run", config.path, "--out", "full", "--quiet", "--threads", "2"], in: work, timeout: 120)
        XCTAssertEqual(result.status, 0, result.diagnostic)
        let out = work.appendingPathComponent("full")
        Self.reference = out
        return out
    }

    override class func tearDown() {
        if let reference { try? FileManager.default.removeItem(at: reference.deletingLastPathComponent()) }
        super.tearDown()
    }

    func makeConfig(_ work: URL) throws -> String {
        let path = work.appendingPathComponent("resume.yaml")
        try Data(Self.config.utf8).write(to: path)
        return path.path
    }

    func snapshots(_ out: URL, _ prefix: String) -> Int {
        directoryListing(out.appendingPathComponent("checkpoint")).filter { $0.hasPrefix(prefix) && $0.hasSuffix(".snap") }.count
    }

    /// Runs on one thread and stops with `signal` (KILL or INT) right after the second
    /// optimizer's 20th recorded group is written.
    func interruptedRun(_ work: URL, signal: String) throws -> (URL, OptcloudResult) {
        let out = work.appendingPathComponent("out")
        let result = try Optcloud.run(["run", try makeConfig(work), "--out", out.path, "--threads", "1"], in: work,
                                      environment: ["OPTCLOUD_TEST_STOP_AFTER_SNAPSHOTS": String(Self.stopAfter),
                                                    "OPTCLOUD_TEST_STOP_SIGNAL": signal], timeout: 120)
        XCTAssertFalse(result.timedOut, result.diagnostic)
        XCTAssertEqual(snapshots(out, "opt0-recording-"), Self.groups, "the first optimizer finished")
        XCTAssertEqual(snapshots(out, "opt1-burnin-"), Self.groups, "the second optimizer's burn-in finished")
        let recorded = snapshots(out, "opt1-recording-")
        if signal == "KILL" {
            XCTAssertEqual(recorded, Self.recordedBeforeStop, "killed right after the 20th recorded group")
        } else {
            // SIGINT stops the run within the group being simulated when the signal lands.
            XCTAssertGreaterThanOrEqual(recorded, Self.recordedBeforeStop)
            XCTAssertLessThan(recorded, Self.groups, "stopped part-way through the second optimizer")
        }
        return (out, result)
    }

    func resume(_ out: URL, in work: URL, extra: [String] = []) throws -> OptcloudResult {
        try Optcloud.run(["run", "--resume", out.path, "--quiet", "--threads", "2"] + extra, in: work, timeout: 120)
    }

    /// summary.json without the lines that time the run.
    func statistics(_ summary: URL) throws -> String {
        let text = String(decoding: try Data(contentsOf: summary), as: UTF8.self)
        let timing = try NSRegularExpression(pattern: #"^\s*"(wall_seconds|seconds|threads)": "#)
        return text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            let s = String(line)
            return timing.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) == nil
        }.joined(separator: "\n")
    }

    func assertSameOutputs(_ out: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let reference = try referenceRun()
        XCTAssertEqual(directoryListing(out), directoryListing(reference), "the same files, and no checkpoint left", file: file, line: line)
        for name in directoryListing(reference) where name != "summary.json" {
            let a = try Data(contentsOf: reference.appendingPathComponent(name)), b = try Data(contentsOf: out.appendingPathComponent(name))
            XCTAssertTrue(a == b, "\(name) differs from the uninterrupted run", file: file, line: line)
        }
        XCTAssertEqual(try statistics(out.appendingPathComponent("summary.json")),
                       try statistics(reference.appendingPathComponent("summary.json")), "summary.json statistics", file: file, line: line)
    }

    func testAKilledRunResumesToTheUninterruptedResult() throws {
        _ = try referenceRun()
        let work = try makeTemporaryDirectory(self)
        let (out, killed) = try interruptedRun(work, signal: "KILL")
        XCTAssertEqual(killed.reason, .uncaughtSignal)
        XCTAssertEqual(directoryListing(out).filter { !$0.hasPrefix(".") }, ["checkpoint"], "a killed run leaves only its checkpoint")
        let resumed = try resume(out, in: work)
        XCTAssertEqual(resumed.status, 0, resumed.diagnostic)
        try assertSameOutputs(out)
        XCTAssertEqual(directoryListing(work), ["out", "resume.yaml"], "nothing left beside the output")
    }

    func testAnInterruptedRunKeepsItsResultsSoFarAndResumes() throws {
        _ = try referenceRun()
        let work = try makeTemporaryDirectory(self)
        let (out, interrupted) = try interruptedRun(work, signal: "INT")
        XCTAssertEqual(interrupted.reason, .exit, interrupted.diagnostic)
        XCTAssertEqual(interrupted.status, 130, interrupted.diagnostic)
        XCTAssertEqual(interrupted.stderrLines.count, 1, interrupted.diagnostic)
        XCTAssertTrue(interrupted.stderr.hasPrefix("optcloud: error: interrupted by signal 2;"), interrupted.diagnostic)
        XCTAssertTrue(interrupted.stderr.contains("--resume \(out.path)"), interrupted.diagnostic)
        for signature in crashSignatures { XCTAssertFalse(interrupted.stderr.contains(signature), interrupted.diagnostic) }
        // The partial results: the finished optimizer, and where the run stopped.
        let summary = try RunOutput.json(out.appendingPathComponent("summary.json"))
        XCTAssertEqual(summary["complete"] as? Bool, false)
        let stop = try XCTUnwrap(summary["interrupted"] as? [String: Any])
        XCTAssertEqual(stop["optimizer"] as? String, "momentum")
        XCTAssertEqual(RunOutput.number(stop["signal"]), 2)
        XCTAssertEqual(RunOutput.number(stop["recorded_groups"]), Double(snapshots(out, "opt1-recording-")))
        XCTAssertEqual(RunOutput.number(stop["groups"]), Double(Self.groups))
        XCTAssertEqual((summary["optimizers"] as? [[String: Any]])?.compactMap { $0["label"] as? String }, ["sgd"])
        let reference = try referenceRun()
        XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("samples_sgd.npy")),
                       try Data(contentsOf: reference.appendingPathComponent("samples_sgd.npy")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("samples_momentum.npy").path))
        // Without --resume the directory is refused, and the hint names --resume.
        let again = try Optcloud.run(["run", try makeConfig(work), "--out", out.path], in: work)
        XCTAssertEqual(again.status, 2, again.diagnostic)
        XCTAssertTrue(again.stderr.contains("holds an interrupted run") && again.stderr.contains("--resume"), again.diagnostic)
        let resumed = try resume(out, in: work)
        XCTAssertEqual(resumed.status, 0, resumed.diagnostic)
        try assertSameOutputs(out)
    }

    /// A damaged snapshot (a kill in the middle of a write cannot make one, a disk can) is
    /// recognised by its checksum and its group simulated again.
    func testDamagedSnapshotsAreSimulatedAgain() throws {
        _ = try referenceRun()
        let work = try makeTemporaryDirectory(self)
        let (out, _) = try interruptedRun(work, signal: "KILL")
        let checkpoint = out.appendingPathComponent("checkpoint")
        let names = directoryListing(checkpoint).filter { $0.hasSuffix(".snap") }
        for name in names.prefix(3) {
            let url = checkpoint.appendingPathComponent(name)
            var data = try Data(contentsOf: url)
            data[data.count / 2] ^= 0xFF
            try data.write(to: url)
        }
        try Data().write(to: checkpoint.appendingPathComponent(names[5]))
        let resumed = try resume(out, in: work)
        XCTAssertEqual(resumed.status, 0, resumed.diagnostic)
        try assertSameOutputs(out)
    }

    func testResumeRefusesAnotherConfigAndBadDirectories() throws {
        let work = try makeTemporaryDirectory(self)
        let (out, _) = try interruptedRun(work, signal: "KILL")
        let config = try makeConfig(work)
        func expectUsageError(_ arguments: [String], mentions: [String], line: UInt = #line) throws {
            let result = try Optcloud.run(arguments, in: work)
            XCTAssertEqual(result.status, 2, result.diagnostic, line: line)
            XCTAssertEqual(result.stderrLines.count, 1, result.diagnostic, line: line)
            for mention in mentions { XCTAssertTrue(result.stderr.contains(mention), "'\(mention)': \(result.diagnostic)", line: line) }
        }
        try expectUsageError(["run", config, "--resume", out.path, "--seed", "10"], mentions: ["--resume", "another config"])
        try expectUsageError(["run", "--resume", out.path, "--set", "chains=10"], mentions: ["CONFIG"])
        try expectUsageError(["run", "--resume", out.path, "--out", "elsewhere"], mentions: ["--out"])
        try expectUsageError(["run", "--resume", out.path, "--force"], mentions: ["--force"])
        try expectUsageError(["run", "--resume", work.appendingPathComponent("missing").path], mentions: ["--resume", "does not exist"])
        try expectUsageError(["run", "--resume", work.path], mentions: ["--resume", "no checkpoint"])
        try expectUsageError(["run"], mentions: ["<config>"])
        // --force does not empty a directory optcloud did not write.
        let foreign = work.appendingPathComponent("foreign")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: false)
        try Data("keep\n".utf8).write(to: foreign.appendingPathComponent("notes.txt"))
        try expectUsageError(["run", config, "--out", foreign.path, "--force"], mentions: ["--force", "did not write"])
        XCTAssertEqual(directoryListing(foreign), ["notes.txt"])
        // The same config (also given explicitly) resumes.
        let resumed = try Optcloud.run(["run", config, "--resume", out.path, "--quiet"], in: work, timeout: 120)
        XCTAssertEqual(resumed.status, 0, resumed.diagnostic)
    }
}
