import XCTest
@testable import Simulation

/// SGD (plain, momentum, dampening, Nesterov, coupled weight decay, clipping) against the
/// PyTorch reference trajectories, to the 1e-10 metric of FORMAT.md.
final class SGDReferenceTests: XCTestCase {
    func testSGDMatchesTorchOnEveryConstantScheduleCase() throws {
        let cases = try ReferenceCase.all().filter {
            $0.optimizer["name"] as? String == "SGD" && $0.schedule["name"] as? String == "constant"
        }
        XCTAssertEqual(cases.count, 8, "expected the 8 constant-schedule SGD cases")
        for reference in cases {
            let o = reference.optimizer
            let sgd = SGD(momentum: o["momentum"] as! Double, dampening: o["dampening"] as! Double,
                          nesterov: o["nesterov"] as! Bool)
            let decay = WeightDecay.coupled([Double](repeating: o["weight_decay"] as! Double, count: reference.dimension))
            let replay = reference.replay(sgd, decay: decay, schedule: ConstantSchedule(baseLR: reference.schedule["base_lr"] as! Double))
            XCTAssertLessThanOrEqual(ReferenceCase.error(replay.grad, reference.grad), 1e-10, "\(reference.name): grad")
            if let clipped = reference.clippedGrad {
                XCTAssertLessThanOrEqual(ReferenceCase.error(replay.clippedGrad, clipped), 1e-10, "\(reference.name): clipped grad")
            }
            XCTAssertLessThanOrEqual(ReferenceCase.error(replay.trajectory, reference.trajectory), 1e-10, "\(reference.name): trajectory")
            for (a, r) in zip(replay.lr, reference.lr) {
                XCTAssertLessThanOrEqual(Swift.abs(a - r) / Swift.abs(r), 1e-10, "\(reference.name): lr")
            }
        }
    }

    /// The vectors are sharp: torch's first-step rule (no dampening at t = 1) matters.
    func testDampeningOnTheFirstStepWouldBeCaught() throws {
        let reference = try ReferenceCase(name: "sgd_momentum_dampening")
        let o = reference.optimizer
        let sgd = SGD(momentum: o["momentum"] as! Double, dampening: o["dampening"] as! Double, nesterov: false)
        // Starting the replay at t = 2 applies dampening to the first gradient.
        struct Shifted: Optimizer {
            let inner: any Optimizer
            var state: [StateVector] { inner.state }
            func update(_ tile: OptimizerTile) {
                inner.update(OptimizerTile(x: tile.x, g: tile.g, state: tile.state, stride: tile.stride, count: tile.count,
                                           dimension: tile.dimension, firstChain: tile.firstChain, step: tile.step + 1, lr: tile.lr,
                                           normals: tile.normals))
            }
        }
        let wrong = reference.replay(Shifted(inner: sgd), decay: nil, schedule: ConstantSchedule(baseLR: reference.schedule["base_lr"] as! Double))
        XCTAssertGreaterThan(ReferenceCase.error(wrong.trajectory, reference.trajectory), 1e-8)
    }
}
