import Foundation
import XCTest

/// Open bugs the fuzz tests found outside their own files (in the config reader
/// RunConfig+Parsing.swift and in the engine), each with the signature its crash prints.
/// The fuzz tests count an input that hits one of them (a crash with that signature, or for
/// K2 an accepted non-finite minimum) as "known" instead of failing on it again and again;
/// `FuzzReproducerTests` fails on every one of them until it is fixed. When an issue is
/// fixed, delete its entry here: its reproducers stay as regression cases.
struct KnownIssue {
    let id: String
    let summary: String
    /// A string the crash report (standard error) contains, when the issue is a crash.
    let signature: String?

    /// Open issues: none. K1 (huge quadratic dimensions), K2 (non-finite minima or
    /// Hessians accepted), K3 (double-well overflow in the config reader) and K4 (clouds
    /// narrower than the bin resolution) are fixed; their reproducers below stay as
    /// regression cases.
    static let all: [KnownIssue] = []

    /// The known issue a crash report shows, if any.
    static func crash(in stderr: String) -> KnownIssue? {
        all.first { $0.signature.map(stderr.contains) ?? false }
    }

    static func issue(_ id: String) -> KnownIssue? { all.first { $0.id == id } }
}

/// The inputs behind every crash and hang the fuzz tests found, run through the executable
/// (a crash must not take the test process down). Each must be answered within 30 s by exit
/// status 0, 1 or 2 as listed and, on failure, one `optcloud: error:` line, leaving nothing
/// behind. Those of open issues (KnownIssue) fail until the issue is fixed; the others are
/// regression cases of fixes in ConfigLoader and ConfigError.
final class FuzzReproducerTests: XCTestCase {
    struct Reproducer {
        let name: String
        let issue: String?
        let file: String
        /// The config text, or nil for a path that is passed as is.
        let text: String?
        let command: String
        /// The acceptable exit statuses.
        let statuses: Set<Int32>
        let mentions: [String]

        init(_ name: String, issue: String? = nil, file: String, text: String?, command: String = "validate",
             statuses: Set<Int32> = [2], mentions: [String]) {
            (self.name, self.issue, self.file, self.text, self.command, self.statuses, self.mentions) =
                (name, issue, file, text, command, statuses, mentions)
        }
    }

    static func quadratic(_ form: String, entries: Int) -> String {
        "objective: {type: quadratic, \(form): [" + Array(repeating: "1", count: entries).joined(separator: ", ")
            + "]}\noptimizers: [{type: sgd, lr: 0.1}]\n"
    }

