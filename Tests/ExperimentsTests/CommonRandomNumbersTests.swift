import XCTest
@testable import Experiments
@testable import Simulation
@testable import Statistics

/// With common random numbers (the default) SGD and SGD with momentum see the same noise per
/// chain and step, so the standard error of the difference of their means is far smaller
/// than with independent streams, for the same number of chains.
final class CommonRandomNumbersTests: XCTestCase {
    func differenceStderr(common: Bool) throws -> MeanDifference {
        let config = try ConfigLoader.parse(text: """
            objective: {type: quadratic, diagonal: [1.0, 5.0], minimum: [1.0, -1.0]}
            noise: {type: gaussian, std: 1.0}
            chains: 4000
            steps: 1000
            burn_in: 500
            common_random_numbers: \(common)
            optimizers:
              - {label: sgd, type: sgd, lr: 0.1}
              - {label: momentum, type: sgd, lr: 0.01, momentum: 0.9}
            output: {samples: none}
            """, file: "crn.yaml")
        XCTAssertEqual(config.commonRandomNumbers, common)
        let a = try XCTUnwrap(CloudRunner.simulate(config, optimizer: 0, settings: .init(threads: 2)))
        let b = try XCTUnwrap(CloudRunner.simulate(config, optimizer: 1, settings: .init(threads: 2)))
        return MeanDifference(b, a)
    }

    func testCommonRandomNumbersShrinkTheStandardErrorOfDifferences() throws {
        let common = try differenceStderr(common: true)
        let independent = try differenceStderr(common: false)
        for k in 0..<2 {
            XCTAssertLessThan(common.stderr[k], 0.5 * independent.stderr[k], "coordinate \(k)")
            // Both estimate the same (near zero) difference: consistent within their errors.
            let combined = (common.stderr[k] * common.stderr[k] + independent.stderr[k] * independent.stderr[k]).squareRoot()
            XCTAssertLessThan(Swift.abs(common.difference[k] - independent.difference[k]), 5 * combined)
        }
    }

    /// Independent streams are really different streams.
    func testIndependentStreamsDiffer() throws {
        let config = try ConfigLoader.parse(text: """
            objective: {type: quadratic, diagonal: [1.0]}
            noise: {type: gaussian, std: 1.0}
            common_random_numbers: false
            optimizers: [{label: a, type: sgd, lr: 0.1}, {label: b, type: sgd, lr: 0.1}]
            """, file: "crn.yaml")
        let a = CloudRunner.normals(config, optimizer: 0), b = CloudRunner.normals(config, optimizer: 1)
        XCTAssertNotEqual(a, b)
        let shared = try ConfigLoader.parse(text: "objective: {type: quadratic, diagonal: [1.0]}\noptimizers: [{type: sgd, lr: 0.1}, {label: b, type: sgd, lr: 0.2}]\n", file: "x.yaml")
        XCTAssertEqual(CloudRunner.normals(shared, optimizer: 0), CloudRunner.normals(shared, optimizer: 1))
    }
}
