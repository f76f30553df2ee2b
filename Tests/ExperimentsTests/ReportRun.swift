import XCTest
@testable import Experiments

/// Runs every optimizer of an inline config in process and computes their reports, as
/// `optcloud run` does before writing the files.
func reportRun(_ yaml: String, threads: Int = 2, file: StaticString = #filePath, line: UInt = #line)
    throws -> (config: RunConfig, results: [OptimizerResult]) {
    let config = try ConfigLoader.parse(text: yaml, file: "report.yaml")
    let results = try config.optimizers.indices.map { i in
        let cloud = try XCTUnwrap(CloudRunner.simulate(config, optimizer: i, settings: .init(threads: threads)),
                                  file: file, line: line)
        return try OptimizerResult(spec: config.optimizers[i], cloud: cloud, config: config, seconds: 0, threads: threads)
    }
    return (config, results)
}
