import Foundation
import XCTest
@testable import Statistics

/// Closed forms for the distances between Gaussian fits that `optcloud compare` reports.
final class GaussianDistancesTests: XCTestCase {
    /// Q Λ Qᵀ for the rotation Q by `angle` radians in the (0, 1) plane of d dimensions.
    private func rotated(_ diagonal: [Double], angle: Double) -> [Double] {
        let d = diagonal.count
        var q = [Double](repeating: 0, count: d * d)
        for k in 0..<d { q[k * d + k] = 1 }
        q[0] = cos(angle); q[1] = -sin(angle); q[d] = sin(angle); q[d + 1] = cos(angle)
        var out = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0..<d { for k in 0..<d { out[i * d + j] += q[i * d + k] * diagonal[k] * q[j * d + k] } } }
        return out
    }

    func testWassersteinOfCommutingCovariancesIsTheClosedForm() {
        // W₂² = |Δm|² + Σ (√aᵢ − √bᵢ)² when S₁ and S₂ share their eigenvectors (here a
        // rotation of the axes, so the matrix square roots are not trivially diagonal).
        let a = [1.0, 4.0, 9.0], b = [4.0, 0.25, 2.0]
        let m1 = [1.0, -2.0, 0.5], m2 = [0.0, 1.0, 0.5]
        var expected = 0.0
        for k in 0..<3 { expected += (m1[k] - m2[k]) * (m1[k] - m2[k]) + (a[k].squareRoot() - b[k].squareRoot()) * (a[k].squareRoot() - b[k].squareRoot()) }
        expected = expected.squareRoot()
        for angle in [0.0, 0.7, 2.1] {
            let w = GaussianDistances.wasserstein2(GaussianFit(mean: m1, covariance: rotated(a, angle: angle)),
                                                   GaussianFit(mean: m2, covariance: rotated(b, angle: angle)))
            XCTAssertEqual(w, expected, accuracy: 1e-12 * expected, "rotation \(angle)")
        }
    }

    func testWassersteinOfNonCommuting2DCovariancesIsTheClosedForm() {
        // For 2×2 positive definite M: tr √M = √(tr M + 2√det M), and S₁^½ S₂ S₁^½ has the
        // trace tr(S₁S₂) and the determinant det S₁ det S₂.
        let s1 = [2.0, 0.6, 0.6, 1.0], s2 = rotated([3.0, 0.2], angle: 0.4)
        let product = GaussianDistances.multiply(s1, s2, 2)
        let det1 = s1[0] * s1[3] - s1[1] * s1[2], det2 = s2[0] * s2[3] - s2[1] * s2[2]
        let crossTerm = (product[0] + product[3] + 2 * (det1 * det2).squareRoot()).squareRoot()
        let expected = (1.0 + 4.0 + s1[0] + s1[3] + s2[0] + s2[3] - 2 * crossTerm).squareRoot()
        let a = GaussianFit(mean: [0, 0], covariance: s1), b = GaussianFit(mean: [1, 2], covariance: s2)
        XCTAssertEqual(GaussianDistances.wasserstein2(a, b), expected, accuracy: 1e-12 * expected)
        XCTAssertEqual(GaussianDistances.wasserstein2(b, a), expected, accuracy: 1e-12 * expected, "symmetric")
    }

    func testWassersteinOfAGaussianToItselfIsZero() {
        let s = rotated([5.0, 0.01, 1.0], angle: 1.1)
        let n = GaussianFit(mean: [3, -1, 2], covariance: s)
        // W₂² is a difference of O(tr S) terms: round-off leaves at most ~√(ε tr S).
        let w = GaussianDistances.wasserstein2(n, n)
        XCTAssertLessThan(w, 1e-6 * n.trace.squareRoot())
        // A pure shift: W₂ = |Δm| exactly.
        let shifted = GaussianFit(mean: [3, 2, 6], covariance: s)
        XCTAssertEqual(GaussianDistances.wasserstein2(n, shifted), 5, accuracy: 1e-12)
    }

    func testKullbackLeiblerMatchesTheOneDimensionalFormula() {
        // KL(N(μ₁,σ₁²) ‖ N(μ₂,σ₂²)) = ln(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½.
        func kl1(_ mu1: Double, _ s1: Double, _ mu2: Double, _ s2: Double) -> Double {
            log(s2 / s1) + (s1 * s1 + (mu1 - mu2) * (mu1 - mu2)) / (2 * s2 * s2) - 0.5
        }
        let p = GaussianFit(mean: [0.3], covariance: [0.5 * 0.5]), q = GaussianFit(mean: [-1.0], covariance: [2.0 * 2.0])
        XCTAssertEqual(GaussianDistances.kullbackLeibler(p, q), kl1(0.3, 0.5, -1, 2), accuracy: 1e-14)
        XCTAssertEqual(GaussianDistances.kullbackLeibler(q, p), kl1(-1, 2, 0.3, 0.5), accuracy: 1e-13)
        // Independent coordinates add; rotating both Gaussians together changes nothing.
        let expected = kl1(1, 1, 0, 2) + kl1(-1, 3, 0.5, 1)
        for angle in [0.0, 0.9] {
            let c = cos(angle), s = sin(angle)
            let rotate = { (m: [Double]) in [c * m[0] - s * m[1], s * m[0] + c * m[1]] }
            let a = GaussianFit(mean: rotate([1, -1]), covariance: rotated([1, 9], angle: angle))
            let b = GaussianFit(mean: rotate([0, 0.5]), covariance: rotated([4, 1], angle: angle))
            XCTAssertEqual(GaussianDistances.kullbackLeibler(a, b), expected, accuracy: 1e-12 * expected, "rotation \(angle)")
        }
    }

    func testKullbackLeiblerOfAGaussianToItselfIsZeroAndSingularIsInfinite() {
        let n = GaussianFit(mean: [1, 2], covariance: [2, 0.5, 0.5, 1])
        XCTAssertEqual(GaussianDistances.kullbackLeibler(n, n), 0, accuracy: 1e-14)
        let singular = GaussianFit(mean: [1, 2], covariance: [1, 1, 1, 1])
        XCTAssertEqual(GaussianDistances.kullbackLeibler(n, singular), .infinity)
        XCTAssertEqual(GaussianDistances.kullbackLeibler(singular, n), .infinity)
        XCTAssertEqual(singular.logDeterminant, -.infinity)
        XCTAssertEqual(n.logDeterminant, log(1.75), accuracy: 1e-14)
    }

    func testPrincipalAngleIsTheAngleBetweenAxesInZeroToNinety() {
        let base = [4.0, 1.0]
        for (angle, expected) in [(0.0, 0.0), (30.0, 30.0), (90.0, 90.0), (120.0, 60.0), (-170.0, 10.0), (180.0, 0.0)] {
            let b = rotated(base, angle: angle * .pi / 180)
            XCTAssertEqual(GaussianDistances.principalAngleDegrees(rotated(base, angle: 0), b, dimension: 2), expected,
                           accuracy: 1e-5, "rotation by \(angle)°")
        }
        XCTAssertEqual(GaussianDistances.principalAngleDegrees([2], [5], dimension: 1), 0)
    }

    func testNonFiniteInputGivesNaNNotACrash() {
        let good = GaussianFit(mean: [0, 0], covariance: [1, 0, 0, 1])
        let bad = GaussianFit(mean: [0, .nan], covariance: [1, 0, 0, .infinity])
        XCTAssertTrue(GaussianDistances.wasserstein2(good, bad).isNaN)
        XCTAssertTrue(GaussianDistances.kullbackLeibler(bad, good).isNaN)
        XCTAssertTrue(GaussianDistances.principalAngleDegrees(good.covariance, bad.covariance, dimension: 2).isNaN)
        XCTAssertTrue(bad.logDeterminant.isNaN)
        let indefinite = GaussianFit(mean: [0, 0], covariance: [1, 0, 0, -0.5])
        XCTAssertTrue(GaussianDistances.wasserstein2(good, indefinite).isNaN, "not a covariance")
    }
}
