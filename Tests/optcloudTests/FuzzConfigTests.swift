import Experiments
import Foundation
import XCTest

/// Issue 6, layer 1: ≥ 10 000 mutated configs through the entry point `optcloud validate`
/// uses (`ConfigLoader.load`, then the resolved config and the resource estimate it prints),
/// in this process. A trap anywhere in the config reader kills the test process, so a crash
/// cannot pass. Every rejection must be a `ConfigError` whose message is one line and names
/// the file (or the `--set` option the bad value came from) and holds no control character;
/// every acceptance must satisfy the invariants the engine relies on (`FuzzOracle`).
/// A second test sets every number of every seed config to each extreme value in turn.
///
/// Every input is read in this process: the fixed issues K1–K4 (`FuzzReproducerTests`)
/// no longer need routing to the executable or counting as known.
///
/// Reproduce one case: `OPTCLOUD_FUZZ_CASE=N swift test … --filter FuzzConfigTests/<test>`
/// prints its mutations and text. `OPTCLOUD_FUZZ_CASES=M` changes the number of random cases.
final class FuzzConfigTests: XCTestCase {
    static let stream: UInt64 = 1
    static let extremesStream: UInt64 = 5
    static let defaultCases = 10_000

    func testMutatedConfigsAreAnsweredInProcess() throws {
        XCTAssertGreaterThanOrEqual(Self.defaultCases, 10_000, "issue 6 asks for at least 10 000 cases")
        let mutator = try ConfigMutator()
        let cases = FuzzEnvironment.cases(default: Self.defaultCases)
        let tally = try answerInProcess(cases.lazy.map { mutator.input($0, stream: Self.stream) }, mutator: mutator,
                                        overrideStream: Self.stream)
        // The mutator must keep producing both outcomes, or it has stopped testing anything.
        if cases.count >= 1000 {
            XCTAssertGreaterThan(tally.accepted, cases.count / 20, "too few mutants are valid: the mutator is too destructive")
            XCTAssertGreaterThan(tally.rejected, cases.count / 2, "too few mutants are rejected: the mutator is too gentle")
        }
        print("fuzz in-process (random mutants): \(tally)")
    }

    /// Every number of every seed config set to each extreme value (1e308, 5e-324, −1e308,
    /// NaN, −∞, 0, 2³² − 1 …), one at a time.
    func testEveryNumberAtItsExtremesInProcess() throws {
        let mutator = try ConfigMutator()
        var inputs = mutator.extremeInputs(stream: Self.extremesStream)
        XCTAssertGreaterThan(inputs.count, 2000)
        if let one = ProcessInfo.processInfo.environment["OPTCLOUD_FUZZ_CASE"].flatMap(Int.init), inputs.indices.contains(one) {
            inputs = [inputs[one]]
        }
        let tally = try answerInProcess(inputs, mutator: mutator, overrideStream: nil)
        print("fuzz in-process (every number at its extremes): \(tally)")
    }

    struct Tally: CustomStringConvertible {
        var cases = 0, accepted = 0, rejected = 0, withOverrides = 0, failures = 0, longest = 0
        var kinds: [String: Int] = [:]
        var slowest = (seconds: 0.0, number: -1)
        var start = Date()

        var description: String {
            let top = kinds.sorted { $0.value > $1.value }.prefix(8).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            return "\(cases) cases (\(withOverrides) with --set), \(accepted) accepted, \(rejected) rejected with a ConfigError, "
                + "longest message \(longest) chars, slowest case \(slowest.number) "
                + "\(String(format: "%.2f", slowest.seconds)) s, \(String(format: "%.1f", Date().timeIntervalSince(start))) s; "
                + "rejections by kind: \(top)"
        }
    }

