import Foundation
import XCTest
@testable import Experiments

/// Runs every optimizer of an inline config as `optcloud run` does (`RunSession`, into a
/// temporary output directory that is removed afterwards) and returns the reports.
func reportRun(_ yaml: String, threads: Int = 2, file: StaticString = #filePath, line: UInt = #line)
    throws -> (config: RunConfig, results: [OptimizerResult]) {
    let result = try sessionRun(yaml, threads: threads)
    return (result.config, result.optimizers)
}

/// The whole `RunResult` of an inline config, simulated by `RunSession` into a temporary
/// directory (removed afterwards).
func sessionRun(_ yaml: String, threads: Int = 2, stop: RunStop = RunStop()) throws -> RunResult {
    let config = try ConfigLoader.parse(text: yaml, file: "report.yaml")
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("optcloud-session-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let directory = try OutputDirectory.create(path: path, force: false,
                                               manifest: RunManifest(configPath: "report.yaml", overrides: [], config: config))
    return try RunSession(config: config, directory: directory, threads: threads, stop: stop).run()
}
