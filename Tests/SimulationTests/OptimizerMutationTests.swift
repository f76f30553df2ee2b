import XCTest
@testable import Simulation

/// The reference vectors are sharp for our code too: each convention mistake of FORMAT.md
/// ("What the vectors catch"), written as a test-only variant of the optimizer, fails the
/// 1e-10 metric on at least one case, while the same variant without the mistake passes
/// (so the failure is the mistake's, not the variant's).
final class OptimizerMutationTests: XCTestCase {
    /// The FORMAT.md trajectory error of `optimizer` on the case `name`, with the case's schedule and clipping.
    private func trajectoryError<P: LiteralOptimizer>(_ optimizer: P, on name: String) throws -> Double {
        let reference = try ReferenceCase(name: name)
        return reference.errors(of: reference.replay(optimizer, decay: nil, schedule: try reference.makeSchedule())).trajectory
    }

    private func assertCaught<P: LiteralOptimizer>(
        control: P, mutant: P, on name: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let good = try trajectoryError(control, on: name), bad = try trajectoryError(mutant, on: name)
        XCTAssertLessThanOrEqual(good, OptimizerReferenceTests.tolerance, "\(name): the unmutated variant", file: file, line: line)
        XCTAssertGreaterThan(bad, OptimizerReferenceTests.tolerance, "\(name): the mutant passes", file: file, line: line)
        print("mutation on \(name): \(bad) (unmutated \(good))")
    }

    func testAdamEpsInsideTheSquareRootIsCaught() throws {
        try assertCaught(control: MutantAdam(lambda: 0), mutant: MutantAdam(lambda: 0, mutation: .epsInsideSqrt), on: "adam")
    }

    func testAdamWDecayAfterTheStepIsCaught() throws {
        try assertCaught(control: MutantAdam(lambda: 0.1, decoupled: true),
                         mutant: MutantAdam(lambda: 0.1, decoupled: true, mutation: .decayAfterStep), on: "adamw")
    }

    func testAdamWDecayWithTheUnscheduledBaseLRIsCaught() throws {
        try assertCaught(control: MutantAdam(lambda: 0.1, decoupled: true),
                         mutant: MutantAdam(lambda: 0.1, decoupled: true, mutation: .decayWithLR(0.05)), on: "adamw_cosine")
    }

    func testAMSGradMaxOfTheBiasCorrectedVIsCaught() throws {
        try assertCaught(control: MutantAdam(beta2: 0.95, lambda: 0, amsgrad: true),
                         mutant: MutantAdam(beta2: 0.95, lambda: 0, amsgrad: true, mutation: .maxOfCorrectedV), on: "adam_amsgrad")
    }

    func testRAdamEpsOnTheBiasCorrectedVIsCaught() throws {
        try assertCaught(control: MutantRAdam(), mutant: MutantRAdam(mutation: .epsOnCorrectedV), on: "radam")
    }

    func testRAdamRectifyingOneStepEarlyIsCaught() throws {
        try assertCaught(control: MutantRAdam(), mutant: MutantRAdam(mutation: .threshold4), on: "radam")
    }

    /// `ρₜ ≥ 5` (optax) instead of torch's `ρₜ > 5` cannot be caught by any vector: ρₜ is never
    /// exactly 5 (ρ₅ = 4.996, ρ₆ = 5.994 for β₂ = 0.999), so both tests take the same branch at
    /// every step. Recorded here so that nobody counts it as covered.
    func testRAdamNonStrictThresholdIsIndistinguishable() throws {
        for name in ["radam", "radam_decoupled_weight_decay"] {
            let reference = try ReferenceCase(name: name)
            let lambda = try ReferenceCase.number(reference.optimizer, "weight_decay", in: name)
            let control = MutantRAdam(lambda: lambda), mutant = MutantRAdam(lambda: lambda, mutation: .nonStrictThreshold)
            XCTAssertEqual(try trajectoryError(control, on: name), try trajectoryError(mutant, on: name))
        }
        for t in 1...100 { XCTAssertNotEqual(MutantRAdam.rho(beta2: 0.999, t: t), 5) }
    }

