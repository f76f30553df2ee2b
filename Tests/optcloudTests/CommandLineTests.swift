import Foundation
import Experiments
import XCTest

/// SPEC §2: `validate`, `theory`, `--version`, `--help`, `--set`, `--quiet`.
final class CommandLineTests: XCTestCase {
    /// A successful run of optcloud: exit 0 without a crash.
    private func succeed(_ arguments: [String], in directory: URL, file: StaticString = #filePath, line: UInt = #line) throws -> OptcloudResult {
        let result = try Optcloud.run(arguments, in: directory, file: file, line: line)
        XCTAssertEqual(result.reason, .exit, result.diagnostic, file: file, line: line)
        XCTAssertEqual(result.status, 0, result.diagnostic, file: file, line: line)
        for signature in crashSignatures {
            XCTAssertFalse(result.stderr.contains(signature), "crash signature: \(result.diagnostic)", file: file, line: line)
        }
        return result
    }

    /// The JSON document at the start of `validate`'s output (the resolved config), before the
    /// estimate lines.
    private func leadingJSON(_ stdout: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == "{", let end = lines.firstIndex(of: "}") else {
            XCTFail("validate does not print the resolved config as a JSON object first:\n\(stdout.prefix(500))", file: file, line: line)
            throw RunOutput.Malformed(description: "no JSON")
        }
        return try RunOutput.jsonObject(Data(lines[...end].joined(separator: "\n").utf8), what: "validate output")
    }

    func testValidatePrintsTheResolvedConfigWithDefaults() throws {
        let work = try makeTemporaryDirectory(self)
        let result = try succeed(["validate", try TestConfigs.path("minimal.yaml")], in: work)
        let config = try leadingJSON(result.stdout)
        XCTAssertEqual(config["name"] as? String, "minimal", "default name: the config file's base name")
        XCTAssertEqual(RunOutput.number(config["seed"]), 0, "default seed")
        XCTAssertEqual(RunOutput.number(config["chains"]), 1000, "default chains")
        XCTAssertEqual(RunOutput.number(config["steps"]), 1000, "default steps")
        XCTAssertEqual(RunOutput.number(config["burn_in"]), 500, "default burn_in")
        XCTAssertEqual(RunOutput.number(config["thin"]), 1, "default thin")
        XCTAssertEqual(RunOutput.number(config["divergence_bound"]), 1e12, "default divergence_bound")
        XCTAssertEqual(config["common_random_numbers"] as? Bool, true, "default common_random_numbers")
        XCTAssertTrue(result.stdout.contains("\"thin\": 1"), "validate prints \"thin\": 1")
        XCTAssertEqual((config["noise"] as? [String: Any])?["type"] as? String, "none", "default noise")
        let initial = config["init"] as? [String: Any]
        XCTAssertEqual(initial?["type"] as? String, "point", "default init")
        XCTAssertEqual(RunOutput.numbers(initial?["at"]), [0, 0], "default init at the origin")
        let objective = config["objective"] as? [String: Any]
        XCTAssertEqual(objective?["type"] as? String, "quadratic")
        XCTAssertEqual(RunOutput.numbers(objective?["minimum"]), [0, 0], "default minimum")
        XCTAssertEqual(RunOutput.matrix(objective?["hessian"]), [[1, 0], [0, 2]], "the Hessian of diagonal: [1, 2]")
        let optimizers = config["optimizers"] as? [[String: Any]]
        XCTAssertEqual(optimizers?.count, 1, "\"optimizers\" in the resolved config")
        let sgd = optimizers?.first
        XCTAssertEqual(sgd?["label"] as? String, "sgd", "default label: the type")
        XCTAssertEqual(RunOutput.number(sgd?["lr"]), 0.1)
        XCTAssertEqual(RunOutput.number(sgd?["momentum"]), 0, "default momentum")
        XCTAssertEqual(RunOutput.number(sgd?["dampening"]), 0, "default dampening")
        XCTAssertEqual(sgd?["nesterov"] as? Bool, false, "default nesterov")
        XCTAssertEqual(RunOutput.number(sgd?["weight_decay"]), 0, "default weight_decay (one value for all coordinates)")
        XCTAssertEqual((sgd?["schedule"] as? [String: Any])?["type"] as? String, "constant", "default schedule")
        let histogram = (config["statistics"] as? [String: Any])?["histogram"] as? [String: Any]
        XCTAssertEqual(RunOutput.number(histogram?["bins"]), 60, "default bins")
        XCTAssertEqual(RunOutput.matrix((config["statistics"] as? [String: Any])?["pairs"]), [[0, 1]], "default pairs")
        XCTAssertEqual((config["output"] as? [String: Any])?["samples"] as? String, "final", "default samples")
        XCTAssertTrue(result.stdout.contains("estimated memory"), "validate estimates memory")
        XCTAssertTrue(result.stdout.contains("estimated time"), "validate estimates time")
        XCTAssertEqual(directoryListing(work), [], "validate writes nothing")
    }

