import XCTest
@testable import Statistics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class DistributionsTests: XCTestCase {
    /// Closed forms: Student-t(1) is Cauchy, 1/2 + atan(x)/π; Student-t(2) is
    /// 1/2 + x/(2√(2 + x²)); χ²(2) has Q(x) = e^{−x/2}; tabulated normal quantiles.
    func testClosedForms() {
        for x in [-30.0, -2, -0.5, 0, 0.1, 1, 7.5] {
            XCTAssertEqual(Distributions.studentTCDF(x, df: 1), 0.5 + atan(x) / .pi, accuracy: 1e-14)
            XCTAssertEqual(Distributions.studentTCDF(x, df: 2), 0.5 + x / (2 * (2 + x * x).squareRoot()), accuracy: 1e-14)
        }
        for x in [0.01, 1, 5.991464547107979, 40] {
            XCTAssertEqual(Distributions.chiSquaredQ(x, df: 2), exp(-x / 2), accuracy: 1e-15 + 1e-13 * exp(-x / 2))
        }
        XCTAssertEqual(Distributions.chiSquaredQ(3.841458820694124, df: 1), 0.05, accuracy: 1e-12)
        XCTAssertEqual(Distributions.normalCDF(0), 0.5)
        XCTAssertEqual(Distributions.normalCDF(1.959963984540054), 0.975, accuracy: 1e-14)
        XCTAssertEqual(Distributions.normalCDF(-5), 2.866515718791939e-7, accuracy: 1e-20)
        // Student-t tends to the normal.
        XCTAssertEqual(Distributions.studentTCDF(1.3, df: 1e9), Distributions.normalCDF(1.3), accuracy: 1e-9)
    }

    /// χ² quantiles against scipy.stats.chi2.ppf / isf (tabulated 5 % points of χ²(10): 3.9403,
    /// 18.3070), the 5σ-equivalent tails of χ²(399), and the round trip through chiSquaredQ.
    func testChiSquaredQuantiles() {
        let ten = Distributions.chiSquaredQuantiles(lower: 0.05, upper: 0.05, df: 10)
        XCTAssertEqual(ten.lower, 3.9402991361190605, accuracy: 1e-10)
        XCTAssertEqual(ten.upper, 18.30703805327515, accuracy: 1e-10)
        let p = Distributions.normalCDF(-5)
        let far = Distributions.chiSquaredQuantiles(lower: p, upper: p, df: 399)
        XCTAssertEqual(far.lower, 273.3753135861768, accuracy: 1e-8)
        XCTAssertEqual(far.upper, 556.5743467715641, accuracy: 1e-8)
        XCTAssertEqual(Distributions.chiSquaredQ(far.upper, df: 399), p, accuracy: 1e-12 * p)
        XCTAssertEqual(1 - Distributions.chiSquaredQ(far.lower, df: 399), p, accuracy: 1e-9 * p)
        for bad in [Distributions.chiSquaredQuantiles(lower: 0, upper: 0.1, df: 3), Distributions.chiSquaredQuantiles(lower: 0.1, upper: 1, df: 3),
                    Distributions.chiSquaredQuantiles(lower: 0.1, upper: 0.1, df: 0)] {
            XCTAssertTrue(bad.lower.isNaN && bad.upper.isNaN)
        }
    }

    /// Out-of-domain arguments answer NaN (or the obvious limit) instead of a GSL error.
    func testEdges() {
        XCTAssertTrue(Distributions.studentTCDF(1, df: 0).isNaN)
        XCTAssertTrue(Distributions.studentTCDF(.nan, df: 3).isNaN)
        XCTAssertTrue(Distributions.chiSquaredQ(1, df: -1).isNaN)
        XCTAssertEqual(Distributions.chiSquaredQ(-1, df: 3), 1)
        XCTAssertEqual(Distributions.chiSquaredQ(0, df: 3), 1)
        XCTAssertTrue(Distributions.normalCDF(.nan).isNaN)
        XCTAssertEqual(Distributions.normalCDF(.infinity), 1)
        XCTAssertEqual(Distributions.studentTCDF(-.infinity, df: 3), 0)
        XCTAssertTrue(Distributions.kolmogorovSmirnovPValue(statistic: 0.1, n: 0).isNaN)
        XCTAssertTrue(Distributions.kolmogorovSmirnovPValue(statistic: .nan, n: 10).isNaN)
        XCTAssertEqual(Distributions.kolmogorovSmirnovPValue(statistic: 0, n: 10), 1)
        XCTAssertEqual(Distributions.kolmogorovSmirnovPValue(statistic: 1, n: 1000), 0, accuracy: 1e-300)
        XCTAssertTrue(Distributions.kolmogorovSmirnovStatistic([], cdf: { $0 }).isNaN)
        XCTAssertTrue(Distributions.kolmogorovSmirnovStatistic([0.5, .nan], cdf: { $0 }).isNaN)
    }

    /// The Kolmogorov distribution: Q(1) = 2Σ(−1)^{j−1}e^{−2j²} = 0.26999967167735456,
    /// and the classical asymptotic critical values 1.22385, 1.35810, 1.62762 for
    /// p = 0.10, 0.05, 0.01. Stephens' correction vanishes as n → ∞.
    func testKolmogorovDistribution() {
        XCTAssertEqual(Distributions.kolmogorovQ(1), 0.26999967167735456, accuracy: 1e-15)
        for (lambda, p) in [(1.22385, 0.10), (1.35810, 0.05), (1.62762, 0.01)] {
            XCTAssertEqual(Distributions.kolmogorovQ(lambda), p, accuracy: 1e-5 * 3)
            let n = 100_000_000
            XCTAssertEqual(Distributions.kolmogorovSmirnovPValue(statistic: lambda / Double(n).squareRoot(), n: n), p,
                           accuracy: 1e-4)
        }
        // K(0.2) = (√(2π)/0.2)·e^{−π²/0.32}(1 + …) = 5.0504·10⁻¹³, to the resolution of doubles near 1.
        XCTAssertEqual(1 - Distributions.kolmogorovQ(0.2), 5.0504e-13, accuracy: 3e-16)
        XCTAssertEqual(Distributions.kolmogorovQ(4), 2 * exp(-32), accuracy: 1e-28)
        // The two series agree where both converge fast.
        for lambda in stride(from: 0.6, through: 2.0, by: 0.1) {
            XCTAssertEqual(1 - Distributions.kolmogorovCDFTheta(lambda), Distributions.kolmogorovQAlternating(lambda),
                           accuracy: 1e-14, "λ \(lambda)")
        }
        // Monotone decreasing across the switch between them.
        var last = 1.0
        for lambda in stride(from: 0.05, through: 3.0, by: 0.01) {
            let q = Distributions.kolmogorovQ(lambda)
            XCTAssertLessThanOrEqual(q, last)
            last = q
        }
    }

    /// D of a tiny sample by hand: against U(0, 1), {0.1, 0.4, 0.7} has
    /// max(1/3 − 0.1, 0.4 − 1/3, 2/3 − 0.4, 0.7 − 2/3, 1 − 0.7) = 0.3.
    func testStatistic() {
        XCTAssertEqual(Distributions.kolmogorovSmirnovStatistic([0.7, 0.1, 0.4], cdf: { $0 }), 0.3, accuracy: 1e-15)
        XCTAssertEqual(Distributions.kolmogorovSmirnovStatistic([0.5], cdf: { $0 }), 0.5)
    }
}
