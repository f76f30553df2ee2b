import XCTest
@testable import Experiments
@testable import Simulation
@testable import Statistics

/// summary.json's tail index: Hill's estimator over the final iterates of the non-diverged
/// chains, and null (never NaN, never a crash) where it cannot be computed.
final class TailIndexReportTests: XCTestCase {
    /// The cloud of the config's first optimizer, and x*.
    func simulate(_ text: String) throws -> (CloudAccumulation, minimum: [Double]) {
        let config = try ConfigLoader.parse(text: text + "\noutput: {samples: none}", file: "tail.yaml")
        return (try XCTUnwrap(CloudRunner.simulate(config, optimizer: 0, settings: .init(threads: 2))), config.objective.minimum)
    }

    func assertAllNull(_ report: TailIndexReport, dimension d: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNil(report.distance, file: file, line: line)
        XCTAssertEqual(report.coordinates.count, d, file: file, line: line)
        XCTAssertTrue(report.coordinates.allSatisfy { $0 == nil }, file: file, line: line)
        let keys = report.summaryEntries.map(\.0)
        XCTAssertEqual(keys, ["tail_index", "tail_index_stderr", "tail_index_k", "tail_index_per_coordinate"], file: file, line: line)
        let rendered = JSONValue.object(report.summaryEntries).rendered()
        XCTAssertEqual(rendered, """
            {
              "tail_index": null,
              "tail_index_stderr": null,
              "tail_index_k": null,
              "tail_index_per_coordinate": [\(Array(repeating: "null", count: d).joined(separator: ", "))]
            }

            """, file: file, line: line)
    }

    /// Two coordinates: the estimates are those of `HillEstimator` on ‖x − x*‖ and |x_k − x*_k|
    /// of the final iterates, k = ⌈√400⌉ = 20; a diverged chain (NaN) is left out.
    func testHillEstimatesOfTheFinalIterates() throws {
        let (simulated, minimum) = try simulate("""
            objective: {type: quadratic, diagonal: [1.0, 4.0], minimum: [1.0, -2.0]}
            noise: {type: student-t, df: 3, scale: 0.5}
            init: {type: point, at: [0.0, 0.0]}
            chains: 400
            steps: 60
            burn_in: 30
            optimizers: [{type: sgd, lr: 0.1}]
            """)
        var cloud = simulated
        func check(_ chains: [Int]) throws {
            let x = cloud.finalIterates, report = TailIndexReport(cloud: cloud, minimum: minimum)
            XCTAssertEqual(report.sampleSize, chains.count)
            let distances = chains.map { c in ((x[2 * c] - 1) * (x[2 * c] - 1) + (x[2 * c + 1] + 2) * (x[2 * c + 1] + 2)).squareRoot() }
            let expected = try HillEstimator(distances)
            let distance = try XCTUnwrap(report.distance)
            XCTAssertEqual(distance.tailIndex, expected.tailIndex, accuracy: 1e-12 * expected.tailIndex)
            XCTAssertEqual(distance.k, HillEstimator.recommendedK(sampleSize: chains.count))
            for (k, shift) in [1.0, -2.0].enumerated() {
                let coordinate = try HillEstimator(chains.map { Swift.abs(x[2 * $0 + k] - shift) })
                XCTAssertEqual(report.coordinates[k]?.tailIndex, coordinate.tailIndex)
            }
            let entries = report.summaryEntries
            XCTAssertEqual(entries[0].1, .number(distance.tailIndex))
            XCTAssertEqual(entries[1].1, .number(distance.tailIndex / Double(distance.k).squareRoot()))
            XCTAssertEqual(entries[2].1, .integer(distance.k))
            XCTAssertEqual(entries[3].1, .numbers(report.coordinates.map { $0!.tailIndex }))
        }
        XCTAssertEqual(cloud.divergedChains, 0)
        try check(Array(0..<400))
        XCTAssertEqual(TailIndexReport(cloud: cloud, minimum: minimum).distance?.k, 20)
        cloud.finalIterates[2 * 7] = .nan
        cloud.finalIterates[2 * 7 + 1] = .nan
        try check(Array(0..<7) + Array(8..<400))
    }

    func testTooFewChainsGiveNull() throws {
        let (cloud, minimum) = try simulate("""
            objective: {type: linear-regression, dim: 1, n: stream, weights: [1.0], noise_std: 1.0}
            noise: {type: minibatch, batch_size: 1}
            chains: 4
            steps: 20
            burn_in: 10
            optimizers: [{type: sgd, lr: 0.5}]
            """)
        let report = TailIndexReport(cloud: cloud, minimum: minimum)
        XCTAssertEqual(report.sampleSize, 4)
        assertAllNull(report, dimension: 1)
    }

    /// noise_std 0 started at x* = w: every gradient is exactly 0, every chain stays at x*,
    /// and the threshold X₍ₖ₊₁₎ = 0.
    func testCloudSittingAtTheMinimumGivesNull() throws {
        let (cloud, minimum) = try simulate("""
            objective: {type: linear-regression, dim: 1, n: stream, weights: [1.0], noise_std: 0.0}
            noise: {type: minibatch, batch_size: 1}
            init: {type: point, at: [1.0]}
            chains: 1000
            steps: 20
            burn_in: 10
            optimizers: [{type: sgd, lr: 0.5}]
            """)
        XCTAssertTrue(cloud.finalIterates.allSatisfy { $0 == 1 })
        let report = TailIndexReport(cloud: cloud, minimum: minimum)
        XCTAssertEqual(report.sampleSize, 1000)
        assertAllNull(report, dimension: 1)
    }

    /// A large divergence bound lets ‖x − x*‖ exceed √(Double.greatestFiniteMagnitude) without
    /// its square overflowing.
    func testNormDoesNotOverflow() {
        let big = 1e200
        XCTAssertEqual(TailIndexReport.norm(of: [3 * big, -4 * big][...], minus: [0, 0]), 5 * big, accuracy: 1e-15 * 5 * big)
        XCTAssertEqual(TailIndexReport.norm(of: [1, 2, 3, 4][2...], minus: [3, 4]), 0)
        XCTAssertEqual(TailIndexReport.norm(of: [1, 2, 3, 4][2...], minus: [0, 0]), 5, accuracy: 1e-15)
    }
}
