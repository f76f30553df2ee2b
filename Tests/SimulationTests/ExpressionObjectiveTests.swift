import Dispatch
import XCTest
@testable import Simulation

/// The expression objective against hand-written derivatives and finite differences, its
/// tile layout, its minimum search, and its throughput.
final class ExpressionObjectiveTests: XCTestCase {
    /// SplitMix64, so the random points are the same on every run.
    private struct Points {
        var state: UInt64
        mutating func next(in range: ClosedRange<Double>) -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return range.lowerBound + (range.upperBound - range.lowerBound) * Double(z >> 11) / Double(1 << 53)
        }
        mutating func point(_ d: Int, in range: ClosedRange<Double> = -2...2) -> [Double] { (0..<d).map { _ in next(in: range) } }
    }

    /// ∇f at one point through the tile interface (one chain, stride 1).
    private func gradient(_ f: ExpressionObjective, at x: [Double]) -> [Double] {
        var g = [Double](repeating: .nan, count: x.count)
        x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { f.gradient(xp.baseAddress!, into: $0.baseAddress!, stride: 1, count: 1) } }
        return g
    }

    /// |a − b| ≤ tolerance · max(1, ‖reference‖∞): relative to the size of the whole
    /// vector, since single components may cancel to near zero.
    private func assertClose(_ a: [Double], _ reference: [Double], _ tolerance: Double, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, reference.count, what, file: file, line: line)
        let scale = Swift.max(1, reference.map(abs).max() ?? 0)
        for (i, (u, v)) in zip(a, reference).enumerated() where !(abs(u - v) <= tolerance * scale) {
            XCTFail("\(what)[\(i)]: \(u) vs \(v)", file: file, line: line)
        }
    }

    // MARK: Hand-written references

    /// f = Σ_{i<d−1} 100(x_{i+1} − x_i²)² + (1 − x_i)².
    private func rosenbrock(_ x: [Double]) -> (value: Double, gradient: [Double], hessian: [Double]) {
        let d = x.count
        var f = 0.0
        var g = [Double](repeating: 0, count: d), h = [Double](repeating: 0, count: d * d)
        for i in 0..<(d - 1) {
            let r = x[i + 1] - x[i] * x[i]
            f += 100 * r * r + (1 - x[i]) * (1 - x[i])
            g[i] += -400 * x[i] * r - 2 * (1 - x[i])
            g[i + 1] += 200 * r
            h[i * d + i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2
            h[(i + 1) * d + i + 1] += 200
            h[i * d + i + 1] += -400 * x[i]
            h[(i + 1) * d + i] += -400 * x[i]
        }
        return (f, g, h)
    }

    /// f = (x₀² − 1)² + 0.3·x₀ + 0.5·x₁².
    private func doubleWell(_ x: [Double]) -> (value: Double, gradient: [Double], hessian: [Double]) {
        ((x[0] * x[0] - 1) * (x[0] * x[0] - 1) + 0.3 * x[0] + 0.5 * x[1] * x[1],
         [4 * x[0] * (x[0] * x[0] - 1) + 0.3, x[1]],
         [12 * x[0] * x[0] - 4, 0, 0, 1])
    }

    private let rosenbrock2 = "100*(x[1]-x[0]^2)^2 + (1-x[0])^2"
    private let rosenbrock3 = "100*(x[1]-x[0]^2)^2 + (1-x[0])^2 + 100*(x[2]-x[1]^2)^2 + (1-x[1])^2"
    private let doubleWellFormula = "(x[0]^2 - 1)^2 + 0.3*x[0] + 0.5*x[1]^2"

    private func assertMatches(_ formula: String, dimension d: Int, reference: ([Double]) -> (value: Double, gradient: [Double], hessian: [Double]),
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let f = try ExpressionObjective(formula: formula, dimension: d, minimum: [Double](repeating: 0, count: d))
        var points = Points(state: UInt64(d) &* 977)
        for _ in 0..<25 {
            let x = points.point(d)
            let expected = reference(x)
            assertClose([f.value(at: x)], [expected.value], 1e-10, "f", file: file, line: line)
            assertClose(gradient(f, at: x), expected.gradient, 1e-10, "∇f", file: file, line: line)
            assertClose(f.hessian(at: x), expected.hessian, 1e-10, "H", file: file, line: line)
        }
    }

    func testRosenbrockMatchesTheHandWrittenDerivatives() throws {
        try assertMatches(rosenbrock2, dimension: 2, reference: rosenbrock)
        try assertMatches(rosenbrock3, dimension: 3, reference: rosenbrock)
    }

    func testDoubleWellMatchesTheHandWrittenDerivatives() throws {
        try assertMatches(doubleWellFormula, dimension: 2, reference: doubleWell)
    }

    /// Every function and operator against central differences: the gradient from values
    /// (h = 1e-5: truncation ~h²·f‴ ≈ 1e-10, rounding ~ε·f/h ≈ 1e-11, so 1e-7 relative is
    /// safe), the Hessian from AD gradients the same way.
    func testEveryFunctionAgainstFiniteDifferences() throws {
        let formula = """
            exp(0.3*x[0]) * sin(x[1]) + log(1 + x[0]^2) + cos(x[0]*x[1]) + tanh(x[1] - 0.5*x[2]) \
            + sqrt(2 + x[0]^2 + x[2]^2) + abs(x[0] - 3) / (1 + x[1]^2) + (2 + x[2]^2)^(0.5*x[1]) \
            + 2^x[0] - x[2]^3 + 1/(3 + x[1]^4) + x[2]^-2 + (1.5 + x[0]*x[1])^1.5/4
            """
        let d = 3
        let f = try ExpressionObjective(formula: formula, dimension: d, minimum: [0, 0, 0])
        var points = Points(state: 42)
        let h = 1e-5
        for _ in 0..<25 {
            var x = points.point(d, in: -1...1)
            if abs(x[2]) < 0.2 { x[2] = 0.5 }
            var numeric = [Double](repeating: 0, count: d), hessian = [Double](repeating: 0, count: d * d)
            for k in 0..<d {
                var up = x, down = x
                up[k] += h
                down[k] -= h
                numeric[k] = (f.value(at: up) - f.value(at: down)) / (2 * h)
                let (gu, gd) = (gradient(f, at: up), gradient(f, at: down))
                for j in 0..<d { hessian[j * d + k] = (gu[j] - gd[j]) / (2 * h) }
            }
            let analytic = gradient(f, at: x)
            assertClose(analytic, numeric, 1e-7, "∇f at \(x)")
            assertClose(f.hessian(at: x), hessian, 1e-6, "H at \(x)")
            // The second-order pass forms the gradient exactly as the tile pass does.
            let jet = f.program.secondOrder(at: x)
            XCTAssertEqual(jet.gradient, analytic)
            XCTAssertEqual(jet.value, f.value(at: x))
        }
    }

    /// Powers with a constant integer exponent are exact for negative bases; the edges of
    /// abs and sqrt follow the documented conventions.
    func testPowersAndEdges() throws {
        let square = try ExpressionObjective(formula: "x[0]^2", dimension: 1, minimum: [0])
        XCTAssertEqual(square.value(at: [-3]), 9)
        XCTAssertEqual(gradient(square, at: [-3]), [-6])
        XCTAssertEqual(square.hessian(at: [-3]), [2])
        let cube = try ExpressionObjective(formula: "x[0]^3", dimension: 1, minimum: [0])
        XCTAssertEqual(cube.value(at: [-2]), -8)
        XCTAssertEqual(gradient(cube, at: [-2]), [12])
        XCTAssertEqual(cube.hessian(at: [-2]), [-12])
        let inverse = try ExpressionObjective(formula: "x[0]^-1", dimension: 1, minimum: [1])
        XCTAssertEqual(gradient(inverse, at: [-2]), [-0.25])
        XCTAssertEqual(inverse.hessian(at: [-2]), [-0.25])
        let general = try ExpressionObjective(formula: "x[0]^x[1]", dimension: 2, minimum: [1, 1])
        XCTAssertEqual(general.value(at: [2, 3]), 8, accuracy: 1e-14)
        assertClose(gradient(general, at: [2, 3]), [12, 8 * log(2.0)], 1e-14, "∇ a^b")
        XCTAssertTrue(general.value(at: [-2, 3]).isNaN, "a^b = exp(b·log a) with a varying exponent")

        let edges = try ExpressionObjective(formula: "abs(x[0]) + sqrt(x[1])", dimension: 2, minimum: [0, 0])
        XCTAssertEqual(gradient(edges, at: [0, 4]), [0, 0.25])
        XCTAssertEqual(gradient(edges, at: [-1, 0]), [-1, .infinity])
        let root = try ExpressionObjective(formula: "sqrt(x[0])", dimension: 2, minimum: [0, 0])
        XCTAssertEqual(gradient(root, at: [0, 5]), [.infinity, 0], "0·∞ = 0 for the untouched coordinate")
        XCTAssertEqual(root.hessian(at: [0, 5]), [-.infinity, 0, 0, 0])
    }

    /// Tiles with stride > count, more chains than lanes (16) and a formula needing several
    /// passes of directions: each chain's gradient is its per-point gradient, bit for bit,
    /// and the padding slots keep their sentinel.
    func testTileGradientsEqualPointGradients() throws {
        let wide = (0..<70).map { "\(Double($0 + 1) / 10)*(x[\($0)] - \(Double($0) / 7))^2" }.joined(separator: " + ") + " + sin(x[0]*x[69])"
        let cases: [(formula: String, d: Int)] = [(rosenbrock3, 3), (doubleWellFormula, 2), ("exp(x[0])*cos(x[1]) / (2 + tanh(x[0]))", 2), (wide, 70)]
        let wideObjective = try ExpressionObjective(formula: wide, dimension: 70, minimum: [Double](repeating: 0, count: 70))
        XCTAssertEqual(wideObjective.tiling.lanes, 1)
        XCTAssertLessThan(wideObjective.tiling.directions, 70, "the wide formula is differentiated in several passes")
        let sentinel = -1234.5
        var points = Points(state: 7)
        for (formula, d) in cases {
            let f = try ExpressionObjective(formula: formula, dimension: d, minimum: [Double](repeating: 0, count: d))
            for (count, stride) in [(1, 1), (5, 7), (16, 16), (40, 45), (64, 64)] {
                var x = [Double](repeating: sentinel, count: d * stride)
                for k in 0..<d { for c in 0..<count { x[k * stride + c] = points.next(in: -1.5...1.5) } }
                var g = [Double](repeating: sentinel, count: d * stride)
                x.withUnsafeBufferPointer { xp in
                    g.withUnsafeMutableBufferPointer { f.gradient(xp.baseAddress!, into: $0.baseAddress!, stride: stride, count: count) }
                }
                for c in 0..<count {
                    let point = (0..<d).map { x[$0 * stride + c] }
                    let expected = f.program.secondOrder(at: point).gradient
                    for k in 0..<d {
                        XCTAssertEqual(g[k * stride + c].bitPattern, expected[k].bitPattern, "\(formula.prefix(30)) chain \(c) k \(k)")
                    }
                }
                for k in 0..<d { for c in count..<stride { XCTAssertEqual(g[k * stride + c], sentinel, "padding") } }
            }
        }
    }

    /// One objective, gradients from several threads at once, equal to the serial ones.
    func testConcurrentGradientsAgree() throws {
        let f = try ExpressionObjective(formula: rosenbrock3, dimension: 3)
        let stride = 64, d = 3
        var points = Points(state: 99)
        let x = points.point(d * stride)
        var serial = [Double](repeating: 0, count: d * stride)
        x.withUnsafeBufferPointer { xp in serial.withUnsafeMutableBufferPointer { f.gradient(xp.baseAddress!, into: $0.baseAddress!, stride: stride, count: stride) } }
        let results = (0..<8).map { _ in UnsafeMutableBufferPointer<Double>.allocate(capacity: d * stride) }
        defer { results.forEach { $0.deallocate() } }
        nonisolated(unsafe) let outputs = results
        x.withUnsafeBufferPointer { xp in
            nonisolated(unsafe) let input = xp.baseAddress!
            DispatchQueue.concurrentPerform(iterations: 8) { i in
                for _ in 0..<200 { f.gradient(input, into: outputs[i].baseAddress!, stride: stride, count: stride) }
            }
        }
        for r in results { XCTAssertEqual(Array(r), serial) }
    }

    // MARK: Minimum search

    func testFindsTheRosenbrockMinimum() throws {
        let two = try ExpressionObjective(formula: rosenbrock2, dimension: 2)
        assertClose(two.minimum, [1, 1], 1e-9, "x*")
        let three = try ExpressionObjective(formula: rosenbrock3, dimension: 3)
        assertClose(three.minimum, [1, 1, 1], 1e-9, "x*")
    }

    /// The tilt 0.3·x₀ makes the left well the lower one: x₀ solves 4x(x² − 1) + 0.3 = 0.
    func testFindsTheLeftWellOfTheTiltedDoubleWell() throws {
        let f = try ExpressionObjective(formula: doubleWellFormula, dimension: 2)
        XCTAssertLessThan(f.minimum[0], -1)
        XCTAssertEqual(f.minimum[1], 0, accuracy: 1e-12)
        XCTAssertEqual(4 * f.minimum[0] * (f.minimum[0] * f.minimum[0] - 1) + 0.3, 0, accuracy: 1e-12)
        // Mirrored tilt, mirrored answer.
        let mirrored = try ExpressionObjective(formula: "(x[0]^2 - 1)^2 - 0.3*x[0] + 0.5*x[1]^2", dimension: 2)
        XCTAssertEqual(mirrored.minimum[0], -f.minimum[0], accuracy: 1e-12)
    }

    func testFindsDegenerateAndShiftedMinima() throws {
        let quartic = try ExpressionObjective(formula: "(x[0] - 0.25)^4 + (x[1] + 2)^2", dimension: 2)
        XCTAssertEqual(quartic.minimum[0], 0.25, accuracy: 1e-6)
        XCTAssertEqual(quartic.minimum[1], -2, accuracy: 1e-12)
        let flat = try ExpressionObjective(formula: "(x[0] - 3)^2", dimension: 2)
        assertClose(flat.minimum, [3, 0], 1e-12, "a flat direction keeps the starting coordinate")
        let stiff = try ExpressionObjective(formula: "1e6*(x[0] - 3)^2 + 1e-3*(x[1] - 5)^2", dimension: 2)
        assertClose(stiff.minimum, [3, 5], 1e-9, "x*")
    }

    func testUnboundedFormulasHaveNoMinimum() {
        for (formula, d) in [("x[0]", 1), ("x[0]", 2), ("-x[0]^2", 1), ("x[0]^3 - x[1]^2", 2), ("log(x[0])", 1),
                            ("-log(x[0])", 1), ("exp(-x[0]) + x[1]^2", 2), ("sin(x[0])*0 + 1/x[0]^2", 1)] {
            XCTAssertThrowsError(try ExpressionObjective(formula: formula, dimension: d), formula) { error in
                let error = error as? ExpressionError
                XCTAssertEqual(error?.position, 1)
                XCTAssertTrue(error?.message.hasPrefix("no minimum found: ") == true, error?.message ?? "")
            }
        }
        // Only second-order conditions are checked: the inflection point of x³ passes.
        XCTAssertEqual(try ExpressionObjective(formula: "x[0]^3 + x[1]^2", dimension: 2).minimum, [0, 0])
        // A given minimum skips the search.
        XCTAssertEqual(try ExpressionObjective(formula: "x[0]", dimension: 1, minimum: [0]).minimum, [0])
    }

    func testStartingPoints() {
        XCTAssertEqual(ExpressionObjective.startingPoints(dimension: 1), [[0], [1], [-1]])
        XCTAssertEqual(ExpressionObjective.startingPoints(dimension: 2).count, 1 + 4 + 4)
        XCTAssertEqual(ExpressionObjective.startingPoints(dimension: 8).count, 1 + 2 + 16)
        XCTAssertEqual(ExpressionObjective.startingPoints(dimension: 20).count, 3)
    }

    // MARK: Through the engine

    /// Simulated through the engine (noisy SGD, same random streams), the expression double
    /// well follows the built-in DoubleWell chain by chain, up to rounding.
    func testEngineRunMatchesTheBuiltInLandscape() throws {
        func run<O: Objective>(_ objective: O) -> CloudAccumulation? {
            Simulator(
                objective: objective, noise: DiagonalGaussianNoise(std: [0.3, 0.3]), optimizer: SGD(),
                schedule: ConstantSchedule(baseLR: 0.01), clip: .none, normals: NormalStream(generator: Philox4x32(seed: 3)),
                plan: SimulationPlan(chains: 256, recording: RecordingPlan(steps: 400, burnIn: 200, thin: 1),
                                     initial: .point([0.5, 0.5]), histograms: .off, samples: .final))
                .run(threads: 2)
        }
        let expression = try XCTUnwrap(run(try ExpressionObjective(formula: doubleWellFormula, dimension: 2)))
        let builtIn = try XCTUnwrap(run(DoubleWell(barrier: 1, tilt: 0.3, curvatures: [1])))
        let a = expression.finalIterates, b = builtIn.finalIterates
        XCTAssertEqual(a.count, 512)
        for i in a.indices { XCTAssertEqual(a[i], b[i], accuracy: 1e-9) }
    }
}