    func testNAdamWithAFloat32MuProductIsCaught() throws {
        try assertCaught(control: MutantNAdam(), mutant: MutantNAdam(mutation: .float32Product), on: "nadam")
    }

    func testNAdamWithoutTheMomentumScheduleIsCaught() throws {
        try assertCaught(control: MutantNAdam(), mutant: MutantNAdam(mutation: .constantMu), on: "nadam")
    }

    func testRMSpropEpsInsideTheSquareRootIsCaught() throws {
        try assertCaught(control: MutantRMSprop(), mutant: MutantRMSprop(epsInsideSqrt: true), on: "rmsprop")
    }

    func testAdagradEpsInsideTheSquareRootIsCaught() throws {
        let name = "adagrad_lr_decay_init_acc_weight_decay"
        try assertCaught(control: MutantAdagrad(), mutant: MutantAdagrad(epsInsideSqrt: true), on: name)
    }

    func testAdamaxEpsOutsideTheMaxIsCaught() throws {
        try assertCaught(control: MutantAdamax(), mutant: MutantAdamax(epsOutsideMax: true), on: "adamax_weight_decay")
    }

    func testLionSignOfTheUpdatedMomentumIsCaught() throws {
        try assertCaught(control: MutantLion(), mutant: MutantLion(signOfUpdatedMomentum: true), on: "lion")
    }
}

// Test-only variants. Hyper-parameters the mutated cases do not vary are fixed to the cases'
// values; the variants only handle what those cases use (uniform decay, no momentum …).

/// A rule written literally, as the reference's formulas read: its own offsets into the
/// state block (vector v of coordinate k at (v·d + k)·stride + c) and its weight decay inline.
private protocol LiteralOptimizer: Optimizer {
    var literalVectors: Int { get }
    func initialValue(vector: Int) -> Double
    func literalUpdate(_ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>, state: UnsafeMutablePointer<Double>,
                       stride: Int, count: Int, dimension d: Int, lr: Double, step: Int)
}

extension LiteralOptimizer {
    func initialValue(vector: Int) -> Double { 0 }

    var state: [StateVector] { (0..<literalVectors).map { StateVector(index: $0, initialValue: initialValue(vector: $0)) } }

    func update(_ tile: OptimizerTile) {
        literalUpdate(tile.x, gradient: tile.g, state: tile.state, stride: tile.stride, count: tile.count, dimension: tile.dimension,
                      lr: tile.lr, step: tile.step)
    }
}

private struct MutantAdam: LiteralOptimizer {
    enum Mutation { case none, epsInsideSqrt, decayAfterStep, decayWithLR(Double), maxOfCorrectedV }
    var beta1 = 0.9, beta2 = 0.999, eps = 1e-8
    var lambda: Double
    var decoupled = false, amsgrad = false
    var mutation = Mutation.none

    var literalVectors: Int { 3 }

    func literalUpdate(_ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>, state: UnsafeMutablePointer<Double>,
                       stride: Int, count: Int, dimension d: Int, lr: Double, step: Int) {
        let bc1 = 1 - _pow(beta1, Double(step)), bc2 = 1 - _pow(beta2, Double(step))
        var decayLR = lr
        if case .decayWithLR(let base) = mutation { decayLR = base }
        for k in 0..<d {
            for c in 0..<count {
                let i = k * stride + c, m = (k) * stride + c, v = (d + k) * stride + c, vmax = (2 * d + k) * stride + c
                var grad = g[i]
                if decoupled {
                    if case .decayAfterStep = mutation {} else { x[i] *= 1 - decayLR * lambda }
                } else {
                    grad += lambda * x[i]
                }
                state[m] = beta1 * state[m] + (1 - beta1) * grad
                state[v] = beta2 * state[v] + (1 - beta2) * grad * grad
                var second = state[v]
                if amsgrad {
                    if case .maxOfCorrectedV = mutation {
                        state[vmax] = Swift.max(state[vmax], state[v] / bc2)
                        second = state[vmax] * bc2
                    } else {
                        state[vmax] = Swift.max(state[vmax], state[v])
                        second = state[vmax]
                    }
                }
                if case .epsInsideSqrt = mutation {
                    x[i] -= lr / bc1 * state[m] / (second / bc2 + eps).squareRoot()
                } else {
                    x[i] -= lr / bc1 * state[m] / (second.squareRoot() / bc2.squareRoot() + eps)
                }
                if decoupled, case .decayAfterStep = mutation { x[i] *= 1 - lr * lambda }
            }
        }
    }
}

