import Foundation
import XCTest
@testable import Statistics

/// The GSL quadrature and Brent wrappers used by the theory.
final class IntegrationAndRootFindingTests: XCTestCase {
    func testQuadrature() throws {
        // Integrable endpoint singularity, infinite ranges, a kink at a breakpoint.
        XCTAssertEqual(try Integration.integrate({ 1 / $0.squareRoot() }, from: 0, to: 1), 2, accuracy: 1e-10)
        XCTAssertEqual(try Integration.integrate({ exp(-$0) }, from: 0), 1, accuracy: 1e-12)
        XCTAssertEqual(try Integration.integrate({ exp($0) }, to: 0), 1, accuracy: 1e-12)
        XCTAssertEqual(try Integration.integrate({ Swift.abs($0 - 0.3) }, from: 0, to: 1, breakpoints: [0.3]), 0.29, accuracy: 1e-14)
        XCTAssertEqual(try Integration.integrate({ _ in 1 }, from: 2, to: 2), 0)
        // A peak of width 10⁻³ in [−50, 50]: every node misses it (the result is 0) unless
        // breakpoints bracket it on its own scale.
        let narrow: (Double) -> Double = { exp(-0.5 * ($0 - 7) * ($0 - 7) * 1e6) }
        XCTAssertEqual(try Integration.integrate(narrow, from: -50, to: 50, breakpoints: [7]), 0)
        let peak = try Integration.integrate(narrow, from: -50, to: 50, breakpoints: [6.984, 6.996, 6.999, 7, 7.001, 7.004, 7.016])
        XCTAssertEqual(peak, (2 * Double.pi).squareRoot() * 1e-3, accuracy: 1e-14)
        let scan = PotentialScan(grid: (0...4096).map { -50 + Double($0) * 100 / 4096 }) { 0.5 * ($0 - 7) * ($0 - 7) }
        let found = try Integration.integrate({ exp(-($0 - 7) * ($0 - 7) * 0.5 / 1e-6) }, from: -50, to: 50,
                                              breakpoints: scan.breakpoints(temperature: 1e-6))
        XCTAssertEqual(found, (2 * Double.pi).squareRoot() * 1e-3, accuracy: 1e-14)
        // Nested: ∫₀¹ ∫₀ʸ z dz dy = 1/6.
        let nested = try Integration.integrate({ y in (try? Integration.integrate({ $0 }, from: 0, to: y)) ?? .nan }, from: 0, to: 1)
        XCTAssertEqual(nested, 1.0 / 6, accuracy: 1e-14)
        XCTAssertThrowsError(try Integration.integrate({ _ in .nan }, from: 0, to: 1))
        XCTAssertThrowsError(try Integration.integrate({ $0 }, from: 1, to: 0))
        XCTAssertThrowsError(try Integration.integrate({ 1 / $0 }, from: 0, to: 1))
    }

    func testBrent() throws {
        XCTAssertEqual(try RootFinding.brent({ cos($0) - $0 }, lower: 0, upper: 1), 0.7390851332151607, accuracy: 1e-14)
        XCTAssertEqual(try RootFinding.brent({ $0 * $0 - 2 }, lower: 0, upper: 2), 2.0.squareRoot(), accuracy: 1e-14)
        XCTAssertThrowsError(try RootFinding.brent({ $0 * $0 + 1 }, lower: -1, upper: 1))
        XCTAssertThrowsError(try RootFinding.brent({ $0 }, lower: 1, upper: -1))
    }
}
