import XCTest
@testable import Statistics

final class KestenTailIndexTests: XCTestCase {
    /// Against an independent 30-digit evaluation (mpmath.quad over the χ² density and
    /// mpmath.findroot), including a root near 0.27, heavy B = 1 singular densities, large
    /// α where E|A|^α overflows a naive evaluation, and E log|1 − lr·a|.
    func testMatchesHighPrecisionQuadrature() throws {
        let cases: [(lr: Double, b: Int, s2: Double, alpha: Double, lyapunov: Double)] = [
            (0.5, 1, 1.0, 2.9039662289163319, -0.48462676582326488),
            (1.0, 2, 1.0, 2.0, -0.69717488323506607),
            (0.2, 5, 1.0, 37.867359683196616, -0.23909206057910802),
            (1.5, 10, 1.0, 2.8398507139578589, -0.96800532494391678),
            (1.8, 1, 1.0, 0.27009384086684698, -0.17486662289781935),
            (0.05, 4, 2.0, 65.723954755569984, -0.10875370087261078),
            (0.3, 64, 1.0, 284.90744222571436, -0.35962489875366865),
        ]
        for c in cases {
            let alpha = try KestenTailIndex.kestenTailIndex(lr: c.lr, batchSize: c.b, featureVariance: c.s2)
            XCTAssertEqual(alpha, c.alpha, accuracy: 1e-9 * c.alpha, "lr \(c.lr) B \(c.b) σ² \(c.s2)")
            let lyapunov = try KestenTailIndex.lyapunovExponent(lr: c.lr, batchSize: c.b, featureVariance: c.s2)
            XCTAssertEqual(lyapunov, c.lyapunov, accuracy: 1e-10, "lr \(c.lr) B \(c.b)")
            XCTAssertEqual(try KestenTailIndex.logMoment(order: alpha, lr: c.lr, batchSize: c.b, featureVariance: c.s2), 0, accuracy: 1e-10)
        }
        // Extreme tails: large batches (the χ² mass far from the kink) and tiny steps.
        for (lr, b, expected) in [(0.1, 1000, 16015.359650491142), (1.9, 4096, 112.2537813291503),
                                  (1e-3, 1, 1794.8939419661935), (0.01, 1000, 176757.65310632593)] {
            let alpha = try KestenTailIndex.kestenTailIndex(lr: lr, batchSize: b, featureVariance: 1)
            XCTAssertEqual(alpha, expected, accuracy: 1e-9 * expected, "lr \(lr) B \(b)")
        }
    }

    /// Closed forms: α = 2 ⇔ E(1 − lr·a)² = 1 ⇔ lr = 2B/(σ²(B + 2)); α = 4 ⇔ E(1 − lr·a)⁴ = 1,
    /// the positive root of m₄lr³ − 4m₃lr² + 6m₂lr − 4m₁ = 0 with the moments
    /// m_j = E a^j = σ^{2j}·B(B + 2)…(B + 2j − 2)/B^j of a = σ²χ²_B/B.
    func testEvenIntegerClosedForms() throws {
        for b in [1, 2, 3, 5, 10, 50] {
            for s2 in [0.5, 1.0, 3.0] {
                let lr2 = 2 * Double(b) / (s2 * Double(b + 2))
                XCTAssertEqual(try KestenTailIndex.kestenTailIndex(lr: lr2, batchSize: b, featureVariance: s2), 2, accuracy: 1e-10,
                               "B \(b) σ² \(s2)")
                var m = [1.0]
                for j in 1...4 { m.append(m[j - 1] * s2 * Double(b + 2 * j - 2) / Double(b)) }
                func cubic(_ lr: Double) -> Double { m[4] * lr * lr * lr - 4 * m[3] * lr * lr + 6 * m[2] * lr - 4 * m[1] }
                var lo = 0.0, hi = lr2
                XCTAssertLessThan(cubic(lo), 0)
                XCTAssertGreaterThan(cubic(hi), 0)
                for _ in 0..<200 { let mid = (lo + hi) / 2; if cubic(mid) < 0 { lo = mid } else { hi = mid } }
                XCTAssertEqual(try KestenTailIndex.kestenTailIndex(lr: lo, batchSize: b, featureVariance: s2), 4, accuracy: 1e-9,
                               "B \(b) σ² \(s2)")
            }
        }
    }

    /// An independent Monte Carlo estimate of E|1 − lr·a|^α at the returned α is 1 within
    /// 5 standard errors (4·10⁵ draws of a = σ²χ²_B/B from a fixed seed).
    func testMonteCarloMomentIsOne() throws {
        var random = SeededVariates(seed: 77)
        for (lr, b, s2) in [(0.5, 1, 1.0), (0.8, 3, 1.0), (1.5, 10, 1.0), (0.4, 2, 2.5)] {
            let alpha = try KestenTailIndex.kestenTailIndex(lr: lr, batchSize: b, featureVariance: s2)
            let n = 400_000
            var sum = 0.0, sumSquares = 0.0
            for _ in 0..<n {
                let a = s2 * random.chiSquared(degrees: b) / Double(b)
                let v = pow(Swift.abs(1 - lr * a), alpha)
                sum += v
                sumSquares += v * v
            }
            let mean = sum / Double(n)
            let standardError = ((sumSquares / Double(n) - mean * mean) / Double(n - 1)).squareRoot()
            XCTAssertLessThan(Swift.abs(mean - 1), 5 * standardError, "lr \(lr) B \(b): α \(alpha), mean \(mean) ± \(standardError)")
        }
    }

