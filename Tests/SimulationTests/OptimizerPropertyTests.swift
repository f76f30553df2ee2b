import XCTest
@testable import Simulation

/// Properties every optimizer of the catalogue must have, beyond the reference vectors:
/// fixed points, per-coordinate weight decay, and independence from how chains are tiled.
final class OptimizerPropertyTests: XCTestCase {
    /// Every optimizer and variant of the catalogue, with weight decay λ per coordinate (coupled
    /// or decoupled, as the variant's entry declares) where it has one.
    static func catalogue(_ lambdas: [Double]) -> [(name: String, optimizer: any Optimizer, decay: WeightDecay?)] {
        let coupled = WeightDecay.coupled(lambdas), decoupled = WeightDecay.decoupled(lambdas)
        return [
            ("SGD momentum nesterov", SGD(momentum: 0.9, nesterov: true), coupled),
            ("Adam", Adam(), coupled),
            ("Adam amsgrad", Adam(beta2: 0.95, amsgrad: true), coupled),
            ("AdamW", Adam(), decoupled),
            ("AdamW amsgrad", Adam(beta2: 0.95, amsgrad: true), decoupled),
            ("RMSprop", RMSprop(), coupled),
            ("RMSprop centered", RMSprop(centered: true), coupled),
            ("RMSprop momentum", RMSprop(momentum: 0.9), coupled),
            ("RMSprop centered momentum", RMSprop(momentum: 0.9, centered: true), coupled),
            ("Adagrad", Adagrad(), coupled),
            ("Adagrad decay accumulator", Adagrad(lrDecay: 0.01, initialAccumulatorValue: 0.1, eps: 1e-6), coupled),
            ("Adamax", Adamax(), coupled),
            ("NAdam", NAdam(), coupled),
            ("NAdam decoupled", NAdam(), decoupled),
            ("RAdam", RAdam(), coupled),
            ("RAdam decoupled", RAdam(), decoupled),
            ("Lion", Lion(), decoupled),
            ("SignSGD", SignSGD(), nil),
            ("Signum", Signum(), nil),
            ("SGLD T = 0", SGLD(temperature: 0), coupled),
        ]
    }

    let normals = NormalSource(generator: Philox4x32(seed: 42))

    /// With g = 0 from x = 0 and the initial state, no rule moves x (0/(0 + ε) = 0, sign(0) = 0,
    /// decay of 0 is 0), and the state stays finite — also past RAdam's rectification at t = 6.
    func testZeroGradientAtTheOriginIsAFixedPoint() {
        for (name, optimizer, decay) in Self.catalogue([0.05, 0.1, 0.2]) {
            var tile = OptimizerHarness(optimizer, decay: decay, dimension: 3, stride: 5, count: 4, firstChain: 11) { _, _ in 0 }
            for t in 1...20 { tile.step(optimizer, t: t, lr: 0.1, normals: normals) { _, _, _ in 0 } }
            for chain in 11..<15 {
                XCTAssertEqual(tile.x(chain: chain), [0, 0, 0], name)
                for v in 0..<optimizer.stateVectors {
                    XCTAssertTrue(tile.state(chain: chain, vector: v).allSatisfy(\.isFinite), "\(name): state \(v)")
                }
            }
            XCTAssertTrue(tile.paddingIsUntouched, name)
        }
    }