private struct MutantRAdam: LiteralOptimizer {
    enum Mutation { case none, epsOnCorrectedV, nonStrictThreshold, threshold4 }
    var beta1 = 0.9, beta2 = 0.999, eps = 1e-8
    var lambda = 0.0
    var mutation = Mutation.none

    var literalVectors: Int { 2 }

    static func rho(beta2: Double, t: Int) -> Double {
        let rhoInfinity = 2 / (1 - beta2) - 1
        return rhoInfinity - 2 * Double(t) * _pow(beta2, Double(t)) / (1 - _pow(beta2, Double(t)))
    }

    func literalUpdate(_ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>, state: UnsafeMutablePointer<Double>,
                       stride: Int, count: Int, dimension d: Int, lr: Double, step: Int) {
        let bc1 = 1 - _pow(beta1, Double(step)), bc2 = 1 - _pow(beta2, Double(step))
        let rhoInfinity = 2 / (1 - beta2) - 1, rho = Self.rho(beta2: beta2, t: step)
        let rectified: Bool
        switch mutation {
        case .nonStrictThreshold: rectified = rho >= 5
        case .threshold4: rectified = rho > 4
        default: rectified = rho > 5
        }
        let r = ((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho)).squareRoot()
        for k in 0..<d {
            for c in 0..<count {
                let i = k * stride + c, m = k * stride + c, v = (d + k) * stride + c
                x[i] *= 1 - lr * lambda  // the decoupled case; lambda = 0 elsewhere
                state[m] = beta1 * state[m] + (1 - beta1) * g[i]
                state[v] = beta2 * state[v] + (1 - beta2) * g[i] * g[i]
                let mhat = state[m] / bc1
                if !rectified {
                    x[i] -= lr * mhat
                } else if case .epsOnCorrectedV = mutation {
                    x[i] -= lr * mhat * r / ((state[v] / bc2).squareRoot() + eps)
                } else {
                    x[i] -= lr * mhat * r * bc2.squareRoot() / (state[v].squareRoot() + eps)
                }
            }
        }
    }
}

private struct MutantNAdam: LiteralOptimizer {
    enum Mutation { case none, float32Product, constantMu }
    var beta1 = 0.9, beta2 = 0.999, eps = 1e-8, psi = 4e-3
    var mutation = Mutation.none

    var literalVectors: Int { 3 }

    func initialValue(vector: Int) -> Double { vector == 2 ? 1 : 0 }

    func literalUpdate(_ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>, state: UnsafeMutablePointer<Double>,
                       stride: Int, count: Int, dimension d: Int, lr: Double, step: Int) {
        let t = Double(step), bc2 = 1 - _pow(beta2, t)
        var mu = beta1 * (1 - 0.5 * _pow(0.96, t * psi)), muNext = beta1 * (1 - 0.5 * _pow(0.96, (t + 1) * psi))
        if case .constantMu = mutation { (mu, muNext) = (beta1, beta1) }
        for k in 0..<d {
            for c in 0..<count {
                let i = k * stride + c, m = k * stride + c, v = (d + k) * stride + c, p = (2 * d + k) * stride + c
                if case .float32Product = mutation {
                    state[p] = Double(Float(state[p]) * Float(mu))  // torch's 0-d tensor in the default float32
                } else {
                    state[p] *= mu
                }
                state[m] = beta1 * state[m] + (1 - beta1) * g[i]
                state[v] = beta2 * state[v] + (1 - beta2) * g[i] * g[i]
                let den = (state[v] / bc2).squareRoot() + eps
                x[i] -= lr * (1 - mu) / (1 - state[p]) * g[i] / den
                x[i] -= lr * muNext / (1 - state[p] * muNext) * state[m] / den
            }
        }
    }
}

