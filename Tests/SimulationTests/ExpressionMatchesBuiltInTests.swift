import XCTest
@testable import Simulation

/// An `expression` spelling out a built-in landscape gives the same value, gradient (on a
/// tile) and Hessian as the built-in type, at random points, to 1e-10 relative.
final class ExpressionMatchesBuiltInTests: XCTestCase {
    func assertSame<O: Objective>(_ formula: String, _ builtIn: O, box: Double, file: StaticString = #filePath, line: UInt = #line) throws {
        let d = builtIn.dimension
        let expression = try ExpressionObjective(formula: formula, dimension: d, minimum: builtIn.minimum)
        var state = UInt64(42)
        func uniform() -> Double {
            state = SplitMix64.mix(state)
            return (Double(state >> 11) * 0x1.0p-53 * 2 - 1) * box
        }
        let chains = 5, stride = 8
        var x = [Double](repeating: 0, count: d * stride)
        for k in 0..<d { for c in 0..<chains { x[k * stride + c] = uniform() } }
        var ga = [Double](repeating: 0, count: d * stride), gb = ga
        expression.gradient(x, into: &ga, stride: stride, count: chains)
        builtIn.gradient(x, into: &gb, stride: stride, count: chains)
        for c in 0..<chains {
            let point = (0..<d).map { x[$0 * stride + c] }
            let fa = expression.value(at: point), fb = builtIn.value(at: point)
            XCTAssertEqual(fa, fb, accuracy: 1e-10 * Swift.max(1, Swift.abs(fb)), "value", file: file, line: line)
            let scale = Swift.max(1, (0..<d).map { Swift.abs(gb[$0 * stride + c]) }.max()!)
            for k in 0..<d {
                XCTAssertEqual(ga[k * stride + c], gb[k * stride + c], accuracy: 1e-10 * scale, "gradient", file: file, line: line)
            }
            let ha = expression.hessian(at: point), hb = builtIn.hessian(at: point)
            let hScale = Swift.max(1, hb.map(Swift.abs).max()!)
            for i in ha.indices { XCTAssertEqual(ha[i], hb[i], accuracy: 1e-10 * hScale, "Hessian", file: file, line: line) }
        }
    }

    func testRosenbrock() throws {
        try assertSame("100*(x[1]-x[0]^2)^2 + (1-x[0])^2", Rosenbrock(dimension: 2), box: 2)
        try assertSame("100*(x[1]-x[0]^2)^2 + (1-x[0])^2 + 100*(x[2]-x[1]^2)^2 + (1-x[1])^2", Rosenbrock(dimension: 3), box: 2)
    }

    func testDoubleWell() throws {
        try assertSame("2*(x[0]^2 - 1)^2 + 0.3*x[0] + 0.5*1.5*x[1]^2", DoubleWell(barrier: 2, tilt: 0.3, curvatures: [1.5]), box: 2)
    }

    func testRastriginAndStyblinskiTang() throws {
        try assertSame("20 + x[0]^2 - 10*cos(2*pi*x[0]) + x[1]^2 - 10*cos(2*pi*x[1])", Rastrigin(dimension: 2), box: 3)
        try assertSame("0.5*(x[0]^4 - 16*x[0]^2 + 5*x[0]) + 0.5*(x[1]^4 - 16*x[1]^2 + 5*x[1])", StyblinskiTang(dimension: 2), box: 4)
    }

    func testLinearNetwork() throws {
        try assertSame("0.5*(x[0]*x[1]*x[2] - 2)^2", LinearNetwork(depth: 3, target: 2), box: 2)
    }
}
