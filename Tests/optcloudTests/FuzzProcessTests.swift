import Experiments
import Foundation
import XCTest

/// Issue 6, layer 2: mutated configs and fuzzed command lines through the real executable.
/// Every process must end by exit (never a signal or a time-out) with status 0, 1 or 2, print
/// no crash signature, answer a failure with exactly one `optcloud: error:` line and nothing
/// on standard output, and leave no output directory, partial file or hidden
/// `.NAME.partial-*` staging directory behind after a failure (but for a run whose every
/// optimizer diverged, exit 1 with its results written).
///
/// The in-process reading of the same file (`FuzzOracle`) predicts the answer: a config it
/// rejects must give status 2 with exactly its message, a config it accepts status 0 from
/// `validate` and 0 or 1 from `run`. A crash whose report shows an open `KnownIssue` is
/// counted, not failed on again (there are none open). `run` cases are sized in-process first: a mutant whose
/// estimated run time exceeds a second (a mutation can turn `steps: 20` into 4294967295) is
/// validated instead of run, and every process is killed after 60 s (reported as a hang) and
/// runs under `ulimit -v` (8 GB), so no case can take the machine down.
///
/// Reproduce one case: `OPTCLOUD_FUZZ_CASE=N swift test … --filter FuzzProcessTests/<test>`.
final class FuzzProcessTests: XCTestCase {
    static let validateStream: UInt64 = 2
    static let runStream: UInt64 = 3
    static let commandLineStream: UInt64 = 4
    static let memoryLimit = "ulimit -v 8000000"
    static let timeout: TimeInterval = 60

    func testMutatedConfigsThroughValidate() throws {
        let mutator = try ConfigMutator(allowSpecialFiles: true)
        let work = try makeTemporaryDirectory(self)
        try FuzzDirectory.populate(work)
        let cases = FuzzEnvironment.cases(default: 320)
        var tally = Tally(), failures = 0
        let start = Date()
        for number in cases {
            let input = mutator.input(number, stream: Self.validateStream)
            var rng = SplitMix64.forCase(number, stream: Self.validateStream ^ 0xFF)
            let path = work.appendingPathComponent("case.yaml").path
            try input.bytes.write(to: URL(fileURLWithPath: path))
            let assignments = rng.chance(0.1) ? (0..<rng.int(in: 1...2)).map { _ in mutator.randomAssignment(&rng) } : []
            let expected = FuzzOracle.predict(path: path, overrides: assignments.map { .init($0) })
            let before = FuzzDirectory.listing(work)
            let arguments = ["validate", path] + assignments.map { "--set=\($0)" }
            let result = try Optcloud.run(arguments, in: work, shellPrefix: Self.memoryLimit, timeout: Self.timeout)
            tally.add(result)
            if tally.knownCrash(result, in: work) { continue }
            var complaints = Self.answerComplaints(result)
            if FuzzDirectory.listing(work) != before { complaints.append("validate changed the working directory") }
            switch expected {
            case .accepted(_, let resolved):
                if result.status != 0 { complaints.append("the config is valid in-process but validate exited with \(result.status)") }
                if result.status == 0, !result.stdout.hasPrefix(resolved) {
                    complaints.append("validate printed something else than the resolved config")
                }
            case .rejected(let error):
                let line = "optcloud: error: \(error.description)\n"
                if result.status != 2 || result.stderr != line {
                    complaints.append("expected status 2 and exactly '\(line.prefix(500))'")
                }
            case .otherError(let description):
                complaints.append("in-process the config fails with an error that is not a ConfigError: \(description)")
            }
            try? FileManager.default.removeItem(atPath: path)
            failures += report(complaints, result, input)
            if failures > 10 { XCTFail("stopping after 10 failing cases"); break }
        }
        print("fuzz validate (executable): \(cases.count) mutated configs, \(tally), \(Self.seconds(since: start))")
    }