private struct MutantRMSprop: LiteralOptimizer {
    var alpha = 0.99, eps = 1e-8
    var epsInsideSqrt = false

    var literalVectors: Int { 1 }

    func literalUpdate(_ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>, state: UnsafeMutablePointer<Double>,
                       stride: Int, count: Int, dimension d: Int, lr: Double, step: Int) {
        for k in 0..<d {
            for c in 0..<count {
                let i = k * stride + c
                state[i] = alpha * state[i] + (1 - alpha) * g[i] * g[i]
                x[i] -= lr * g[i] / (epsInsideSqrt ? (state[i] + eps).squareRoot() : state[i].squareRoot() + eps)
            }
        }
    }
}

private struct MutantAdagrad: LiteralOptimizer {
    var lrDecay = 0.01, lambda = 0.01, initial = 0.1, eps = 1e-6
    var epsInsideSqrt = false

    var literalVectors: Int { 1 }

    func initialValue(vector: Int) -> Double { initial }

    func literalUpdate(_ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>, state: UnsafeMutablePointer<Double>,
                       stride: Int, count: Int, dimension d: Int, lr: Double, step: Int) {
        let clr = lr / (1 + Double(step - 1) * lrDecay)
        for k in 0..<d {
            for c in 0..<count {
                let i = k * stride + c
                let grad = g[i] + lambda * x[i]
                state[i] += grad * grad
                x[i] -= clr * grad / (epsInsideSqrt ? (state[i] + eps).squareRoot() : state[i].squareRoot() + eps)
            }
        }
    }
}

private struct MutantAdamax: LiteralOptimizer {
    var beta1 = 0.9, beta2 = 0.999, eps = 1e-6, lambda = 0.05
    var epsOutsideMax = false

    var literalVectors: Int { 2 }

    func literalUpdate(_ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>, state: UnsafeMutablePointer<Double>,
                       stride: Int, count: Int, dimension d: Int, lr: Double, step: Int) {
        let bc1 = 1 - _pow(beta1, Double(step))
        for k in 0..<d {
            for c in 0..<count {
                let i = k * stride + c, m = k * stride + c, u = (d + k) * stride + c
                let grad = g[i] + lambda * x[i]
                state[m] = beta1 * state[m] + (1 - beta1) * grad
                if epsOutsideMax {
                    state[u] = Swift.max(beta2 * state[u], Swift.abs(grad))
                    x[i] -= lr / bc1 * state[m] / (state[u] + eps)
                } else {
                    state[u] = Swift.max(beta2 * state[u], Swift.abs(grad) + eps)
                    x[i] -= lr / bc1 * state[m] / state[u]
                }
            }
        }
    }
}

private struct MutantLion: LiteralOptimizer {
    var beta1 = 0.9, beta2 = 0.99, lambda = 0.1
    var signOfUpdatedMomentum = false

    var literalVectors: Int { 1 }

    func literalUpdate(_ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>, state: UnsafeMutablePointer<Double>,
                       stride: Int, count: Int, dimension d: Int, lr: Double, step: Int) {
        for k in 0..<d {
            for c in 0..<count {
                let i = k * stride + c
                let direction: Double
                if signOfUpdatedMomentum {
                    state[i] = beta2 * state[i] + (1 - beta2) * g[i]
                    direction = state[i]
                } else {
                    direction = beta1 * state[i] + (1 - beta1) * g[i]
                    state[i] = beta2 * state[i] + (1 - beta2) * g[i]
                }
                x[i] = x[i] * (1 - lr * lambda) - lr * (direction > 0 ? 1 : direction < 0 ? -1 : 0)
            }
        }
    }
}
