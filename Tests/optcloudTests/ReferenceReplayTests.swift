import Experiments
import Foundation
import XCTest

/// Every PyTorch/optax reference trajectory (Tests/SimulationTests/Fixtures/reference)
/// replayed end to end through `optcloud run`: the case's Hessian and centre as a quadratic,
/// its stored noise as `noise: {type: recorded, mode: sequential}` (an .npy file for half of
/// the cases, a .csv file for the other half), one chain, and the path read back from
/// trace.csv — iterates and learning rates to the FORMAT.md metric, 1e-10.
final class ReferenceReplayTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SimulationTests/Fixtures/reference")

    func testEveryReferenceCaseReplaysThroughTheCommandLine() throws {
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixtures.appendingPathComponent("index.json"))) as! [String: Any]
        let names = (index["cases"] as! [[String: Any]]).map { $0["name"] as! String }
        XCTAssertEqual(names.count, 46)
        let work = try makeTemporaryDirectory(self)
        for (i, name) in names.enumerated() {
            try replay(name, in: work, csvNoise: i % 2 == 1)
        }
    }

    func replay(_ name: String, in work: URL, csvNoise: Bool) throws {
        let case_ = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixtures.appendingPathComponent("\(name).json"))) as! [String: Any]
        let d = case_["dim"] as! Int
        let steps = case_["steps"] as! Int
        let noise = case_["noise"] as! [[Double]]
        let noiseFile = work.appendingPathComponent("\(name)-noise.\(csvNoise ? "csv" : "npy")")
        if csvNoise {
            let text = "g0" + (1..<d).map { ",g\($0)" }.joined() + "\n" + noise.map { $0.map { "\($0)" }.joined(separator: ",") }.joined(separator: "\n") + "\n"
            try text.write(to: noiseFile, atomically: true, encoding: .utf8)
        } else {
            try NPYFile.data(noise.flatMap { $0 }, shape: [steps, d]).write(to: noiseFile)
        }
        let objective = case_["objective"] as! [String: Any]
        let config: [String: Any] = [
            "name": name, "seed": 1,
            "objective": ["type": "quadratic", "hessian": objective["H"]!, "minimum": objective["c"]!],
            "noise": ["type": "recorded", "file": noiseFile.lastPathComponent, "mode": "sequential"],
            "init": ["type": "point", "at": case_["x0"]!],
            "chains": 1, "steps": steps, "burn_in": steps - 1,
            "optimizers": [try optimizer(case_)],
            "statistics": ["histogram": ["bins": 0]],
            "output": ["samples": "none", "trace_chains": 1],
        ]
        let configFile = work.appendingPathComponent("\(name).json")
        try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]).write(to: configFile)
        let out = work.appendingPathComponent("\(name)-out")
        let result = try Optcloud.run(["run", configFile.path, "--out", out.path, "--quiet"], in: work)
        XCTAssertEqual(result.status, 0, "\(name): \(result.diagnostic)")
        guard result.status == 0 else { return }

        let records = try RunOutput.records(out.appendingPathComponent("trace.csv"))
        XCTAssertEqual(records.count, steps, name)
        let trajectory = case_["trajectory"] as! [[Double]]
        let lrs = case_["lr"] as! [Double]
        var worst = 0.0, worstLR = 0.0
        for (t, record) in records.enumerated() {
            XCTAssertEqual(Int(record["step"]!), t + 1)
            let x = (0..<d).map { Double(record["x\($0)"]!)! }
            let reference = trajectory[t]
            let scale = Swift.max(1, reference.map(Swift.abs).max()!)
            worst = Swift.max(worst, zip(x, reference).map { Swift.abs($0 - $1) }.max()! / scale)
            worstLR = Swift.max(worstLR, Swift.abs(Double(record["lr"]!)! - lrs[t]) / Swift.abs(lrs[t]))
        }
        XCTAssertLessThanOrEqual(worst, 1e-10, "\(name): trajectory")
        XCTAssertLessThanOrEqual(worstLR, 1e-10, "\(name): lr")
    }

    /// The case's optimizer, schedule and clipping as an optcloud optimizer entry.
    func optimizer(_ case_: [String: Any]) throws -> [String: Any] {
        let o = case_["optimizer"] as! [String: Any]
        let name = o["name"] as! String
        let types = ["SGD": "sgd", "Adam": "adam", "AdamW": "adamw", "RMSprop": "rmsprop", "Adagrad": "adagrad", "Adamax": "adamax",
                     "NAdam": "nadam", "RAdam": "radam", "Lion": "lion", "SignSGD": "signsgd", "Signum": "signum"]
        let type = try XCTUnwrap(types[name], "unmapped optimizer \(name)")
        let keys: [String: [String]] = [
            "sgd": ["momentum", "dampening", "nesterov", "weight_decay"],
            "adam": ["betas", "eps", "weight_decay", "amsgrad"], "adamw": ["betas", "eps", "weight_decay", "amsgrad"],
            "rmsprop": ["alpha", "eps", "weight_decay", "momentum", "centered"],
            "adagrad": ["lr_decay", "weight_decay", "initial_accumulator_value", "eps"],
            "adamax": ["betas", "eps", "weight_decay"],
            "nadam": ["betas", "eps", "weight_decay", "momentum_decay", "decoupled_weight_decay"],
            "radam": ["betas", "eps", "weight_decay", "decoupled_weight_decay"],
            "lion": ["betas", "weight_decay"], "signsgd": [], "signum": ["beta"],
        ]
        var entry: [String: Any] = ["type": type, "lr": (case_["schedule"] as! [String: Any])["base_lr"]!]
        for key in keys[type]! { entry[key] = try XCTUnwrap(o[key], "\(name) has no \(key)") }
        entry["schedule"] = try schedule(case_["schedule"] as! [String: Any])
        if let clip = case_["clip"] as? [String: Any] {
            entry["clip"] = clip["name"] as? String == "clip_grad_norm"
                ? ["max_norm": clip["max_norm"]!, "norm_type": clip["norm_type"]!] : ["max_value": clip["clip_value"]!]
        }
        return entry
    }

    struct Unmapped: Error, CustomStringConvertible { let description: String }

    func schedule(_ s: [String: Any]) throws -> [String: Any] {
        switch s["name"] as! String {
        case "constant": return ["type": "constant"]
        case "LinearLR": return ["type": "linear", "start_factor": s["start_factor"]!, "end_factor": s["end_factor"]!, "total_iters": s["total_iters"]!]
        case "CosineAnnealingLR": return ["type": "cosine", "T_max": s["T_max"]!, "eta_min": s["eta_min"]!]
        case "CosineAnnealingWarmRestarts": return ["type": "cosine-warm-restarts", "T_0": s["T_0"]!, "T_mult": s["T_mult"]!, "eta_min": s["eta_min"]!]
        case "StepLR": return ["type": "step", "step_size": s["step_size"]!, "gamma": s["gamma"]!]
        case "ExponentialLR": return ["type": "exponential", "gamma": s["gamma"]!]
        case "SequentialLR":
            return ["type": "sequential", "milestones": s["milestones"]!,
                    "schedules": try (s["schedulers"] as! [[String: Any]]).map { try schedule($0) }]
        case let other:
            throw Unmapped(description: "unmapped schedule \(other)")
        }
    }
}
