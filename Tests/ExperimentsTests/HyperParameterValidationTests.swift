import XCTest
@testable import Experiments

/// Hyper-parameters are checked as torch checks them, each failure naming the key.
final class HyperParameterValidationTests: XCTestCase {
    func error(_ optimizer: String, extra: String = "") -> ConfigError? {
        let text = """
            objective: {type: quadratic, diagonal: [1.0, 2.0]}
            noise: {type: gaussian, std: 1.0}
            \(extra)
            optimizers:
              - \(optimizer)
            """
        do {
            _ = try ConfigLoader.parse(text: text, file: "c.yaml")
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            XCTFail("unexpected \(error)")
            return nil
        }
    }

    func testInvalidHyperParametersAreRejected() {
        let cases: [(String, String)] = [
            ("{type: adam, lr: -0.1}", "optimizers.0.lr"),
            ("{type: adam, lr: 0.1, betas: [1.0, 0.999]}", "optimizers.0.betas.0"),
            ("{type: adamw, lr: 0.1, betas: [0.9]}", "optimizers.0.betas"),
            ("{type: adam, lr: 0.1, eps: -1e-8}", "optimizers.0.eps"),
            ("{type: adamw, lr: 0.1, weight_decay: -0.01}", "optimizers.0.weight_decay"),
            ("{type: adam, lr: 0.1, weight_decay: [0.1, 0.2, 0.3]}", "optimizers.0.weight_decay"),
            ("{type: rmsprop, lr: 0.1, alpha: 1.5}", "optimizers.0.alpha"),
            ("{type: rmsprop, lr: 0.1, momentum: -0.9}", "optimizers.0.momentum"),
            ("{type: adagrad, lr: 0.1, lr_decay: -1}", "optimizers.0.lr_decay"),
            ("{type: adagrad, lr: 0.1, initial_accumulator_value: -0.1}", "optimizers.0.initial_accumulator_value"),
            ("{type: nadam, lr: 0.1, momentum_decay: -0.004}", "optimizers.0.momentum_decay"),
            ("{type: signum, lr: 0.1, beta: 1.0}", "optimizers.0.beta"),
            ("{type: sgld, lr: 0.1, temperature: -1}", "optimizers.0.temperature"),
            ("{type: lion, lr: 0.1, amsgrad: true}", "optimizers.0.amsgrad"),
            ("{type: adam, lr: 0.1, schedule: {type: cosine-warm-restarts, T_0: 0}}", "optimizers.0.schedule.T_0"),
            ("{type: adam, lr: 0.1, schedule: {type: cosine-warm-restarts, T_0: 5, T_mult: 0}}", "optimizers.0.schedule.T_mult"),
            ("{type: adam, lr: 0.1, schedule: {type: cosine}}", "optimizers.0.schedule"),
            ("{type: adam, lr: 0.1, schedule: {type: linear, start_factor: 0}}", "optimizers.0.schedule.start_factor"),
            ("{type: adam, lr: 0.1, schedule: {type: step, step_size: 0}}", "optimizers.0.schedule.step_size"),
            ("{type: adam, lr: 0.1, schedule: {type: multistep, milestones: [30, 10]}}", "optimizers.0.schedule.milestones"),
            ("{type: adam, lr: 0.1, schedule: {type: exponential, gamma: 0}}", "optimizers.0.schedule.gamma"),
            ("{type: adam, lr: 0.1, schedule: {type: sequential, schedules: [{type: constant}, {type: constant}], milestones: [5, 10]}}",
             "optimizers.0.schedule.milestones"),
            ("{type: adam, lr: 0.1, schedule: {type: sequential, schedules: [{type: constant}, {type: sequential}], milestones: [5]}}",
             "optimizers.0.schedule.schedules.1.type"),
            ("{type: adam, lr: 0.1, schedule: {type: cosine, T_max: 10, warmup: 3}}", "optimizers.0.schedule.warmup"),
            ("{type: adam, lr: 0.1, clip: {max_norm: 1.0, stage: optimizer}}", "optimizers.0.clip.stage"),
            ("{type: adam, lr: 0.1, clip: {max_norm: 1.0, norm_type: 3}}", "optimizers.0.clip.norm_type"),
        ]
        for (optimizer, key) in cases {
            let error = self.error(optimizer)
            XCTAssertNotNil(error, optimizer)
            XCTAssertEqual(error?.key, key, "\(optimizer): \(error?.description ?? "accepted")")
        }
    }

    func testOutputAndNoiseOptions() throws {
        XCTAssertEqual(error("{type: sgd, lr: 0.1}", extra: "chains: 10\noutput: {trace_chains: 11}")?.key, "output.trace_chains")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("hp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        func noiseError(_ noise: String) -> ConfigError? {
            do {
                _ = try ConfigLoader.parse(text: "objective: {type: quadratic, diagonal: [1.0, 2.0]}\nnoise: \(noise)\noptimizers: [{type: sgd, lr: 0.1}]\n",
                                           file: work.appendingPathComponent("c.yaml").path)
                return nil
            } catch { return error as? ConfigError }
        }
        XCTAssertEqual(noiseError("{type: recorded, file: missing.npy}")?.key, "noise.file")
        try "1,2\n3\n".write(to: work.appendingPathComponent("short.csv"), atomically: true, encoding: .utf8)
        XCTAssertEqual(noiseError("{type: recorded, file: short.csv}")?.key, "noise.file")
        try Data("not numpy".utf8).write(to: work.appendingPathComponent("bad.npy"))
        XCTAssertEqual(noiseError("{type: recorded, file: bad.npy}")?.key, "noise.file")
        try NPYFile.data([1, 2, 3], shape: [3, 1]).write(to: work.appendingPathComponent("narrow.npy"))
        XCTAssertEqual(noiseError("{type: recorded, file: narrow.npy}")?.key, "noise.file")
        try NPYFile.data([1, 2, 3, 4], shape: [2, 2]).write(to: work.appendingPathComponent("ok.npy"))
        XCTAssertEqual(noiseError("{type: recorded, file: ok.npy, mode: shuffle}")?.key, "noise.mode")
        XCTAssertEqual(noiseError("{type: recorded, file: ok.npy, std: 1}")?.key, "noise.std")
        XCTAssertNil(noiseError("{type: recorded, file: ok.npy, mode: bootstrap}"))
        try "a,b\n1,2\n3,4\n".write(to: work.appendingPathComponent("ok.csv"), atomically: true, encoding: .utf8)
        XCTAssertNil(noiseError("{type: recorded, file: ok.csv}"))
    }

    /// Defaults are torch's (AdamW's weight decay 0.01, Adagrad's eps 1e-10 …) and are shown
    /// in the resolved config.
    func testDefaultsAreResolved() throws {
        let config = try ConfigLoader.parse(text: """
            objective: {type: quadratic, diagonal: [1.0]}
            optimizers: [{type: adamw, lr: 0.1}, {type: adagrad, lr: 0.1}, {type: sgld, lr: 0.1}]
            """, file: "c.yaml")
        let text = config.resolved.rendered()
        XCTAssertTrue(text.contains("\"weight_decay\": 0.01"), text)
        XCTAssertTrue(text.contains("\"eps\": 1e-10"), text)
        XCTAssertTrue(text.contains("\"temperature\": 1.0"), text)
        XCTAssertTrue(text.contains("\"betas\": [0.9, 0.999]"), text)
    }
}
