import XCTest
@testable import Simulation

final class StudentTNoiseTests: XCTestCase {
    /// Per coordinate over 10⁶ draws (2000 chains × 500 steps), for df = 10: the mean is 0
    /// within 5 standard errors, se = scale·√(df/(df − 2)/n); the second moment E ξ² is
    /// scale²·df/(df − 2) within 5 se, se = scale²·√((E T⁴ − (E T²)²)/n) with
    /// E T⁴ = 3df²/((df − 2)(df − 4)) (finite for df > 4).
    func testMeanAndVariance() {
        let df = 10.0, scale = [0.5, 1.0, 2.0]
        let draws = NoiseDraws.draws(StudentTNoise(df: df, scale: scale), chains: 2000, steps: 500, seed: 11)
        let m2 = df / (df - 2), m4 = 3 * df * df / ((df - 2) * (df - 4))
        for (k, s) in scale.enumerated() {
            let n = Double(draws[k].count)
            XCTAssertEqual(n, 1e6)
            let mean = SampleMoments.mean(draws[k])
            XCTAssertEqual(mean, 0, accuracy: 5 * s * (m2 / n).squareRoot(), "coordinate \(k)")
            let second = draws[k].reduce(0) { $0 + $1 * $1 } / n
            XCTAssertEqual(second, s * s * m2, accuracy: 5 * s * s * ((m4 - m2 * m2) / n).squareRoot(), "coordinate \(k)")
        }
    }

    /// With df = 3 the variance, 3·scale², is finite, so the sample mean of 10⁶ draws is
    /// asymptotically normal with se = scale·√(3/n): within 5 se of 0. (E|T|³ = ∞, so the
    /// single-largest-draw tail adds about n·P(|T| > 5se·n) ≈ 4·10⁻⁶ to the 5σ false-alarm rate.)
    func testMeanWithHeavyTails() {
        let scale = [1.5, 0.25]
        let draws = NoiseDraws.draws(StudentTNoise(df: 3, scale: scale), chains: 1000, steps: 1000, seed: 12)
        for (k, s) in scale.enumerated() {
            let n = Double(draws[k].count)
            XCTAssertEqual(SampleMoments.mean(draws[k]), 0, accuracy: 5 * s * (3 / n).squareRoot())
        }
    }

    /// Coordinates are independent, not a multivariate t (which shares one χ² mixing
    /// variable): the correlations of ξ₀ with ξ₁ and of ξ₀² with ξ₁² are 0 within 5/√n, the
    /// standard error of a sample correlation of independent variables with finite fourth
    /// moments (df = 10 > 4 for the squares; a shared mixing variable would give ≈ 0.11).
    func testCoordinatesAreIndependent() {
        let draws = NoiseDraws.draws(StudentTNoise(df: 10, scale: [1, 3]), chains: 2000, steps: 500, seed: 13)
        let tolerance = 5 / Double(draws[0].count).squareRoot()
        XCTAssertEqual(SampleMoments.correlation(draws[0], draws[1]), 0, accuracy: tolerance)
        XCTAssertEqual(SampleMoments.correlation(draws[0].map { $0 * $0 }, draws[1].map { $0 * $0 }), 0, accuracy: tolerance)
    }

    func testCovariance() {
        let covariance = StudentTNoise(df: 3, scale: [1, 2]).covariance
        XCTAssertEqual(covariance, [3, 0, 0, 12])
        XCTAssertNil(StudentTNoise(df: 2, scale: [1, 2]).covariance, "df = 2: infinite variance")
        XCTAssertNil(StudentTNoise(df: 1, scale: [1]).covariance)
        XCTAssertEqual(StudentTNoise(df: 0.5, scale: [1, 1, 1]).dimension, 3)
    }

