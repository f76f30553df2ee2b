import XCTest
@testable import Experiments

/// The `sweep:` block: the grid (row-major, last axis fastest, zip groups as extra axes),
/// generated ranges, every point read as a run config, and the errors of bad blocks.
final class SweepConfigTests: XCTestCase {
    static let base = """
        name: grid
        seed: 4
        objective: {type: quadratic, diagonal: [1.0, 2.0], minimum: [1.0, -1.0]}
        noise: {type: gaussian, std: 0.5}
        chains: 16
        steps: 20
        burn_in: 10
        optimizers:
          - {label: sgd, type: sgd, lr: 0.1}
          - {label: adamw, type: adamw, lr: 0.01}

        """

    func sweep(_ block: String, overrides: [ConfigLoader.Override] = []) throws -> SweepConfig {
        try SweepConfig(text: Self.base + block, file: "grid.yaml", overrides: overrides)
    }

    func expectError(_ block: String, key: String, mentions: [String] = [], overrides: [ConfigLoader.Override] = [],
                     line: UInt = #line) {
        XCTAssertThrowsError(try sweep(block, overrides: overrides), line: line) { error in
            guard let error = error as? ConfigError else { return XCTFail("not a ConfigError: \(error)", line: line) }
            XCTAssertEqual(error.key, key, error.description, line: line)
            for mention in mentions { XCTAssertTrue(error.description.contains(mention), "'\(mention)' in \(error.description)", line: line) }
            XCTAssertFalse(error.description.contains("\n"), line: line)
        }
    }

    func testGridIsRowMajorWithZipGroupsAsAxes() throws {
        let sweep = try self.sweep("""
            sweep:
              axes:
                optimizers.0.lr: [0.1, 0.2, 0.3]
                optimizers.1.weight_decay: {linear: [0, 1, 3]}
              zip:
                - {noise.std: [0.5, 1.5], optimizers.1.lr: [0.001, 0.002]}
            """)
        XCTAssertEqual(sweep.pointCount, 18)
        XCTAssertEqual(sweep.axisKeys, ["optimizers.0.lr", "optimizers.1.weight_decay", "noise.std", "optimizers.1.lr"])
        XCTAssertEqual(sweep.indices(of: 0), [0, 0, 0])
        XCTAssertEqual(sweep.indices(of: 1), [0, 0, 1])
        XCTAssertEqual(sweep.indices(of: 2), [0, 1, 0])
        XCTAssertEqual(sweep.indices(of: 17), [2, 2, 1])
        for p in 0..<sweep.pointCount {
            let i = sweep.indices(of: p)
            XCTAssertEqual(p, (i[0] * 3 + i[1]) * 2 + i[2])
            let config = try sweep.config(point: p)
            XCTAssertEqual(config.optimizers[0].lr, [0.1, 0.2, 0.3][i[0]])
            XCTAssertEqual(config.optimizers[1].weightDecay, [Double](repeating: [0, 0.5, 1][i[1]], count: 2))
            XCTAssertEqual(config.optimizers[1].lr, [0.001, 0.002][i[2]], "zipped with noise.std")
            guard config.noise.type == "gaussian", let covariance = config.noise.covariance else { return XCTFail("gaussian noise") }
            XCTAssertEqual(covariance[0], [0.25, 2.25][i[2]], accuracy: 1e-15)
            XCTAssertEqual(config.seed, 4, "every point has the config's seed")
        }
        XCTAssertEqual(sweep.values(of: 5).map(\.value.text), ["0.1", "1", "1.5", "0.002"])
        XCTAssertEqual(sweep.overrides(point: 5).map(\.assignment),
                       ["optimizers.0.lr=0.1", "optimizers.1.weight_decay=1", "noise.std=1.5", "optimizers.1.lr=0.002"])
    }

    func testGeneratedRangesHaveExactEndsAndTwelveDigits() throws {
        let sweep = try self.sweep("""
            sweep:
              axes:
                optimizers.0.lr: {log: [0.01, 1.0, 5]}
                chains: {linear: [8, 64, 8]}
            """)
        let lr = sweep.axes[0].values.map { $0[0].number! }
        XCTAssertEqual(lr, [0.01, 0.0316227766017, 0.1, 0.316227766017, 1.0])
        XCTAssertEqual(sweep.axes[0].values.map { $0[0].text }, ["0.01", "0.0316227766017", "0.1", "0.316227766017", "1"])
        XCTAssertTrue(sweep.axes[0].isLogSpaced)
        XCTAssertEqual(sweep.axes[1].values.map { $0[0].text }, ["8", "16", "24", "32", "40", "48", "56", "64"])
        XCTAssertFalse(sweep.axes[1].isLogSpaced)
        XCTAssertEqual(try sweep.config(point: 39).chains, 64, "an integer key reads the generated 64")
    }

    func testLogSpacingOfListsIsDetected() throws {
        func axis(_ values: String) throws -> SweepAxis { try sweep("sweep: {axes: {optimizers.0.lr: \(values)}}").axes[0] }
        XCTAssertTrue(try axis("[0.001, 0.003, 0.01, 0.03, 0.1]").isLogSpaced)
        XCTAssertFalse(try axis("[0.1, 0.2, 0.3, 0.4]").isLogSpaced)
        XCTAssertTrue(try axis("[0.001, 0.1]").isLogSpaced)
        XCTAssertFalse(try axis("[0.1, 0.2]").isLogSpaced)
    }

