import Foundation
@testable import Simulation

/// One reference trajectory of Tests/SimulationTests/Fixtures/reference (see FORMAT.md there):
/// a single chain on a noisy quadratic, recorded from PyTorch or optax in float64.
struct ReferenceCase {
    let name: String
    let dimension: Int
    let hessian: [Double]
    let centre: [Double]
    let x0: [Double]
    let noise: [[Double]]
    let lr: [Double]
    let grad: [[Double]]
    let clippedGrad: [[Double]]?
    let trajectory: [[Double]]
    let optimizer: [String: Any]
    let schedule: [String: Any]
    let clip: [String: Any]?

    static var directory: URL {
        Bundle.module.bundleURL.appendingPathComponent("Fixtures/reference")
    }

    static func all() throws -> [ReferenceCase] {
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("index.json")))
        let names: [String]
        if let list = index as? [String] { names = list }
        else if let object = index as? [String: Any], let cases = object["cases"] as? [Any] {
            names = cases.compactMap { ($0 as? String) ?? (($0 as? [String: Any])?["name"] as? String) }
        } else { names = [] }
        return try names.map { try ReferenceCase(name: $0) }
    }

    init(name: String) throws {
        let url = Self.directory.appendingPathComponent(name.hasSuffix(".json") ? name : "\(name).json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        self.name = name
        dimension = json["dim"] as! Int
        let objective = json["objective"] as! [String: Any]
        hessian = (objective["H"] as! [[Double]]).flatMap { $0 }
        centre = objective["c"] as! [Double]
        x0 = json["x0"] as! [Double]
        noise = json["noise"] as! [[Double]]
        lr = json["lr"] as! [Double]
        grad = json["grad"] as! [[Double]]
        clippedGrad = json["clipped_grad"] as? [[Double]]
        trajectory = json["trajectory"] as! [[Double]]
        optimizer = json["optimizer"] as! [String: Any]
        schedule = json["schedule"] as! [String: Any]
        clip = json["clip"] as? [String: Any]
    }

    var gradientClip: GradientClip {
        guard let clip else { return .none }
        if clip["name"] as? String == "clip_grad_norm" {
            return .norm(maxNorm: clip["max_norm"] as! Double, normType: clip["norm_type"] as? Double ?? 2)
        }
        return .value(clip["clip_value"] as! Double)
    }

    /// max_t ‖x_t − x_ref,t‖_∞ / max(1, ‖x_ref,t‖_∞), the metric of FORMAT.md.
    static func error(_ actual: [[Double]], _ reference: [[Double]]) -> Double {
        var worst = 0.0
        for (a, r) in zip(actual, reference) {
            let difference = zip(a, r).map { Swift.abs($0 - $1) }.max() ?? 0
            worst = Swift.max(worst, difference / Swift.max(1, r.map(Swift.abs).max() ?? 0))
        }
        return worst
    }

    struct Replay {
        var trajectory: [[Double]] = []
        var grad: [[Double]] = []
        var clippedGrad: [[Double]] = []
        var lr: [Double] = []
    }

    /// Replays the case with our optimizer, schedule and clipping, one chain (stride 1).
    func replay(_ optimizer: any Optimizer, decay: WeightDecay?, schedule: any Schedule) -> Replay {
        let d = dimension
        var x = x0
        var state = [Double](repeating: 0, count: Swift.max(1, d * optimizer.stateVectors))
        state.withUnsafeMutableBufferPointer { optimizer.initializeState($0.baseAddress!, stride: 1, count: 1, dimension: d) }
        var scratch = [0.0]
        var out = Replay()
        let normals = NormalSource(generator: Philox4x32(seed: 0))
        for t in 1...noise.count {
            var g = [Double](repeating: 0, count: d)
            for i in 0..<d {
                var s = 0.0
                for j in 0..<d { s += hessian[i * d + j] * (x[j] - centre[j]) }
                g[i] = s + noise[t - 1][i]
            }
            out.grad.append(g)
            g.withUnsafeMutableBufferPointer { gp in
                scratch.withUnsafeMutableBufferPointer { gradientClip.apply(gp.baseAddress!, stride: 1, count: 1, dimension: d, scratch: $0.baseAddress!) }
            }
            out.clippedGrad.append(g)
            let rate = schedule.learningRate(update: t)
            out.lr.append(rate)
            x.withUnsafeMutableBufferPointer { xp in
                g.withUnsafeMutableBufferPointer { gp in
                    state.withUnsafeMutableBufferPointer { sp in
                        let tile = OptimizerTile(x: xp.baseAddress!, g: gp.baseAddress!, state: sp.baseAddress!, stride: 1, count: 1,
                                                 dimension: d, firstChain: 0, step: t, lr: rate, normals: normals)
                        decay?.apply(tile)
                        optimizer.update(tile)
                    }
                }
            }
            out.trajectory.append(x)
        }
        return out
    }
}