    func testValidateAppliesOverrides() throws {
        let work = try makeTemporaryDirectory(self)
        let result = try succeed(["validate", try TestConfigs.path("small.yaml"), "--set", "optimizers.1.lr=0.03",
                                  "--chains", "123", "--set", "noise.std=0.25"], in: work)
        let config = try leadingJSON(result.stdout)
        XCTAssertEqual(RunOutput.number(config["chains"]), 123)
        let optimizers = config["optimizers"] as? [[String: Any]]
        XCTAssertEqual(optimizers?.compactMap { RunOutput.number($0["lr"]) }, [0.1, 0.03])
        XCTAssertEqual(RunOutput.matrix((config["noise"] as? [String: Any])?["covariance"]), [[0.0625, 0], [0, 0.0625]])
    }

    func testTheoryPrintsTheStationaryCovarianceOfSGD() throws {
        let work = try makeTemporaryDirectory(self)
        let result = try succeed(["theory", try TestConfigs.path("small.yaml"), "--json"], in: work)
        let document = try RunOutput.jsonObject(Data(result.stdout.utf8), what: "theory output")
        let optimizers = document["optimizers"] as? [[String: Any]] ?? []
        XCTAssertEqual(optimizers.compactMap { $0["label"] as? String }, OutputFilesTests.labels)
        for entry in optimizers {
            let label = entry["label"] as? String ?? "?"
            guard let covariance = RunOutput.matrix(entry["covariance"]), covariance.map(\.count) == [2, 2] else {
                XCTFail("\(label): theory has no 2×2 covariance: \(entry)"); continue
            }
            XCTAssertEqual(covariance[0][1], covariance[1][0], accuracy: 1e-12, "\(label): symmetric")
            XCTAssertGreaterThan(covariance[0][0], 0)
            XCTAssertGreaterThan(covariance[1][1], 0)
        }
        // Plain SGD, lr = 0.1, isotropic noise σ² = 0.25 on H = Q diag(1, 4) Qᵀ: the discrete
        // Lyapunov solution has trace Σ_i lr·σ²/(λ_i(2 − lr·λ_i)).
        if let sgd = RunOutput.matrix(optimizers.first?["covariance"]), sgd.map(\.count) == [2, 2] {
            let expected = 0.1 * 0.25 / (1 * (2 - 0.1 * 1)) + 0.1 * 0.25 / (4 * (2 - 0.1 * 4))
            XCTAssertEqual(sgd[0][0] + sgd[1][1], expected, accuracy: 1e-12, "trace of SGD's stationary covariance")
        }
        XCTAssertEqual(directoryListing(work), [], "theory without --out writes nothing")
    }

    func testTheoryOutWritesTheSameDocument() throws {
        let work = try makeTemporaryDirectory(self)
        let file = work.appendingPathComponent("theory-out.json")
        let result = try succeed(["theory", try TestConfigs.path("small.yaml"), "--json", "--out", file.path], in: work)
        let written = try RunOutput.text(file)
        XCTAssertEqual(written, result.stdout, "--out writes what theory --json prints")
        let document = try RunOutput.json(file)
        XCTAssertNotNil((document["optimizers"] as? [[String: Any]])?.first?["covariance"], "covariance in the written file")
        XCTAssertEqual(directoryListing(work), ["theory-out.json"])
    }