    func testSweepBlockIsIgnoredWhenReadAsARunConfig() throws {
        let config = try ConfigLoader.parse(text: Self.base + "sweep: {axes: {optimizers.0.lr: [0.5]}}\n", file: "grid.yaml")
        XCTAssertEqual(config.optimizers[0].lr, 0.1)
    }

    func testCollapseExpressionIsEvaluatedOnAxisValues() throws {
        let sweep = try self.sweep("""
            sweep:
              axes:
                optimizers.1.lr: [0.001, 0.002]
                optimizers.1.weight_decay: [0.1, 0.2]
              collapse:
                - {metric: mean_norm, by: "optimizers.1.lr * optimizers.1.weight_decay"}
                - {metric: variance_1, by: "sqrt(optimizers.1.lr) / 2 + exp(0)"}
            """)
        let product = sweep.collapse[0], root = sweep.collapse[1]
        XCTAssertEqual(product.keys, ["optimizers.1.lr", "optimizers.1.weight_decay"])
        XCTAssertEqual(product.value(["optimizers.1.lr": 0.002, "optimizers.1.weight_decay": 0.2]), 0.002 * 0.2)
        XCTAssertEqual(root.value(["optimizers.1.lr": 0.04]), 0.1 + 1, accuracy: 1e-15)
    }

    func testBadSweepBlocksNameTheKey() {
        expectError("sweep: {axes: {optimizers.0.lrr: [0.1]}}", key: "optimizers.0.lrr", mentions: ["sweep point 0", "did you mean 'lr'"])
        expectError("sweep: {axes: {optimizers.0.lr: []}}", key: "sweep.axes.optimizers.0.lr", mentions: ["empty"])
        expectError("sweep: {axes: {optimizers.0.lr: 0.1}}", key: "sweep.axes.optimizers.0.lr", mentions: ["a list of values"])
        expectError("sweep: {zip: [{optimizers.0.lr: [0.1, 0.2], noise.std: [1, 2, 3]}]}", key: "sweep.zip.0.noise.std",
                    mentions: ["3 values", "optimizers.0.lr has 2"])
        expectError("sweep: {axes: {optimizers.0.lr: [0.1, -0.5, 0.2]}}", key: "optimizers.0.lr", mentions: ["sweep point 1", "-0.5"])
        expectError("sweep: {axes: {steps: [20, 5]}}", key: "burn_in", mentions: ["at sweep point 1 (steps=5)"])
        expectError("sweep: {axes: {optimizers.0.lr: [0.1]}, collapse: [{metric: mean_norm, by: \"2 * 3\"}]}",
                    key: "sweep.collapse.0.by", mentions: ["names no axis"])
        expectError("sweep: {axes: {optimizers.0.lr: [0.1]}, collapse: [{metric: mean_norm, by: \"optimizers.0.momentum\"}]}",
                    key: "sweep.collapse.0.by", mentions: ["'optimizers.0.momentum' is not an axis"])
        expectError("sweep: {axes: {optimizers.0.lr: [0.1]}, collapse: [{metric: mean_norm, by: \"optimizers.0.lr *\"}]}",
                    key: "sweep.collapse.0.by", mentions: ["column 18"])
        expectError("sweep: {axes: {optimizers.0.lr: [0.1]}, collapse: [{metric: mean_nrom, by: optimizers.0.lr}]}",
                    key: "sweep.collapse.0.metric", mentions: ["did you mean 'mean_norm'"])
        expectError("sweep: {axes: {optimizers.0.lr: [0.1]}, collapse: [{metric: tail_index, by: optimizers.0.lr}]}",
                    key: "sweep.collapse.0.metric", mentions: ["standard error"])
        expectError("sweep: {axes: {optimizers.0.lr: {log: [0, 1, 5]}}}", key: "sweep.axes.optimizers.0.lr.log.0", mentions: ["> 0"])
        expectError("sweep: {axes: {optimizers.0.lr: {log: [0.1, 1]}}}", key: "sweep.axes.optimizers.0.lr.log", mentions: ["[a, b, n]"])
        expectError("sweep: {axes: {optimizers.0.lr: {geometric: [0.1, 1, 3]}}}", key: "sweep.axes.optimizers.0.lr.geometric")
        expectError("sweep: {axis: {optimizers.0.lr: [0.1]}}", key: "sweep.axis", mentions: ["did you mean 'axes'"])
        expectError("sweep: {}", key: "sweep", mentions: ["no axes"])
        expectError("sweep:\n", key: "sweep", mentions: ["empty"])
        expectError("sweep: {axes: {optimizers.0.lr: [0.1]}, zip: [{optimizers.0.lr: [0.2]}]}", key: "sweep.zip.0.optimizers.0.lr",
                    mentions: ["swept twice"])
        expectError("sweep: {axes: {optimizers.0.lr: [0.1]}}", key: "sweep.axes.optimizers.0.lr", mentions: ["also set by --set"],
                    overrides: [.init("optimizers.0.lr=0.3")])
        expectError("sweep: {axes: {optimizers.9.lr: [0.1]}}", key: "optimizers.9.lr", mentions: ["sweep point 0", "not an index"])
        expectError("sweep: {axes: {optimizers.0.lr: {linear: [0.1, 1, 200]}, noise.std: {linear: [0.1, 1, 200]}}}",
                    key: "sweep", mentions: ["40000 points"])
        XCTAssertThrowsError(try SweepConfig(text: Self.base, file: "grid.yaml")) { error in
            XCTAssertEqual((error as? ConfigError)?.key, "sweep")
        }
    }
}
