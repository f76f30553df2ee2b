import Foundation
import XCTest
@testable import Statistics

final class GibbsDensityTests: XCTestCase {
    /// f = x²/2 at temperature T is N(0, T): bin probabilities are differences of the normal
    /// CDF, to 1e-10, normalised over the line or over the range; the outside mass is the
    /// normal tail mass. Adding 10⁴ to f changes nothing (the exponent is shifted).
    func testQuadraticIsNormal() throws {
        for t in [0.05, 0.7, 3.0] {
            let sd = t.squareRoot()
            let edges = (0...24).map { -3.0 + 0.25 * Double($0) }
            let phi = edges.map { Distributions.normalCDF($0 / sd) }
            let line = try GibbsDensity.binProbabilities(edges: edges, temperature: t) { 0.5 * $0 * $0 }
            for i in 0..<24 {
                XCTAssertEqual(line.probabilities[i], phi[i + 1] - phi[i], accuracy: 1e-10, "T \(t) bin \(i)")
            }
            XCTAssertEqual(line.below, phi[0], accuracy: 1e-10)
            XCTAssertEqual(line.above, 1 - phi[24], accuracy: 1e-10)
            XCTAssertEqual(line.probabilities.reduce(0, +) + line.outside, 1, accuracy: 1e-12)

            let range = try GibbsDensity.binProbabilities(edges: edges, temperature: t, normalisation: .histogramRange) { 0.5 * $0 * $0 }
            let inside = phi[24] - phi[0]
            for i in 0..<24 {
                XCTAssertEqual(range.probabilities[i], (phi[i + 1] - phi[i]) / inside, accuracy: 1e-10, "T \(t) bin \(i)")
            }
            XCTAssertEqual(range.outside, 0)

            let shifted = try GibbsDensity.binProbabilities(edges: edges, temperature: t) { 1e4 + 0.5 * $0 * $0 }
            for i in 0..<24 { XCTAssertEqual(shifted.probabilities[i], line.probabilities[i], accuracy: 1e-12) }
        }
    }

    /// The tilted double well f₀ = (x² − 1)² + 0.3x at T = 0.1 (two narrow wells, the left one
    /// at x ≈ −1.04 deeper): against scipy.integrate.quad of exp(−f₀/T) per bin, normalised
    /// over ℝ, for the bins [−2, −1), [−1, 0), [0, 1), [1, 2).
    func testTiltedDoubleWellAgainstScipy() throws {
        let p = try GibbsDensity.binProbabilities(edges: [-2, -1, 0, 1, 2], temperature: 0.1) { x in (x * x - 1) * (x * x - 1) + 0.3 * x }
        let expected = [0.5864195583370755, 0.41075651825804266, 0.0019291473539749205, 0.0008947760509069362]
        for (ours, reference) in zip(p.probabilities, expected) { XCTAssertEqual(ours, reference, accuracy: 1e-10) }
    }

    func testFailures() {
        XCTAssertThrowsError(try GibbsDensity.binProbabilities(edges: [0, 1], temperature: 0) { $0 })
        XCTAssertThrowsError(try GibbsDensity.binProbabilities(edges: [0], temperature: 1) { $0 })
        XCTAssertThrowsError(try GibbsDensity.binProbabilities(edges: [0, 0, 1], temperature: 1) { $0 })
        XCTAssertThrowsError(try GibbsDensity.binProbabilities(edges: [0, .nan], temperature: 1) { $0 })
        XCTAssertThrowsError(try GibbsDensity.binProbabilities(edges: [-1, 1], temperature: 1) { _ in .nan })
        // exp(−f/T) with f = x is not integrable over the line.
        XCTAssertThrowsError(try GibbsDensity.binProbabilities(edges: [-1, 1], temperature: 1) { $0 })
        XCTAssertNoThrow(try GibbsDensity.binProbabilities(edges: [-1, 1], temperature: 1, normalisation: .histogramRange) { $0 })
    }
}