    /// The states that do not start at 0: Adagrad's accumulator and NAdam's μ product.
    func testInitialStates() {
        let adagrad = Adagrad(initialAccumulatorValue: 0.25)
        let tile = OptimizerHarness(adagrad, dimension: 2, stride: 3, count: 2, firstChain: 0) { _, _ in 1 }
        XCTAssertEqual(tile.state(chain: 1, vector: 0), [0.25, 0.25])
        XCTAssertTrue(tile.paddingIsUntouched)

        let nadam = NAdam()
        var nadamTile = OptimizerHarness(nadam, dimension: 2, stride: 3, count: 2, firstChain: 0) { _, _ in 1 }
        XCTAssertEqual(nadamTile.state(chain: 1, vector: 0), [0, 0])
        XCTAssertEqual(nadamTile.state(chain: 1, vector: 2), [1, 1])
        // After t steps, P = ∏_{i≤t} μᵢ multiplied in order, as torch's mu_product.
        var product = 1.0
        for t in 1...30 {
            nadamTile.step(nadam, t: t, lr: 0.01, normals: normals, gradient: testGradient(normals: normals, t: t))
            product *= 0.9 * (1 - 0.5 * _pow(0.96, Double(t) * 4e-3))
        }
        XCTAssertEqual(nadamTile.state(chain: 0, vector: 2), [product, product])
        XCTAssertTrue(nadamTile.paddingIsUntouched)
    }

    /// Our NAdam holds P at 0 once it is below 2⁻⁶⁰ (keeping it out of the subnormal range);
    /// torch keeps multiplying. Over 3000 steps — the literal P turns subnormal at t = 976 and
    /// stays there — x, m and v are bit-identical to the literal product's, and P equals it
    /// while it is above 2⁻⁶⁰.
    func testNAdamHoldingATinyMuProductAtZeroChangesNoIterate() {
        let ours = NAdam(), decay = WeightDecay.decoupled([0.01, 0, 0.02])
        var literal = ours
        literal.productFloor = 0
        var a = OptimizerHarness(ours, decay: decay, dimension: 3, stride: 4, count: 3, firstChain: 0) { c, k in Double(c - k) }
        var b = OptimizerHarness(literal, decay: decay, dimension: 3, stride: 4, count: 3, firstChain: 0) { c, k in Double(c - k) }
        var sawSubnormal = false
        for t in 1...3000 {
            a.step(ours, t: t, lr: 1e-3, normals: normals, gradient: testGradient(normals: normals, t: t))
            b.step(literal, t: t, lr: 1e-3, normals: normals, gradient: testGradient(normals: normals, t: t))
            XCTAssertEqual(a.x, b.x, "t = \(t)")
            for chain in 0..<3 {
                XCTAssertEqual(a.state(chain: chain, vector: 0), b.state(chain: chain, vector: 0), "m, t = \(t)")
                XCTAssertEqual(a.state(chain: chain, vector: 1), b.state(chain: chain, vector: 1), "v, t = \(t)")
                let p = b.state(chain: chain, vector: 2)
                sawSubnormal = sawSubnormal || p.contains { $0.isSubnormal }
                XCTAssertEqual(a.state(chain: chain, vector: 2), p.map { $0 >= 0x1p-60 ? $0 : 0 }, "P, t = \(t)")
            }
        }
        XCTAssertTrue(sawSubnormal, "the literal P does reach the subnormal range")
    }