    /// The simulated covariance of `run` against the exact discrete Lyapunov covariance that
    /// `theory` prints: every entry within 5 of the standard errors summary.json reports
    /// (cluster-robust over 256 replicate groups), and theory.json's z-scores are the same.
    func testSimulatedCovarianceAgreesWithTheory() throws {
        let work = try makeTemporaryDirectory(self)
        let config = try TestConfigs.path("small.yaml")
        let theory = try RunOutput.jsonObject(Data(try succeed(["theory", config, "--json"], in: work).stdout.utf8), what: "theory")
        let out = try RunOutput.run(config, in: work, extra: ["--threads", "2"])
        let summary = try RunOutput.json(out.appendingPathComponent("summary.json"))
        let written = try RunOutput.json(out.appendingPathComponent("theory.json"))["optimizers"] as? [[String: Any]] ?? []
        let predicted = theory["optimizers"] as? [[String: Any]] ?? []
        let simulated = summary["optimizers"] as? [[String: Any]] ?? []
        XCTAssertEqual(predicted.count, 2)
        XCTAssertEqual(simulated.count, 2)
        XCTAssertEqual(written.count, 2)
        for ((p, s), w) in zip(zip(predicted, simulated), written) {
            let label = s["label"] as? String ?? "?"
            guard let a = RunOutput.matrix(p["covariance"]), let b = RunOutput.matrix(s["covariance"]),
                  let se = RunOutput.matrix(s["covariance_stderr"]),
                  a.map(\.count) == [2, 2], b.map(\.count) == [2, 2], se.map(\.count) == [2, 2] else {
                XCTFail("\(label): covariances missing"); continue
            }
            var worst = 0.0
            for i in 0..<2 {
                for j in 0..<2 {
                    let z = (b[i][j] - a[i][j]) / se[i][j]
                    XCTAssertLessThan(abs(z), 5, "\(label): simulated \(b[i][j]) vs theoretical \(a[i][j]) ± \(se[i][j]) (\(i), \(j))")
                    // The standard errors are small enough for the comparison to mean something.
                    if i == j { XCTAssertLessThan(se[i][j], 0.05 * a[i][j], "\(label): standard error of the variance (\(i))") }
                    worst = max(worst, abs(z))
                }
            }
            let reported = RunOutput.number((w["theory"] as? [String: Any])?["max_abs_z"])
            XCTAssertEqual(reported ?? .nan, worst, accuracy: 1e-9 * max(1, worst), "\(label): theory.json max_abs_z")
        }
    }

