import XCTest
@testable import Statistics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class DecoupledFixedPointTests: XCTestCase {
    static let hessian = [3.0, 0.4, -0.2, 0.4, 1.0, 0.1, -0.2, 0.1, 0.5]

    static func quadratic(_ h: [Double], _ minimum: [Double]) -> (([Double]) -> [Double], ([Double]) -> [Double]) {
        let d = minimum.count
        return ({ x in (0..<d).map { i in (0..<d).reduce(0) { $0 + h[i * d + $1] * (x[$1] - minimum[$1]) } } }, { _ in h })
    }

    /// Noiseless AdamW in 1-D: λx(|g| + ε) = −g with g = h(x − x*). Inside the box |x*| < 1/λ
    /// the point is x* up to O(ε); outside it sits at 1/λ up to O(ε).
    func testNoiselessAdamWInOneDimension() throws {
        let h = 2.0, lambda = 0.5
        for (minimum, eps) in [(1.5, 1e-8), (3.0, 1e-8), (1.5, 0.3), (-3.0, 0.3)] {
            let (gradient, hessian) = Self.quadratic([h], [minimum])
            let x = try DecoupledFixedPoint.solve(balances: [.adamW(decay: lambda, eps: eps, variance: 0)],
                                                  gradient: gradient, hessian: hessian)[0]
            let g = h * (x - minimum)
            XCTAssertEqual(lambda * x * (Swift.abs(g) + eps), -g, accuracy: 1e-13, "x* \(minimum), ε \(eps)")
            XCTAssertLessThan(Swift.abs(lambda * x), 1)
            if eps == 1e-8 {
                let expected = Swift.abs(minimum) < 1 / lambda ? minimum : (minimum > 0 ? 1 : -1) / lambda
                XCTAssertEqual(x, expected, accuracy: 1e-7)
            }
        }
    }

    /// With a gradient variance u the balance is λx(√(u + g²) + ε) = −g; on the rotated 3-D
    /// problem with one coordinate free of decay (g = 0 there).
    func testAdamWWithVarianceOnARotatedQuadratic() throws {
        let minimum = [3.0, -1.0, 0.5], decay = [0.5, 0.0, 1.5], eps = 1e-3, u = [0.3, 0.2, 2.0]
        let (gradient, hessian) = Self.quadratic(Self.hessian, minimum)
        let balances: [DecoupledFixedPoint.Balance] = (0..<3).map {
            decay[$0] == 0 ? .none : .adamW(decay: decay[$0], eps: eps, variance: u[$0])
        }
        let x = try DecoupledFixedPoint.solve(balances: balances, gradient: gradient, hessian: hessian)
        let g = gradient(x)
        XCTAssertEqual(g[1], 0, accuracy: 1e-13)
        for k in [0, 2] {
            XCTAssertEqual(decay[k] * x[k] * ((u[k] + g[k] * g[k]).squareRoot() + eps), -g[k], accuracy: 1e-13, "coordinate \(k)")
        }
        // Started from the answer, the direct Newton solve returns it.
        let again = try DecoupledFixedPoint.solve(balances: balances, start: x, gradient: gradient, hessian: hessian)
        for k in 0..<3 { XCTAssertEqual(again[k], x[k], accuracy: 1e-14) }
    }

    /// Noiseless Lion: the minimiser of f on the box ‖x‖∞ ≤ 1/λ, against projected gradient
    /// descent (an independent solver) and the KKT conditions.
    func testNoiselessLionIsTheBoxConstrainedMinimiser() throws {
        let minimum = [3.0, -1.0, 2.5], lambda = 1.0
        let (gradient, hessian) = Self.quadratic(Self.hessian, minimum)
        let x = try DecoupledFixedPoint.solve(balances: [DecoupledFixedPoint.Balance](repeating: .lion(decay: lambda, std: 0), count: 3),
                                              gradient: gradient, hessian: hessian)
        var y = [0.0, 0.0, 0.0]
        for _ in 0..<20000 {
            let g = gradient(y)
            y = (0..<3).map { Swift.min(1 / lambda, Swift.max(-1 / lambda, y[$0] - g[$0] / 3.2)) }
        }
        for k in 0..<3 { XCTAssertEqual(x[k], y[k], accuracy: 1e-10, "coordinate \(k)") }
        let g = gradient(x)
        for k in 0..<3 {
            if Swift.abs(x[k]) < 1 / lambda - 1e-9 { XCTAssertEqual(g[k], 0, accuracy: 1e-10) } else { XCTAssertLessThanOrEqual(g[k] * x[k], 0) }
        }
        XCTAssertEqual(x[0], 1, accuracy: 1e-11)  // clipped
    }

    /// Lion with noise: λx = −erf(g/(√2 s)) per coordinate, on a non-quadratic convex f
    /// (½‖x − x*‖² + 0.1 Σx⁴), through the general gradient/Hessian closures.
    func testNoisyLionOnANonQuadraticObjective() throws {
        let minimum = [0.8, -3.0], lambda = [0.5, 0.5], s = [0.2, 0.05]
        let gradient: ([Double]) -> [Double] = { x in
            (0..<2).map { k -> Double in
                let cube: Double = x[k] * x[k] * x[k]
                return x[k] - minimum[k] + 0.4 * cube
            }
        }
        let hessian: ([Double]) -> [Double] = { x in
            let a: Double = 1 + 1.2 * x[0] * x[0], b: Double = 1 + 1.2 * x[1] * x[1]
            return [a, 0, 0, b]
        }
        let x = try DecoupledFixedPoint.solve(balances: (0..<2).map { .lion(decay: lambda[$0], std: s[$0]) },
                                              gradient: gradient, hessian: hessian)
        let g = gradient(x)
        for k in 0..<2 { XCTAssertEqual(lambda[k] * x[k], -erf(g[k] / (2.0.squareRoot() * s[k])), accuracy: 1e-12, "coordinate \(k)") }
    }

    /// s² of c = β₁m + (1 − β₁)g: the noise of step t enters with weight 1 − β₁, that of step
    /// t − 1 − j through m with β₁(1 − β₂)β₂^j — summed directly here.
    func testLionNoiseStdIsTheSumOfSquaredWeights() {
        let b1 = 0.9, b2 = 0.99
        var sum = (1 - b1) * (1 - b1)
        for j in 0..<20000 { sum += pow(b1 * (1 - b2) * pow(b2, Double(j)), 2) }
        XCTAssertEqual(DecoupledFixedPoint.lionNoiseStd(variance: 2.5, beta1: b1, beta2: b2), (2.5 * sum).squareRoot(), accuracy: 1e-14)
    }
}
