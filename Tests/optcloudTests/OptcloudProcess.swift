import Foundation
import XCTest

/// The result of running the `optcloud` executable once.
struct OptcloudResult {
    let status: Int32
    let reason: Process.TerminationReason
    let stdout: String
    let stderr: String
    let timedOut: Bool
    let arguments: [String]

    /// Non-empty lines of standard error.
    var stderrLines: [String] {
        stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    var commandLine: String { "optcloud " + arguments.joined(separator: " ") }

    /// A description for assertion messages.
    var diagnostic: String {
        "\(commandLine)\n  status \(status) (\(reason == .exit ? "exit" : "signal"))\(timedOut ? " TIMED OUT" : "")\n"
            + "  stdout: \(stdout.prefix(2000))\n  stderr: \(stderr.prefix(2000))"
    }
}

/// Finds and runs the `optcloud` executable built beside the test bundle.
enum Optcloud {
    /// The executable, located once: the directory of the test bundle (or any ancestor of it,
    /// of the test runner or of this source file's build directories) that holds an
    /// executable file named `optcloud`.
    static let executable: URL? = {
        let manager = FileManager.default
        var starts: [URL] = []
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            starts.append(bundle.bundleURL)
        }
        starts.append(Bundle.main.bundleURL)
        if let first = CommandLine.arguments.first { starts.append(URL(fileURLWithPath: first)) }
        for argument in CommandLine.arguments.dropFirst() where argument.hasSuffix(".xctest") {
            starts.append(URL(fileURLWithPath: argument))
        }
        // Source-relative fallback: <package>/.build*/release/optcloud.
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        if let entries = try? manager.contentsOfDirectory(atPath: package.path) {
            for entry in entries.sorted() where entry.hasPrefix(".build") {
                starts.append(package.appendingPathComponent(entry).appendingPathComponent("release").appendingPathComponent("x"))
            }
        }
        for start in starts {
            var directory = start.standardizedFileURL
            while directory.path != "/" {
                let candidate = directory.appendingPathComponent("optcloud")
                var isDirectory: ObjCBool = false
                if manager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                   manager.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        return nil
    }()

    /// The executable, or an XCTFail naming where it was looked for.
    static func requireExecutable(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        guard let url = executable else {
            XCTFail("optcloud executable not found beside the test bundle (\(Bundle.main.bundleURL.path), "
                    + "\(CommandLine.arguments.first ?? "?")); build it with `swift build --build-tests`", file: file, line: line)
            throw NotFound()
        }
        return url
    }

    struct NotFound: Error {}

    /// Runs optcloud with `arguments` in `directory`, killing it after `timeout` seconds.
    /// `shellPrefix` (e.g. `ulimit -v 4000000`) runs in /bin/sh before exec'ing optcloud;
    /// `environment` is added to the test's own.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil, shellPrefix: String? = nil,
                    environment: [String: String] = [:], timeout: TimeInterval = 60,
                    file: StaticString = #filePath, line: UInt = #line) throws -> OptcloudResult {
        let running = try start(arguments, in: directory, shellPrefix: shellPrefix, environment: environment, file: file, line: line)
        return running.wait(timeout: timeout, file: file, line: line)
    }

    /// Starts optcloud without waiting for it.
    static func start(_ arguments: [String], in directory: URL? = nil, shellPrefix: String? = nil,
                      environment extra: [String: String] = [:],
                      file: StaticString = #filePath, line: UInt = #line) throws -> RunningOptcloud {
        let executable = try requireExecutable(file: file, line: line)
        let process = Process()
        if let shellPrefix {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", shellPrefix + " && exec \"$0\" \"$@\"", executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["COLUMNS"] = "200"
        environment.merge(extra) { $1 }
        process.environment = environment
        let outFile = try temporaryFile("stdout"), errFile = try temporaryFile("stderr")
        let outHandle = try FileHandle(forWritingTo: outFile), errHandle = try FileHandle(forWritingTo: errFile)
        process.standardOutput = outHandle
        process.standardError = errHandle
        let input = Pipe()
        process.standardInput = input
        let running = RunningOptcloud(process: process, arguments: arguments, outFile: outFile, errFile: errFile,
                                      handles: [outHandle, errHandle])
        process.terminationHandler = { [finished = running.finished] _ in finished.signal() }
        try process.run()
        try? input.fileHandleForWriting.close()
        return running
    }

    private static func temporaryFile(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("optcloud-test-\(name)-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return url
    }
}

/// Config files shipped with the tests (the `Configs` resource folder).
enum TestConfigs {
    static func url(_ relativePath: String, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        guard let base = Bundle.module.resourceURL?.appendingPathComponent("Configs") else {
            XCTFail("the Configs resource folder is missing from the test bundle", file: file, line: line)
            throw Optcloud.NotFound()
        }
        let url = base.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            XCTFail("test config \(relativePath) is missing from the test bundle (\(url.path))", file: file, line: line)
            throw Optcloud.NotFound()
        }
        return url
    }

    static func path(_ relativePath: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try url(relativePath, file: file, line: line).path
    }
}

/// A fresh temporary directory, removed by `tearDown` of the test case that made it.
func makeTemporaryDirectory(_ testCase: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("optcloud-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// The names in a directory (hidden ones included), sorted.
func directoryListing(_ url: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
}

/// An optcloud process that was started and not yet waited for.
final class RunningOptcloud {
    let process: Process
    let arguments: [String]
    let outFile: URL, errFile: URL
    let handles: [FileHandle]
    let finished = DispatchSemaphore(value: 0)

    init(process: Process, arguments: [String], outFile: URL, errFile: URL, handles: [FileHandle]) {
        self.process = process
        self.arguments = arguments
        self.outFile = outFile
        self.errFile = errFile
        self.handles = handles
    }

    var processIdentifier: Int32 { process.processIdentifier }

    /// Waits for the process, killing it after `timeout` seconds (a failure of the test).
    func wait(timeout: TimeInterval, file: StaticString = #filePath, line: UInt = #line) -> OptcloudResult {
        var timedOut = false
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if finished.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                finished.wait()
            }
        }
        for handle in handles { try? handle.close() }
        let result = OptcloudResult(
            status: process.terminationStatus, reason: process.terminationReason,
            stdout: String(decoding: (try? Data(contentsOf: outFile)) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: errFile)) ?? Data(), as: UTF8.self),
            timedOut: timedOut, arguments: arguments)
        try? FileManager.default.removeItem(at: outFile)
        try? FileManager.default.removeItem(at: errFile)
        XCTAssertFalse(timedOut, "timed out after \(timeout) s: \(result.diagnostic)", file: file, line: line)
        return result
    }
}

/// Crash signatures that must never appear in optcloud's output.
let crashSignatures = ["Fatal error", "Stack dump", "fatalError", "Segmentation fault", "Illegal instruction",
                       "Assertion failed", "Precondition failed", "Current stack trace", "Program crashed",
                       "Backtracing", "💣"]