    func testVersion() throws {
        let work = try makeTemporaryDirectory(self)
        let result = try succeed(["--version"], in: work)
        XCTAssertEqual(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines), RunResult.version)
    }

    func testHelp() throws {
        let work = try makeTemporaryDirectory(self)
        let top = try succeed(["--help"], in: work)
        for subcommand in ["run", "validate", "theory"] {
            XCTAssertTrue(top.stdout.contains(subcommand), "--help lists \(subcommand):\n\(top.stdout)")
        }
        XCTAssertTrue(top.stdout.contains("USAGE"), "--help shows usage")
        let run = try succeed(["run", "--help"], in: work)
        for option in ["--chains", "--steps", "--burn-in", "--thin", "--seed", "--threads", "--out", "--set", "--force", "--quiet"] {
            XCTAssertTrue(run.stdout.contains(option), "run --help documents \(option)")
        }
        XCTAssertEqual(directoryListing(work), [])
    }

    func testSetOverridesTheLearningRateInTheRun() throws {
        let work = try makeTemporaryDirectory(self)
        let out = try RunOutput.run(try TestConfigs.path("small.yaml"), in: work,
                                    extra: ["--set", "optimizers.0.lr=0.05", "--chains", "200", "--steps", "100", "--burn-in", "50",
                                            "--thin", "5", "--threads", "2"])
        let summary = try RunOutput.json(out.appendingPathComponent("summary.json"))
        let config = summary["config"] as? [String: Any]
        let optimizers = config?["optimizers"] as? [[String: Any]]
        XCTAssertEqual(RunOutput.number(optimizers?.first?["lr"]), 0.05, "--set optimizers.0.lr=0.05 in summary.json's config")
        XCTAssertEqual(RunOutput.number(optimizers?.last?["lr"]), 0.02, "the other optimizer keeps its lr")
        XCTAssertEqual(RunOutput.number(config?["chains"]), 200)
        XCTAssertEqual(RunOutput.number(config?["steps"]), 100)
        XCTAssertEqual(RunOutput.number(config?["burn_in"]), 50)
        XCTAssertEqual(RunOutput.number(config?["thin"]), 5)
        let results = summary["optimizers"] as? [[String: Any]] ?? []
        for entry in results {
            XCTAssertEqual(RunOutput.number(entry["chains"]), 200, "chains from --chains")
            XCTAssertEqual(RunOutput.number(entry["samples"]), 200 * 10, "samples = chains · (steps − burn_in) / thin")
        }
    }

    func testQuietPrintsNothing() throws {
        let work = try makeTemporaryDirectory(self)
        let config = try TestConfigs.path("small.yaml")
        let short = ["--chains", "200", "--steps", "100", "--burn-in", "50", "--threads", "2"]
        let quiet = try succeed(["run", config, "--out", work.appendingPathComponent("quiet").path, "--quiet"] + short, in: work)
        XCTAssertEqual(quiet.stdout, "", "--quiet prints nothing on stdout")
        XCTAssertEqual(quiet.stderr, "", "--quiet prints nothing on stderr when it is not a terminal")
        XCTAssertTrue(FileManager.default.fileExists(atPath: work.appendingPathComponent("quiet/summary.json").path),
                      "--quiet still writes the output")
        // Without --quiet the summary table and the output path are printed.
        let loud = try succeed(["run", config, "--out", work.appendingPathComponent("loud").path] + short, in: work)
        for label in OutputFilesTests.labels {
            XCTAssertTrue(loud.stdout.contains(label), "the summary table names \(label):\n\(loud.stdout)")
        }
        XCTAssertTrue(loud.stdout.contains("loud"), "the output directory is named:\n\(loud.stdout)")
        // Only warnings about the clouds (these 50-draw chains are too short for R̂), no progress bar.
        XCTAssertTrue(loud.stderrLines.allSatisfy { $0.hasPrefix("optcloud: warning: ") } && !loud.stderr.contains("\r"),
                      "no progress bar when stderr is not a terminal:\n\(loud.stderr)")
    }

    /// Without --threads a run uses the CPUs of its affinity mask (SPEC §8.2): under
    /// `taskset -c 0` one thread, as summary.json records it.
    func testDefaultThreadsAreTheCPUsOfTheAffinityMask() throws {
        let work = try makeTemporaryDirectory(self)
        let config = try TestConfigs.path("small.yaml")
        let taskset = ["/usr/bin/taskset", "/bin/taskset"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let path = try XCTUnwrap(taskset, "taskset (util-linux) is part of every Debian system")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-c", "0", try Optcloud.requireExecutable().path, "run", config, "--out",
                             work.appendingPathComponent("one").path, "--quiet", "--chains", "200", "--steps", "100", "--burn-in", "50"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let summary = try RunOutput.json(work.appendingPathComponent("one/summary.json"))
        XCTAssertEqual(RunOutput.number(summary["threads"]), 1)
    }

    /// `--seed S` takes any unsigned 64-bit seed (the generator's seed type); the largest
    /// must be accepted and recorded as given, not rejected nor wrapped to −1.
    func testLargestSeedIsAcceptedAndRecorded() throws {
        let work = try makeTemporaryDirectory(self)
        let result = try Optcloud.run(["validate", try TestConfigs.path("small.yaml"), "--seed", "18446744073709551615"], in: work)
        XCTAssertEqual(result.reason, .exit, result.diagnostic)
        XCTAssertEqual(result.status, 0, "--seed 18446744073709551615: \(result.diagnostic)")
        XCTAssertTrue(result.stdout.contains("\"seed\": 18446744073709551615"), "the resolved config records the seed:\n\(result.stdout.prefix(300))")
    }
}