    /// Reads every input as `optcloud validate` would and checks the answer.
    func answerInProcess<Inputs: Sequence>(_ inputs: Inputs, mutator: ConfigMutator, overrideStream: UInt64?) throws -> Tally
        where Inputs.Element == FuzzInput {
        let work = try makeTemporaryDirectory(self)
        try FuzzDirectory.populate(work)
        var tally = Tally()
        for input in inputs {
            tally.cases += 1
            var rng = SplitMix64.forCase(input.number, stream: input.stream ^ 0xFF)
            // The file name is part of what is checked (it becomes the default run name).
            let name = rng.pick(["fuzz.yaml", "fuzz.yaml", "fuzz.yaml", "my config.yaml", "ünï.yaml", ".hidden.yaml",
                                 "-dash.yaml", "fuzz", "fuzz.json"])
            let path = work.appendingPathComponent(name).path
            try input.bytes.write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }
            var overrides: [ConfigLoader.Override] = []
            if overrideStream != nil, rng.chance(0.1) {
                for _ in 0..<rng.int(in: 1...3) { overrides.append(.init(mutator.randomAssignment(&rng))) }
                tally.withOverrides += 1
            }
            let context = "\(input.report)\nfile: \(path)\noverrides: \(overrides.map(\.assignment))"
            if FuzzEnvironment.verbose { print(context) }
            let caseStart = Date()
            let outcome = FuzzOracle.validate(path: path, overrides: overrides)
            let seconds = Date().timeIntervalSince(caseStart)
            if seconds > tally.slowest.seconds { tally.slowest = (seconds, input.number) }
            if FuzzEnvironment.verbose { print("answer: \(outcome)") }
            switch outcome {
            case .accepted(let config, _):
                tally.accepted += 1
                let violations = FuzzOracle.invariantViolations(config)
                for violation in violations {
                    tally.failures += 1
                    XCTFail("accepted config violates '\(violation)'\n\(context)")
                }
            case .rejected(let error):
                tally.rejected += 1
                tally.longest = max(tally.longest, error.description.count)
                tally.kinds[FuzzOracle.category(error), default: 0] += 1
                for complaint in FuzzOracle.messageComplaints(error, path: path, overrides: overrides) {
                    tally.failures += 1
                    XCTFail("\(complaint): \(error.description.prefix(3000))\n\(context)")
                }
            case .otherError(let description):
                tally.failures += 1
                XCTFail("rejected with an error that is not a ConfigError (exit status 1, not 2): \(description)\n\(context)")
            }
            if seconds > 30 {
                tally.failures += 1
                XCTFail("validating took \(String(format: "%.1f", seconds)) s\n\(context)")
            }
            if tally.failures > 20 { XCTFail("stopping after 20 failures"); break }
        }
        return tally
    }
}

/// The case numbers to run: `OPTCLOUD_FUZZ_CASE=N` (one case), `OPTCLOUD_FUZZ_CASES=M`, or the default.
enum FuzzEnvironment {
    static func cases(default count: Int) -> [Int] {
        let environment = ProcessInfo.processInfo.environment
        if let one = environment["OPTCLOUD_FUZZ_CASE"].flatMap(Int.init) { return [one] }
        let n = environment["OPTCLOUD_FUZZ_CASES"].flatMap(Int.init) ?? count
        return Array(0..<n)
    }

    static var verbose: Bool { ProcessInfo.processInfo.environment["OPTCLOUD_FUZZ_CASE"] != nil }
}

/// What `optcloud validate` would answer, computed in this process.
enum FuzzOracle {
    enum Outcome {
        /// The config and the resolved config `validate` prints first.
        case accepted(RunConfig, resolved: String)
        case rejected(ConfigError)
        case otherError(String)
    }

    /// The in-process answer the executable must give.
    static func predict(path: String, overrides: [ConfigLoader.Override]) -> Outcome {
        validate(path: path, overrides: overrides)
    }

    /// `ConfigLoader.load`, then what `validate` prints.
    static func validate(path: String, overrides: [ConfigLoader.Override]) -> Outcome {
        do {
            let config = try ConfigLoader.load(path: path, overrides: overrides)
            let estimate = ResourceEstimate(config)
            _ = (estimate.memoryDescription, estimate.timeDescription)
            return .accepted(config, resolved: config.resolved.rendered())
        } catch let error as ConfigError {
            return .rejected(error)
        } catch {
            return .otherError("\(type(of: error)): \(error)")
        }
    }

    /// The invariant that objectives are finite (fixed issue K2).
    static let finiteObjective = "a finite objective"