    func testMutatedConfigsThroughRun() throws {
        let mutator = try ConfigMutator(allowSpecialFiles: true)
        let work = try makeTemporaryDirectory(self)
        try FuzzDirectory.populate(work)
        let cases = FuzzEnvironment.cases(default: 320)
        var tally = Tally(), failures = 0, demoted = 0, ran = 0
        let start = Date()
        for number in cases {
            // One or two tree mutations: more mutants stay valid and really run.
            let input = mutator.input(number, stream: Self.runStream, treeMutations: 1...2, textChance: 0.15, extremeChance: 0.3)
            var rng = SplitMix64.forCase(number, stream: Self.runStream ^ 0xFF)
            let path = work.appendingPathComponent("case.yaml").path
            try input.bytes.write(to: URL(fileURLWithPath: path))
            let expected = FuzzOracle.predict(path: path, overrides: [])
            var command = "run"
            if case .accepted(let config, _) = expected {
                let estimate = ResourceEstimate(config, threads: 1)
                let work = Double(config.optimizers.count) * Double(config.chains) * Double(config.steps) * Double(config.dimension)
                if estimate.seconds > 1 || work > 3e7 || estimate.bytes > 1e9 {
                    command = "validate"
                    demoted += 1
                }
            }
            let useOut = rng.chance(0.85)
            var arguments = [command, path]
            if command == "run" {
                ran += 1
                arguments += ["--threads", "1"] + (useOut ? ["--out", "out"] : []) + (rng.chance(0.5) ? ["--quiet"] : [])
            }
            let before = FuzzDirectory.listing(work)
            let result = try Optcloud.run(arguments, in: work, shellPrefix: Self.memoryLimit, timeout: Self.timeout)
            tally.add(result)
            defer {
                try? FileManager.default.removeItem(at: work.appendingPathComponent("out"))
                try? FileManager.default.removeItem(at: work.appendingPathComponent("output"))
                try? FileManager.default.removeItem(atPath: path)
            }
            if tally.knownCrash(result, in: work) { continue }
            var complaints = Self.answerComplaints(result)
            let after = FuzzDirectory.listing(work)
            switch expected {
            case .accepted(let config, _):
                let memoryRefusal = result.status == 2 && result.stderr.contains("of memory but")
                if command == "validate", result.status != 0 {
                    complaints.append("the config is valid in-process but validate exited with \(result.status)")
                } else if command == "run", ![0, 1].contains(result.status), !memoryRefusal {
                    complaints.append("the config is valid in-process but run exited with \(result.status)")
                }
                if command == "run", result.status == 0 {
                    let out = useOut ? "out" : "output/\(config.name)"
                    if !after.contains("\(out)/summary.json") { complaints.append("run succeeded without writing \(out)/summary.json") }
                }
            case .rejected(let error):
                let line = "optcloud: error: \(error.description)\n"
                if result.status != 2 || result.stderr != line {
                    complaints.append("expected status 2 and exactly '\(line.prefix(500))'")
                }
            case .otherError(let description):
                complaints.append("in-process the config fails with an error that is not a ConfigError: \(description)")
            }
            // Every optimizer diverging entirely is exit 1 with the results written (a result,
            // not a crash): its output directory is no leftover.
            let everyOptimizerDiverged = result.status == 1 && result.stderr.contains("every chain of every optimizer diverged")
            if everyOptimizerDiverged, !after.contains(where: { $0.hasSuffix("/summary.json") }) {
                complaints.append("every optimizer diverged but no summary.json was written")
            }
            if result.status != 0, !everyOptimizerDiverged, let left = Self.leftBehind(before: before, after: after, in: work) {
                complaints.append("a failed \(command) left \(left) behind")
            }
            if let partial = after.first(where: { $0.contains(".partial-") || $0.contains(".old-") }) {
                complaints.append("a staging directory was left behind: \(partial)")
            }
            failures += report(complaints, result, input)
            if failures > 10 { XCTFail("stopping after 10 failing cases"); break }
        }
        if cases.count >= 100 { XCTAssertGreaterThan(tally.statuses[0, default: 0], 0, "no mutant ran successfully") }
        print("fuzz run (executable): \(cases.count) mutated configs, \(ran) run and \(demoted) too large to run so validated, "
              + "\(tally), \(Self.seconds(since: start))")
    }

