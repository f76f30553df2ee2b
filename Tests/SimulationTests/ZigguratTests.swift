import Foundation
import XCTest
@testable import Simulation

/// The ziggurat's tables and draws. Distributional tests against GSL's normal CDF are in
/// StatisticsTests (NormalDrawsFitTests).
final class ZigguratTests: XCTestCase {
    /// Every layer has the same area v: the base is r·f(r) plus the tail beyond r, and layer
    /// i ≥ 1 is the rectangle x_i × (f(x_(i+1)) − f(x_i)). Edges decrease to 0, densities are
    /// exp(−x²/2), ratios are x_(i+1)/x_i — each to a few ulps of binary64 (exp of the rounded
    /// edge carries its rounding amplified by x²/2, hence that factor in the density check).
    func testTablesDescribeEqualAreaLayers() {
        let x = Ziggurat.edges, f = Ziggurat.densities, ratio = Ziggurat.ratios
        XCTAssertEqual(x.count, 257)
        XCTAssertEqual(x[256], 0)
        XCTAssertEqual(x[1], Ziggurat.tailStart)
        let r = Ziggurat.tailStart
        let v = r * exp(-r * r / 2) + (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot())
        XCTAssertEqual(x[0] * exp(-r * r / 2), v, accuracy: 1e-15 * v, "base layer's virtual width")
        for i in 1..<256 {
            XCTAssertGreaterThan(x[i], x[i + 1])
            XCTAssertEqual(x[i] * (f[i + 1] - f[i]), v, accuracy: 1e-12 * v, "layer \(i)")
        }
        for i in 0...256 { XCTAssertEqual(f[i], exp(-x[i] * x[i] / 2), accuracy: 4 * (1 + x[i] * x[i] / 2) * f[i].ulp) }
        for i in 0..<256 { XCTAssertEqual(ratio[i], x[i + 1] / x[i], accuracy: 2 * ratio[i].ulp) }
    }

    /// Mean 0, variance 1, skewness 0 and kurtosis 3 over 4·10⁶ draws, each within 5 standard
    /// errors (1/√n, √(2/n), √(6/n), √(96/n) — the variances of the sample moments of N(0, 1)).
    func testMoments() {
        var state = Xoroshiro128(s0: 0x9e37_79b9_7f4a_7c15, s1: 7)
        let n = 4_000_000
        var s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0
        for _ in 0..<n {
            let z = Ziggurat.next(&state)
            let z2 = z * z
            s1 += z; s2 += z2; s3 += z2 * z; s4 += z2 * z2
        }
        let m = Double(n)
        XCTAssertEqual(s1 / m, 0, accuracy: 5 / m.squareRoot())
        XCTAssertEqual(s2 / m, 1, accuracy: 5 * (2 / m).squareRoot())
        XCTAssertEqual(s3 / m, 0, accuracy: 5 * (15 / m).squareRoot())
        XCTAssertEqual(s4 / m, 3, accuracy: 5 * (96 / m).squareRoot())
    }

    /// The draw of a word is the formula of the doc comment: ±(w >> 12)·2⁻⁵²·x_i with the sign
    /// of bit 8, whenever the fast path takes it; the slow path never returns a fast-path point.
    func testFastPathFormula() {
        var source = Xoroshiro128(s0: 3, s1: 4)
        var fast = 0
        for _ in 0..<100_000 {
            var probe = source
            let w = probe.next()
            let i = Int(w & 255)
            let m = Double(w >> 12) * 0x1.0p-52
            var state = source
            let z = Ziggurat.next(&state)
            if m < Ziggurat.ratios[i] {
                fast += 1
                XCTAssertEqual(z, (w >> 8) & 1 == 0 ? m * Ziggurat.edges[i] : -(m * Ziggurat.edges[i]))
                XCTAssertEqual(state, probe, "the fast path takes one word")
            }
            source = state
        }
        // 98.5 % fast (the mean of the ratios); 5 binomial standard errors.
        let p = Ziggurat.ratios.reduce(0, +) / 256
        XCTAssertEqual(Double(fast), 100_000 * p, accuracy: 5 * (100_000 * p * (1 - p)).squareRoot())
    }
}