    static func billionLaughs(levels: Int) -> String {
        var lines = ["l0: &l0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
        for k in 1...levels { lines.append("l\(k): &l\(k) [" + Array(repeating: "*l\(k - 1)", count: 10).joined(separator: ", ") + "]") }
        return (lines + ["? *l\(levels)", ": 1"]).joined(separator: "\n") + "\n"
    }

    static let tiny = "chains: 16\nsteps: 20\nburn_in: 10\n"

    static let reproducers: [Reproducer] = [
        Reproducer("diagonal with 100 000 entries", file: "diagonal-100000.yaml",
                   text: quadratic("diagonal", entries: 100_000), mentions: ["objective", "1000"]),
        Reproducer("eigenvalues with 100 000 entries", file: "eigenvalues-100000.yaml",
                   text: quadratic("eigenvalues", entries: 100_000), mentions: ["objective", "1000"]),
        Reproducer("eigenvalues with 2001 entries (minutes)", file: "eigenvalues-2001.yaml",
                   text: quadratic("eigenvalues", entries: 2001), mentions: ["objective", "1000"]),
        Reproducer("linear-regression weight 1.8e308", file: "huge-weight.yaml",
                   text: "objective: {type: linear-regression, dim: 3, n: 64, weights: [1.7976931348623157e308, -1.0, 0.5]}\n"
                       + "noise: {type: minibatch, batch_size: 8}\n" + tiny + "optimizers: [{type: sgd, lr: 0.1}]\n",
                   command: "run", mentions: ["objective"]),
        Reproducer("linear-regression noise_std 1e308", file: "huge-noise-std.yaml",
                   text: "objective: {type: linear-regression, dim: 2, n: 100, feature_scales: [1.0, 0.3], noise_std: 1.0e308}\n"
                       + "noise: {type: label-noise, std: 1.0}\n" + tiny + "optimizers: [{type: sgd, lr: 0.5}]\n",
                   command: "run", mentions: ["objective"]),
        Reproducer("linear-regression feature_scales 1e308 (infinite Hessian)", file: "huge-scale.yaml",
                   text: "objective: {type: linear-regression, dim: 1, n: stream, weights: [1.0], feature_scales: 1.0e308}\n"
                       + "noise: {type: minibatch, batch_size: 1}\n" + tiny + "optimizers: [{type: sgd, lr: 0.1}]\n",
                   mentions: ["objective"]),
        Reproducer("rosenbrock a = 1e300", file: "huge-a.yaml",
                   text: "objective: {type: rosenbrock, dim: 2, a: 1e+300}\n" + tiny + "optimizers: [{type: sgd, lr: 0.001}]\n",
                   mentions: ["objective"]),
        Reproducer("double-well barrier 1e-320 (NaN minimum)", file: "tiny-barrier.yaml",
                   text: "objective: {type: double-well, barrier: 1e-320, tilt: -0.3}\n" + tiny + "optimizers: [{type: sgd, lr: 0.01}]\n",
                   mentions: ["objective"]),
        Reproducer("double-well barrier 5e-324", file: "subnormal-barrier.yaml",
                   text: "objective: {type: double-well, barrier: 5.0e-324, tilt: 0.3, curvature: [1.0]}\n" + tiny
                       + "optimizers: [{type: sgd, lr: 0.01}]\n",
                   mentions: ["objective"]),
        Reproducer("double-well tilt 1e300, barrier 1e-10", file: "huge-tilt.yaml",
                   text: "objective: {type: double-well, barrier: 1e-10, tilt: 1e300}\n" + tiny + "optimizers: [{type: sgd, lr: 0.01}]\n",
                   mentions: ["objective"]),
        Reproducer("alpha-stable noise scale 5e-324", file: "subnormal-scale.yaml",
                   text: "objective: {type: quadratic, diagonal: [1.0, 5.0]}\nnoise: {type: alpha-stable, alpha: 1.5, scale: 5.0e-324}\n"
                       + tiny + "optimizers: [{type: sgd, lr: 0.05}]\n",
                   command: "run", statuses: [0, 1, 2], mentions: []),
        Reproducer("learning rate 5e-324", file: "subnormal-lr.yaml",
                   text: "objective: {type: quadratic, diagonal: [1.0, 5.0]}\nnoise: {type: gaussian, std: 0.5}\n"
                       + tiny + "optimizers: [{type: sgd, lr: 5.0e-324}]\n",
                   command: "run", statuses: [0, 1, 2], mentions: []),
        // Fixed in ConfigLoader.checkAliases: Yams hashed the key with its aliases expanded,
        // 10⁸ nodes (44 s) for 7 levels, 10¹⁰ (hours) for 9.
        Reproducer("billion laughs as a mapping key", file: "laughs.yaml", text: billionLaughs(levels: 9),
                   mentions: ["laughs.yaml", "aliases"]),
        // Fixed in ConfigLoader.readText: read until memory ran out (at 4 GB, "cannot be read").
        Reproducer("/dev/zero as config", file: "/dev/zero", text: nil, mentions: ["/dev/zero", "16 MiB"]),
        Reproducer("/dev/urandom as config", file: "/dev/urandom", text: nil, mentions: ["/dev/urandom"]),
        // Fixed in ConfigError.description: terminal escapes and line separators were echoed raw.
        Reproducer("escape sequence in a name", file: "escape.yaml",
                   text: "name: \"\\e[2J\\e[31mred\"\nobjective: {type: quadratic, diagonal: [1, 2]}\noptimizers: [{type: sgd, lr: 0.1}]\n",
                   mentions: ["name", "\\u{1b}[2J"]),
        Reproducer("line separators in a key", file: "separators.yaml",
                   text: "objective: {type: quadratic, diagonal: [1, 2]}\noptimizers: [{type: sgd, lr: 0.1}]\n\"a\\rb\\Nc\\Ld\": 1\n",
                   mentions: ["a b c d", "unknown key"]),
    ]

    func testReproducersAreAnswered() throws {
        for reproducer in Self.reproducers {
            let work = try makeTemporaryDirectory(self)
            let path: String
            if let text = reproducer.text {
                path = work.appendingPathComponent(reproducer.file).path
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            } else {
                path = reproducer.file
            }
            let before = FuzzDirectory.listing(work)
            let start = Date()
            let arguments = [reproducer.command, path] + (reproducer.command == "run" ? ["--out", "out", "--threads", "1"] : [])
            let running = try Optcloud.start(arguments, in: work, shellPrefix: FuzzProcessTests.memoryLimit)
            let result = Self.wait(running, timeout: 30)
            let seconds = Date().timeIntervalSince(start)
            var complaints = FuzzProcessTests.answerComplaints(result)
            if !reproducer.statuses.contains(result.status) { complaints.append("exit status \(result.status), expected \(reproducer.statuses.sorted())") }
            if result.status != 0 {
                for mention in reproducer.mentions where !result.stderr.contains(mention) { complaints.append("the error does not mention '\(mention)'") }
                let after = FuzzDirectory.listing(work)
                if after != before { complaints.append("left \(Set(after).subtracting(before).sorted().prefix(5)) behind") }
            }
            if !complaints.isEmpty {
                let stderr = result.stderrLines.prefix(3).map { String($0.prefix(300)) }.joined(separator: " ⏎ ")
                let issue = reproducer.issue.flatMap(KnownIssue.issue).map { "open issue \($0.id): \($0.summary)\n  " } ?? ""
                XCTFail("[\(reproducer.name)] optcloud \(arguments.joined(separator: " ").prefix(200)) after \(String(format: "%.1f", seconds)) s: "
                        + "\(complaints.joined(separator: "; "))\n  \(issue)stderr: \(stderr)")
            }
        }
    }

    /// Waits for `running` without failing on a time-out (reported by the caller, once).
    static func wait(_ running: RunningOptcloud, timeout: TimeInterval) -> OptcloudResult {
        var timedOut = false
        if running.finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(running.processIdentifier, SIGKILL)
            running.finished.wait()
        }
        for handle in running.handles { try? handle.close() }
        let result = OptcloudResult(
            status: running.process.terminationStatus, reason: running.process.terminationReason,
            stdout: String(decoding: (try? Data(contentsOf: running.outFile)) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: running.errFile)) ?? Data(), as: UTF8.self),
            timedOut: timedOut, arguments: running.arguments)
        try? FileManager.default.removeItem(at: running.outFile)
        try? FileManager.default.removeItem(at: running.errFile)
        return result
    }

    /// The alias guard must not refuse ordinary use of anchors and aliases.
    func testAFewAliasesAreFine() throws {
        let work = try makeTemporaryDirectory(self)
        let config = work.appendingPathComponent("aliases.yaml")
        try Data("""
            objective: {type: quadratic, diagonal: &d [1.0, 2.0], minimum: *d}
            init: {type: point, at: *d}
            optimizers:
              - {label: a, type: sgd, lr: 0.1, schedule: &s {type: cosine, T_max: 100}, clip: &c {max_norm: 1.0}}
              - {label: b, type: sgd, lr: 0.05, schedule: *s, clip: *c}
              - {label: c, type: adam, lr: 0.01, schedule: *s, clip: *c}
              - {label: d, type: adamw, lr: 0.01, schedule: *s, clip: *c}

            """.utf8).write(to: config)
        let result = try Optcloud.run(["validate", config.path], in: work)
        XCTAssertEqual(result.status, 0, result.diagnostic)
        XCTAssertTrue(result.stdout.contains("T_max"), result.diagnostic)
    }
}
