import Foundation
import XCTest

/// Every config under configs/ and configs/sweeps/ validates (the README lists them; they must keep working).
final class ShippedConfigsTests: XCTestCase {
    func testEveryShippedConfigValidates() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("configs")
        let configs = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertGreaterThanOrEqual(configs.count, 11)
        let work = try makeTemporaryDirectory(self)
        for name in configs {
            let result = try Optcloud.run(["validate", directory.appendingPathComponent(name).path], in: work)
            XCTAssertEqual(result.status, 0, "\(name): \(result.diagnostic)")
            XCTAssertTrue(result.stdout.contains("estimated memory"), name)
        }
        let sweeps = directory.appendingPathComponent("sweeps")
        let sweepConfigs = try FileManager.default.contentsOfDirectory(atPath: sweeps.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertEqual(sweepConfigs, ["adamw-lr-wd.yaml", "nqm.yaml", "sgd-lr.yaml"])
        for name in sweepConfigs {
            let result = try Optcloud.run(["validate", sweeps.appendingPathComponent(name).path], in: work)
            XCTAssertEqual(result.status, 0, "sweeps/\(name): \(result.diagnostic)")
            XCTAssertTrue(result.stdout.contains("sweep: ") && result.stdout.contains("estimated time"), name)
        }
    }
}