    func testFuzzedCommandLines() throws {
        let mutator = try ConfigMutator()
        let cases = FuzzEnvironment.cases(default: 200)
        var tally = Tally(), failures = 0
        let start = Date()
        for number in cases {
            var rng = SplitMix64.forCase(number, stream: Self.commandLineStream)
            let work = try makeTemporaryDirectory(self)
            try FuzzDirectory.populate(work)
            try Self.tinyConfig.write(to: work.appendingPathComponent("tiny.yaml"), atomically: true, encoding: .utf8)
            try Data().write(to: work.appendingPathComponent("empty.yaml"))
            try Data("not: [a config".utf8).write(to: work.appendingPathComponent("existing-file"))
            try FileManager.default.createDirectory(at: work.appendingPathComponent("existing-dir"), withIntermediateDirectories: false)
            let arguments = Self.commandLine(&rng, mutator: mutator, work: work)
            let before = FuzzDirectory.listing(work)
            let siblings = Self.stagingSiblings(of: work)
            let result = try Optcloud.run(arguments, in: work, shellPrefix: Self.memoryLimit, timeout: Self.timeout)
            tally.add(result)
            if tally.knownCrash(result, in: work) { continue }
            var complaints = Self.answerComplaints(result, progress: arguments.contains("--progress"))
            let after = FuzzDirectory.listing(work)
            let everyOptimizerDiverged = result.status == 1 && result.stderr.contains("every chain of every optimizer diverged")
            if result.status != 0, !everyOptimizerDiverged, let left = Self.leftBehind(before: before, after: after, in: work) {
                complaints.append("a failed command left \(left) behind")
            }
            if let partial = after.first(where: { $0.contains(".partial-") || $0.contains(".old-") }) {
                complaints.append("a staging directory was left behind: \(partial)")
            }
            if Self.stagingSiblings(of: work) != siblings { complaints.append("a staging directory was left beside the working directory") }
            let input = FuzzInput(stream: Self.commandLineStream, number: number, seed: "tiny.yaml (Configs/small.yaml, 16 chains × 20 steps)",
                                  mutations: ["command line: " + arguments.map { "'\($0.prefix(100))'" }.joined(separator: " ")],
                                  bytes: Data(Self.tinyConfig.utf8))
            failures += report(complaints, result, input)
            if failures > 10 { XCTFail("stopping after 10 failing cases"); break }
        }
        print("fuzz command line (executable): \(cases.count) argument vectors, \(tally), \(Self.seconds(since: start))")
    }

    // MARK: command lines

    static let tinyConfig = """
        name: tiny
        seed: 7
        objective: {type: quadratic, eigenvalues: [1.0, 4.0], rotation_seed: 3, minimum: [1.0, -0.5]}
        noise: {type: gaussian, std: 0.5}
        chains: 16
        steps: 20
        burn_in: 10
        optimizers:
          - {label: sgd, type: sgd, lr: 0.1}
          - {label: momentum, type: sgd, lr: 0.02, momentum: 0.9}

        """