    /// End to end: 10⁵ independent chains of the SGD recursion x ← (1 − lr·a)x + lr·b
    /// (a = σ²χ²_B/B, b = (1/B)Σ zᵢεᵢ, ε ~ N(0, 1)) after 60 steps (E log|1 − lr·a| ≤ −0.4,
    /// so the start is forgotten to e^{−24}); the Hill estimate of the
    /// tail of |x| with k = ⌈√n⌉ = 317 lies within 5 standard errors of the Kesten α (measured
    /// with 2·10⁵ chains: |z| ≤ 2 for six (lr, B) pairs; k = 2000 is visibly biased at α = 3.5).
    func testHillEstimateOfSimulatedSGD() throws {
        var random = SeededVariates(seed: 4242)
        for (lr, b) in [(0.8, 1), (1.6, 4)] {
            let alpha = try KestenTailIndex.kestenTailIndex(lr: lr, batchSize: b, featureVariance: 1)
            let sample = (0..<100_000).map { _ -> Double in
                var x = 0.0
                for _ in 0..<60 {
                    var a = 0.0, noise = 0.0
                    for _ in 0..<b {
                        let (z, epsilon) = random.normalPair()
                        a += z * z
                        noise += z * epsilon
                    }
                    x = (1 - lr * a / Double(b)) * x + lr * noise / Double(b)
                }
                return Swift.abs(x)
            }
            let hill = try HillEstimator(sample)
            XCTAssertLessThan(Swift.abs(hill.tailIndex - alpha), 5 * hill.standardError,
                              "lr \(lr) B \(b): Kesten \(alpha), Hill \(hill.tailIndex) ± \(hill.standardError)")
        }
    }

    /// As Gürbüzbalaban, Şimşekli & Zhu (2021) prove for Gaussian data: heavier tails
    /// (smaller α) at larger lr for fixed B, and at smaller B for fixed lr.
    func testMonotonicity() throws {
        for b in [1, 4, 16] {
            var last = Double.infinity
            for lr in Swift.stride(from: 0.1, through: 1.9, by: 0.1) {
                let alpha = try KestenTailIndex.kestenTailIndex(lr: lr, batchSize: b, featureVariance: 1)
                XCTAssertLessThan(alpha, last, "B \(b) lr \(lr)")
                last = alpha
            }
        }
        for lr in [0.3, 1.0, 1.8] {
            var last = 0.0
            for b in [1, 2, 3, 4, 6, 8, 16, 32] {
                let alpha = try KestenTailIndex.kestenTailIndex(lr: lr, batchSize: b, featureVariance: 1)
                XCTAssertGreaterThan(alpha, last, "lr \(lr) B \(b)")
                last = alpha
            }
        }
        // Only lr·σ² matters.
        XCTAssertEqual(try KestenTailIndex.kestenTailIndex(lr: 0.25, batchSize: 3, featureVariance: 4),
                       try KestenTailIndex.kestenTailIndex(lr: 1, batchSize: 3, featureVariance: 1), accuracy: 1e-10)
    }

    /// No stationary law beyond the stability limit (E log|1 − lr·a| = 0.144 > 0 at lr = 3,
    /// B = 1 and 0.396 at lr = 3, B = 10, by mpmath); invalid arguments throw.
    func testFailures() throws {
        for (lr, b, lyapunov) in [(3.0, 1, 0.143858758242988), (3.0, 10, 0.395640832936926)] {
            XCTAssertThrowsError(try KestenTailIndex.kestenTailIndex(lr: lr, batchSize: b, featureVariance: 1)) { error in
                guard case KestenTailIndex.Failure.notContracting(let value)? = error as? KestenTailIndex.Failure else {
                    return XCTFail("\(error)")
                }
                XCTAssertEqual(value, lyapunov, accuracy: 1e-10)
            }
        }
        XCTAssertThrowsError(try KestenTailIndex.kestenTailIndex(lr: 0, batchSize: 1, featureVariance: 1))
        XCTAssertThrowsError(try KestenTailIndex.kestenTailIndex(lr: .nan, batchSize: 1, featureVariance: 1))
        XCTAssertThrowsError(try KestenTailIndex.kestenTailIndex(lr: 0.1, batchSize: 0, featureVariance: 1))
        XCTAssertThrowsError(try KestenTailIndex.kestenTailIndex(lr: 0.1, batchSize: 1, featureVariance: 0))
        XCTAssertThrowsError(try KestenTailIndex.kestenTailIndex(lr: 0.1, batchSize: 1, featureVariance: .infinity))
        XCTAssertThrowsError(try KestenTailIndex.logMoment(order: -1, lr: 0.1, batchSize: 1, featureVariance: 1))
        XCTAssertEqual(try KestenTailIndex.logMoment(order: 0, lr: 0.1, batchSize: 1, featureVariance: 1), 0)
    }
}