    /// Weight decay λ = (λ₀, λ₁, λ₂) acts on coordinate k with λₖ alone: every rule is elementwise,
    /// so coordinate k of a 3-d run equals a 1-d run with decay λₖ and the same gradients, bit for
    /// bit; and the decay is really applied (λ₀ = 0 leaves coordinate 0 as without decay).
    func testPerCoordinateWeightDecayAppliesTheKthValueToCoordinateK() {
        let lambdas = [0.0, 0.05, 0.3]
        let steps = 15, chains = 2
        let full = Self.catalogue(lambdas)
        let none = Self.catalogue([0, 0, 0])
        let alone = lambdas.map { Self.catalogue([$0]) }
        func lr(_ t: Int) -> Double { 0.05 * (1 + 0.5 * _cos(Double(t))) }
        func start(_ chain: Int, _ k: Int) -> Double { Double(k + 1) * (chain % 2 == 0 ? 0.7 : -1.3) }
        for index in full.indices {
            let name = full[index].name
            func run(_ optimizer: any Optimizer, _ decay: WeightDecay?) -> [[Double]] {
                var tile = OptimizerHarness(optimizer, decay: decay, dimension: 3, stride: chains, count: chains, firstChain: 0, start: start)
                for t in 1...steps { tile.step(optimizer, t: t, lr: lr(t), normals: normals, gradient: testGradient(normals: normals, t: t)) }
                return (0..<chains).map { tile.x(chain: $0) }
            }
            let decayed = run(full[index].optimizer, full[index].decay), undecayed = run(none[index].optimizer, none[index].decay)
            for k in 0..<3 {
                let optimizer = alone[k][index].optimizer
                var tile = OptimizerHarness(optimizer, decay: alone[k][index].decay, dimension: 1, stride: chains, count: chains, firstChain: 0) { chain, _ in start(chain, k) }
                for t in 1...steps {
                    let gradient = testGradient(normals: normals, t: t)
                    tile.step(optimizer, t: t, lr: lr(t), normals: normals) { chain, _, x in
                        var point = [0.0, 0.0, 0.0]
                        point[k] = x[0]
                        return gradient(chain, k, point)
                    }
                }
                for chain in 0..<chains {
                    XCTAssertEqual(decayed[chain][k], tile.x(chain: chain)[0], "\(name): coordinate \(k)")
                }
            }
            let hasDecay = !(name.hasPrefix("Sign"))
            for chain in 0..<chains {
                XCTAssertEqual(decayed[chain][0], undecayed[chain][0], "\(name): λ₀ = 0")
                if hasDecay {
                    XCTAssertNotEqual(decayed[chain][1], undecayed[chain][1], "\(name): λ₁ ignored")
                    XCTAssertNotEqual(decayed[chain][2], undecayed[chain][2], "\(name): λ₂ ignored")
                }
            }
        }
    }

    /// A chain's trajectory and state do not depend on the tile it is in (its slot, the
    /// tile's capacity, its neighbours), and an update never writes outside its tile's chains.
    func testTilingDoesNotChangeAChainsTrajectory() {
        var optimizers = Self.catalogue([0.02, 0, 0.1])
        optimizers.append(("SGLD T = 0.5", SGLD(temperature: 0.5), .coupled([0.02, 0, 0.1])))
        let tilings: [[(chains: Range<Int>, stride: Int)]] = [
            [(0..<7, 7)],
            [(0..<3, 4), (3..<5, 4), (5..<7, 2)],
            (0..<7).map { ($0..<$0 + 1, 1) },
        ]
        for (name, optimizer, decay) in optimizers {
            var results: [[(x: [Double], state: [[Double]])]] = []
            for tiling in tilings {
                var perChain: [(x: [Double], state: [[Double]])] = []
                for (chains, stride) in tiling {
                    var tile = OptimizerHarness(optimizer, decay: decay, dimension: 3, stride: stride, count: chains.count,
                                             firstChain: chains.lowerBound) { chain, k in 0.3 * Double(chain - k) }
                    for t in 1...12 {
                        tile.step(optimizer, t: t, lr: 0.02 * Double(13 - t), normals: normals,
                                  gradient: testGradient(normals: normals, t: t))
                    }
                    XCTAssertTrue(tile.paddingIsUntouched, "\(name): wrote outside the tile")
                    for chain in chains {
                        perChain.append((tile.x(chain: chain), (0..<optimizer.stateVectors).map { tile.state(chain: chain, vector: $0) }))
                    }
                }
                results.append(perChain)
            }
            for tiling in 1..<results.count {
                for chain in 0..<7 {
                    XCTAssertEqual(results[tiling][chain].x, results[0][chain].x, "\(name): chain \(chain), tiling \(tiling)")
                    XCTAssertEqual(results[tiling][chain].state, results[0][chain].state, "\(name): chain \(chain), tiling \(tiling)")
                }
            }
        }
    }
}