    /// A random argument vector. Every path it names lies inside `work` (an `--out` that
    /// resolves elsewhere could, with --force, replace a real directory), except read-only
    /// config paths such as /dev/zero.
    static func commandLine(_ rng: inout SplitMix64, mutator: ConfigMutator, work: URL) -> [String] {
        let configs = ["tiny.yaml", "tiny.yaml", "tiny.yaml", work.appendingPathComponent("tiny.yaml").path, "empty.yaml", "existing-file",
                       "existing-dir", "missing.yaml", "", "-", "/dev/null", "/dev/zero", "/dev/urandom", "/proc/self/status", "/etc",
                       "tiny.yaml/x", String(repeating: "x", count: 5000) + ".yaml", "line\nbreak.yaml", "\u{1B}[2J.yaml", "data"]
        let values: [String: [String]] = [
            "--chains": ["-1", "0", "1", "7", "16", "4294967295", "4294967296", "99999999999999999999", "1e3", "abc", "", "0x10", "١٢",
                         "+5", " 5", "1.5", "-0", "nan"],
            "--steps": ["-1", "0", "1", "2", "5", "20", "4294967296", "99999999999999999999", "1e400", "nan", "", "x"],
            "--burn-in": ["-1", "0", "1", "10", "19", "20", "21", "4294967296", "", "x"],
            "--thin": ["0", "1", "2", "10", "11", "-2", "99999999999999999999", ""],
            "--seed": ["-1", "0", "42", "18446744073709551615", "18446744073709551616", "x", "", "1e3"],
            "--threads": ["0", "1", "2", "-3", "64", "1024", "1025", "99999999999999999999", "x", ""],
            "--out": ["out", "nested/deep/out", "existing-file", "existing-dir", "", "out/", "./out2", "ünï-out", "a b",
                      String(repeating: "o", count: 300), "out/../out3", "tiny.yaml", "existing-file/sub", "existing-dir/.."],
        ]
        let flags = ["--force", "--quiet", "--progress", "--markdown", "--help", "-h", "--version", "--bogus", "-x", "--chain",
                     "--CHAINS", "—chains", "--", "-", "--set", "--threads", "--out=", "--chains=3", "--steps=-1", "extra.yaml"]
        var arguments: [String]
        switch rng.below(20) {
        case 0..<9: arguments = ["run"]
        case 9..<13: arguments = ["validate"]
        case 13..<16: arguments = ["theory"]
        case 16, 17:
            arguments = ["list"]
            for _ in 0..<rng.int(in: 0...2) {
                arguments.append(rng.pick(["objectives", "noise", "optimizers", "schedules", "bogus", "", "--markdown", "OBJECTIVES", "--help"]))
            }
            return arguments
        default:
            return rng.pick([["--help"], ["--version"], ["help"], ["help", "run"], ["help", "bogus"], [], ["frobnicate"], ["RUN", "tiny.yaml"],
                             ["run", "--help"], ["bench", "--bogus-option"], ["bench", "--workload", "W9"], ["bench", "--dimension", "0"],
                             ["bench", "--help"], ["-"], ["--"], ["run", "--", "tiny.yaml"], ["validate", "--", "--chains"],
                             ["theory", "tiny.yaml", "tiny.yaml"], ["\u{0085}"], [String(repeating: "r", count: 10_000)]])
        }
        if rng.chance(0.9) { arguments.append(rng.pick(configs)) }
        for _ in 0..<rng.int(in: 0...4) {
            switch rng.below(10) {
            case 0..<6:
                var options = ["--chains", "--steps", "--burn-in", "--thin", "--seed"]
                if arguments[0] != "validate" { options.append("--out") }
                if arguments[0] == "run" { options.append("--threads") }
                let option = rng.pick(options)
                let value = rng.pick(values[option]!)
                if rng.chance(0.2) { arguments.append("\(option)=\(value)") } else { arguments += [option, value] }
            case 6, 7:
                arguments += ["--set", mutator.randomAssignment(&rng)]
            default:
                arguments.append(rng.pick(flags))
            }
        }
        return arguments
    }

    // MARK: checks

    /// The properties every answer must have, whatever the input.
    static func answerComplaints(_ result: OptcloudResult, progress: Bool = false) -> [String] {
        var complaints: [String] = []
        if result.timedOut { complaints.append("no answer within \(Int(timeout)) s (killed)") }
        if result.reason != .exit { complaints.append("terminated by signal \(result.status)") }
        if ![0, 1, 2].contains(result.status) { complaints.append("exit status \(result.status), expected 0, 1 or 2") }
        for signature in crashSignatures where result.stderr.contains(signature) || result.stdout.contains(signature) {
            complaints.append("crash signature '\(signature)'")
        }
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        if result.status != 0, !result.timedOut {
            if progress {
                if !(lines.last ?? "").hasPrefix("optcloud: error: ") { complaints.append("the last line of stderr is not 'optcloud: error: …'") }
            } else {
                if lines.count != 1 || !result.stderr.hasSuffix("\n") { complaints.append("stderr is not exactly one line") }
                if !(lines.first ?? "").hasPrefix("optcloud: error: ") { complaints.append("stderr does not start with 'optcloud: error: '") }
            }
            if !result.stdout.isEmpty { complaints.append("a failure printed on stdout") }
        }
        if result.status == 0, !progress, let other = lines.first(where: { !$0.hasPrefix("optcloud: warning: ") }) {
            complaints.append("a success printed '\(other.prefix(200))' on stderr")
        }
        return complaints
    }