    /// What is wrong with the message of a rejection, if anything.
    static func messageComplaints(_ error: ConfigError, path: String, overrides: [ConfigLoader.Override]) -> [String] {
        var complaints: [String] = []
        let message = error.description
        if message.contains(where: \.isNewline) { complaints.append("the message is not one line") }
        if message.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\t" }) {
            complaints.append("the message holds control characters (terminal escapes)")
        }
        if error.problem.isEmpty { complaints.append("the message has no problem text") }
        let sources = Set(overrides.map(\.source))
        let namesFile = error.file == path || sources.contains(where: { error.file.hasPrefix($0) })
        if !namesFile { complaints.append("the message names '\(error.file)', neither the file \(path) nor a --set option") }
        if !message.hasPrefix(error.file) { complaints.append("the message does not start with the file") }
        return complaints
    }

    /// The invariants the engine and the output writers rely on.
    static func invariantViolations(_ config: RunConfig) -> [String] {
        var violations: [String] = []
        func check(_ condition: Bool, _ what: String) { if !condition { violations.append(what) } }
        let d = config.dimension
        check((1...1000).contains(d), "1 ≤ dimension ≤ 1000 (\(d))")
        check(config.chains >= 1 && config.chains <= Int(UInt32.max), "1 ≤ chains ≤ 2³² − 1 (\(config.chains))")
        check(config.steps >= 1 && config.steps <= Int(UInt32.max), "1 ≤ steps ≤ 2³² − 1 (\(config.steps))")
        check(config.burnIn >= 0 && config.burnIn < config.steps, "0 ≤ burn_in < steps (\(config.burnIn), \(config.steps))")
        check(config.thin >= 1 && config.thin <= config.steps - config.burnIn, "1 ≤ thin ≤ steps − burn_in (\(config.thin))")
        check(config.divergenceBound.isFinite && config.divergenceBound > 0, "divergence_bound finite > 0")
        check(!config.optimizers.isEmpty, "at least one optimizer")
        check(Set(config.optimizers.map(\.label)).count == config.optimizers.count, "unique labels")
        for o in config.optimizers {
            check(o.lr.isFinite && o.lr >= 0, "lr finite ≥ 0 (\(o.label): \(o.lr))")
            check(!o.label.isEmpty && !o.label.hasPrefix(".") && !o.label.contains("/"), "file-safe label '\(o.label)'")
            if let decay = o.weightDecay { check(decay.count == d && decay.allSatisfy { $0.isFinite && $0 >= 0 }, "weight decay per coordinate") }
        }
        check(!config.name.isEmpty && !config.name.hasPrefix(".") && !config.name.contains("/"), "file-safe name '\(config.name)'")
        check(config.objective.minimum.count == d, "a minimum of dimension d")
        check(config.objective.minimum.allSatisfy(\.isFinite), "\(finiteObjective) minimum (\(config.objective.minimum.prefix(3)))")
        if let h = config.objective.constantHessian {
            check(h.count == d * d, "a d×d Hessian")
            check(h.allSatisfy(\.isFinite), "\(finiteObjective) Hessian")
        }
        if let c = config.noise.covariance { check(c.count == d * d, "d×d noise covariance") }
        check(config.histogram.pairs.allSatisfy { (0..<d).contains($0.x) && (0..<d).contains($0.y) && $0.x != $0.y }, "pairs in range")
        check(config.traceChains >= 0 && config.traceChains <= config.chains, "0 ≤ trace_chains ≤ chains")
        return violations
    }

    /// A coarse kind of rejection for the summary line.
    static func category(_ error: ConfigError) -> String {
        let p = error.problem
        if p.hasPrefix("is not valid YAML") { return "YAML syntax" }
        if p == "duplicated key" { return "duplicate key" }
        if p.hasPrefix("unknown key") { return "unknown key" }
        if p.hasPrefix("is missing key") { return "missing key" }
        if p.contains("not UTF-8") { return "not UTF-8" }
        if p.hasPrefix("has ") && p.contains("entries") || p.contains("rows") { return "dimension" }
        if p.hasPrefix("is ") { return "type or range" }
        return "other"
    }
}