    /// The draws of a chain at a step are the same whatever the tile size, the buffer stride
    /// and the first chain of the tile; slots beyond the tile's count are never touched.
    func testDrawsDoNotDependOnTiling() {
        let noise = StudentTNoise(df: 2.5, scale: [1, 0.5, 2])
        let normals = NormalSource(generator: Philox4x32(seed: 21))
        for step: UInt32 in [1, 7, 100_000] {
            let whole = NoiseDraws.tiled(noise, firstChain: 1000, total: 37, tile: 37, stride: 40, step: step, normals: normals)
            XCTAssertFalse(whole.contains(where: \.isNaN))
            for (tile, stride) in [(1, 1), (8, 8), (5, 16), (36, 36)] {
                let tiled = NoiseDraws.tiled(noise, firstChain: 1000, total: 37, tile: tile, stride: stride, step: step, normals: normals)
                XCTAssertEqual(tiled, whole, "tile \(tile), stride \(stride)")
            }
            // A tile starting later holds the same chains' draws.
            let shifted = NoiseDraws.tiled(noise, firstChain: 1010, total: 27, tile: 9, stride: 12, step: step, normals: normals)
            for k in 0..<3 { XCTAssertEqual(Array(shifted[(k * 27)..<(k * 27 + 27)]), Array(whole[(k * 37 + 10)..<(k * 37 + 37)])) }
        }
    }

    /// Different chains, steps and coordinates get different draws; a coordinate with
    /// scale 0 gets none; the noise is added to the gradient already there.
    func testDrawsDifferAndAdd() {
        let noise = StudentTNoise(df: 4, scale: [1, 0, 1])
        let normals = NormalSource(generator: Philox4x32(seed: 22))
        let a = NoiseDraws.tiled(noise, firstChain: 0, total: 50, tile: 50, stride: 50, step: 3, normals: normals)
        let b = NoiseDraws.tiled(noise, firstChain: 0, total: 50, tile: 50, stride: 50, step: 4, normals: normals)
        XCTAssertEqual(Set(a[0..<50] + a[100..<150] + b[0..<50] + b[100..<150]).count, 200)
        XCTAssertEqual(Array(a[50..<100]), [Double](repeating: 0, count: 50))
        var g = [Double](repeating: 10, count: 3 * 50), scratch = g
        NoiseDraws.perturb(noise, &g, x: scratch, stride: 50, count: 50, firstChain: 0, step: 3, normals: normals, scratch: &scratch)
        for i in g.indices { XCTAssertEqual(g[i], 10 + a[i]) }
        let otherSeed = NoiseDraws.tiled(noise, firstChain: 0, total: 50, tile: 50, stride: 50, step: 3,
                                         normals: NormalSource(generator: Philox4x32(seed: 23)))
        XCTAssertTrue(zip(a[0..<50], otherSeed[0..<50]).allSatisfy { $0 != $1 })
    }

    /// The t draws use other Philox counters than the Gaussian gradient noise of the same
    /// run: with df = 10⁹ (a normal to 10⁻⁹), the t draws and DiagonalGaussianNoise's draws
    /// of the same (chain, step, coordinate) are uncorrelated within 5/√n, also in their
    /// squares, and never equal.
    func testIndependentOfGaussianStream() {
        let t = NoiseDraws.draws(StudentTNoise(df: 1e9, scale: [1, 1]), chains: 1000, steps: 200, seed: 5)
        let z = NoiseDraws.draws(DiagonalGaussianNoise(std: [1, 1]), chains: 1000, steps: 200, seed: 5)
        let tolerance = 5 / Double(t[0].count).squareRoot()
        for k in 0..<2 {
            XCTAssertEqual(SampleMoments.correlation(t[k], z[k]), 0, accuracy: tolerance)
            XCTAssertEqual(SampleMoments.correlation(t[k].map { $0 * $0 }, z[k].map { $0 * $0 }), 0, accuracy: tolerance)
            XCTAssertFalse(zip(t[k], z[k]).contains { $0 == $1 })
        }
    }

    /// Tiny and huge df, and the extreme tiles, give numbers: never NaN.
    func testExtremeDegreesOfFreedom() {
        for df in [0.05, 0.3, 1, 1e6, 1e300] {
            let draws = NoiseDraws.draws(StudentTNoise(df: df, scale: [1]), chains: 500, steps: 100, seed: 31)[0]
            XCTAssertFalse(draws.contains(where: \.isNaN), "df \(df)")
            if df >= 1 { XCTAssertTrue(draws.allSatisfy(\.isFinite), "df \(df)") }
        }
        let noise = StudentTNoise(df: 3, scale: [])
        XCTAssertEqual(noise.dimension, 0)
        XCTAssertEqual(NoiseDraws.draws(noise, chains: 4, steps: 2, seed: 1).count, 0)
    }
}