    /// What a failed command added to `work`, if anything but empty directories: a run
    /// creates the parent of its output directory (`output/` for `output/<name>`) before it
    /// simulates and leaves it, empty, when the simulation fails (every chain diverged). That
    /// is not output and is tolerated here; files and the output directory itself are not.
    static func leftBehind(before: [String], after: [String], in work: URL) -> String? {
        let added = Set(after).subtracting(before).sorted()
        let offending = added.filter { name in
            var isDirectory: ObjCBool = false
            let path = work.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return true }
            // A directory is tolerated only if everything under it is an empty directory.
            return FileManager.default.enumerator(atPath: path).map { enumerator in
                (enumerator.allObjects as? [String] ?? []).contains { sub in
                    var isSubdirectory: ObjCBool = false
                    _ = FileManager.default.fileExists(atPath: path + "/" + sub, isDirectory: &isSubdirectory)
                    return !isSubdirectory.boolValue
                }
            } ?? true
        }
        // The output directory itself (out, output/<name>) must not exist even if empty.
        let outputs = added.filter { $0 == "out" || $0.hasPrefix("output/") || $0.hasSuffix("/out") || $0.contains(".partial-") }
        let bad = offending + outputs
        return bad.isEmpty ? nil : "\(bad.prefix(10))"
    }

    /// Hidden `.NAME.partial-*` / `.NAME.old-*` entries beside `directory`.
    static func stagingSiblings(of directory: URL) -> [String] {
        let parent = directory.deletingLastPathComponent()
        let prefix = "." + directory.lastPathComponent + "."
        return directoryListing(parent).filter { $0.hasPrefix(prefix) }
    }

    /// Fails the test with everything needed to reproduce the case; returns 1 if it failed.
    func report(_ complaints: [String], _ result: OptcloudResult, _ input: FuzzInput,
                file: StaticString = #filePath, line: UInt = #line) -> Int {
        if FuzzEnvironment.verbose { print("\(input.report)\n\(result.diagnostic)") }
        guard !complaints.isEmpty else { return 0 }
        XCTFail(complaints.joined(separator: "; ") + "\n\(result.diagnostic)\n\(input.report)", file: file, line: line)
        return 1
    }

    static func seconds(since start: Date) -> String { String(format: "%.1f s", Date().timeIntervalSince(start)) }

    /// Exit statuses and signals seen.
    struct Tally: CustomStringConvertible {
        var statuses: [Int32: Int] = [:]
        var signals = 0, timeouts = 0
        var known: [String: Int] = [:]

        mutating func add(_ result: OptcloudResult) {
            if result.timedOut { timeouts += 1 } else if result.reason != .exit { signals += 1 } else { statuses[result.status, default: 0] += 1 }
        }

        /// Whether `result` is a crash of an open known issue: counted, its leftovers
        /// (`.NAME.partial-*`) removed, and not reported again (FuzzReproducerTests fails on it).
        mutating func knownCrash(_ result: OptcloudResult, in work: URL) -> Bool {
            guard result.reason != .exit, !result.timedOut, let issue = KnownIssue.crash(in: result.stderr) else { return false }
            known[issue.id, default: 0] += 1
            for name in directoryListing(work) where name.contains(".partial-") {
                try? FileManager.default.removeItem(at: work.appendingPathComponent(name))
            }
            return true
        }

        var description: String {
            let codes = statuses.keys.sorted().map { "exit \($0): \(statuses[$0]!)" }.joined(separator: ", ")
            let knownText = known.isEmpty ? "" : " (known open issues: " + known.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }
                .joined(separator: ", ") + ")"
            return "\(codes), signals: \(signals)\(knownText), time-outs: \(timeouts)"
        }
    }
}
