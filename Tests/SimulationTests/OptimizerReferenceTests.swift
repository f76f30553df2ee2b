import XCTest
@testable import Simulation

/// Every reference case of Fixtures/reference (PyTorch 2.15 / optax 0.2.8, float64) replayed
/// with our optimizer, clipping and schedule, to the 1e-10 metric of FORMAT.md.
final class OptimizerReferenceTests: XCTestCase {
    static let tolerance = 1e-10

    func testEveryReferenceCaseMatchesItsLibrary() throws {
        let cases = try ReferenceCase.all()
        XCTAssertEqual(cases.count, 46, "index.json lists 46 cases")
        var replayed = 0
        // Worst error per optimizer name and per schedule name, printed for the record.
        var worstByOptimizer: [String: Double] = [:], worstByScheduleLR: [String: Double] = [:]
        var worstGrad = 0.0
        for reference in cases {
            let optimizer: (rule: any Optimizer, decay: WeightDecay?), schedule: any Schedule
            do {
                optimizer = try reference.makeOptimizer()
                schedule = try reference.makeSchedule()
            } catch {
                XCTFail("unmapped case: \(error)")
                continue
            }
            let e = reference.errors(of: reference.replay(optimizer.rule, decay: optimizer.decay, schedule: schedule))
            XCTAssertLessThanOrEqual(e.trajectory, Self.tolerance, "\(reference.name): trajectory")
            XCTAssertLessThanOrEqual(e.grad, Self.tolerance, "\(reference.name): grad")
            XCTAssertLessThanOrEqual(e.clippedGrad, Self.tolerance, "\(reference.name): clipped grad")
            XCTAssertLessThanOrEqual(e.lr, Self.tolerance, "\(reference.name): lr")
            let optimizerName = reference.optimizer["name"] as? String ?? "?"
            let scheduleName = reference.schedule["name"] as? String ?? "?"
            worstByOptimizer[optimizerName] = Swift.max(worstByOptimizer[optimizerName] ?? 0, e.trajectory)
            worstByScheduleLR[scheduleName] = Swift.max(worstByScheduleLR[scheduleName] ?? 0, e.lr)
            worstGrad = Swift.max(worstGrad, e.grad, e.clippedGrad)
            replayed += 1
        }
        XCTAssertEqual(replayed, 46, "every case is mapped and replayed")
        for (name, error) in worstByOptimizer.sorted(by: { $0.key < $1.key }) {
            print("reference trajectory  \(name): worst \(error)")
        }
        for (name, error) in worstByScheduleLR.sorted(by: { $0.key < $1.key }) {
            print("reference lr          \(name): worst \(error)")
        }
        print("reference grad / clipped grad: worst \(worstGrad); cases replayed: \(replayed)")
    }

    /// Every optimizer name and schedule name of FORMAT.md occurs in the set, so none of the
    /// catalogue's reference mappings goes untested.
    func testTheCasesCoverTheWholeCatalogue() throws {
        let cases = try ReferenceCase.all()
        let optimizers = Set(cases.compactMap { $0.optimizer["name"] as? String })
        let schedules = Set(cases.compactMap { $0.schedule["name"] as? String })
        XCTAssertEqual(optimizers, ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adamax", "NAdam", "RAdam", "Lion", "SignSGD", "Signum"])
        XCTAssertEqual(schedules, ["constant", "LinearLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "StepLR",
                                   "ExponentialLR", "SequentialLR"])
        XCTAssertEqual(Set(cases.compactMap { $0.clip?["name"] as? String }), ["clip_grad_norm", "clip_grad_value"])
    }

    /// An unknown optimizer or an unmapped hyper-parameter fails loudly instead of being ignored.
    func testAnUnmappedCaseIsAnError() throws {
        let reference = try ReferenceCase(name: "adam")
        var renamed = reference.optimizer
        renamed["name"] = "Sophia"
        XCTAssertThrowsError(try ReferenceCase.optimizer(from: renamed, dimension: 3))
        XCTAssertNoThrow(try ReferenceCase.optimizer(from: reference.optimizer, dimension: 3))
        var extra = reference.optimizer
        extra["maximize"] = true
        XCTAssertThrowsError(try ReferenceCase.optimizer(from: extra, dimension: 3))
        var schedule = reference.schedule
        schedule["name"] = "OneCycleLR"
        XCTAssertThrowsError(try ReferenceCase.schedule(from: schedule))
    }
}
