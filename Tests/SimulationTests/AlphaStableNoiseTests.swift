import XCTest
@testable import Simulation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class AlphaStableNoiseTests: XCTestCase {
    /// The empirical characteristic function over 5·10⁵ draws per coordinate matches
    /// E cos(tξ) = exp(−|scale·t|^α) and E sin(tξ) = 0 (symmetry) at several t, each within
    /// 5 standard errors of the mean of cos(tξ) (resp. sin), se = sample sd / √n — cos and
    /// sin are bounded, so the CLT holds whatever the tails.
    func testCharacteristicFunction() {
        let scale = [1.0, 0.3]
        for alpha in [0.8, 1.5, 2.0] {
            let draws = NoiseDraws.draws(AlphaStableNoise(alpha: alpha, scale: scale), chains: 1000, steps: 500, seed: 41)
            for (k, s) in scale.enumerated() {
                for u in [0.1, 0.25, 0.5, 1, 2, 4] {
                    let t = u / s
                    let cosine = SampleMoments.meanAndStandardError(draws[k].map { cos(t * $0) })
                    let expected = exp(-pow(u, alpha))
                    XCTAssertEqual(cosine.mean, expected, accuracy: 5 * cosine.se, "α \(alpha), k \(k), t·scale \(u)")
                    let sine = SampleMoments.meanAndStandardError(draws[k].map { sin(t * $0) })
                    XCTAssertEqual(sine.mean, 0, accuracy: 5 * sine.se, "α \(alpha), k \(k), t·scale \(u)")
                }
            }
        }
    }

    /// α = 2 is N(0, 2·scale²): over 10⁶ draws the mean is 0 within 5·√(2scale²/n) and E ξ²
    /// is 2·scale² within 5·2scale²·√(2/n) (Var ξ² = 2(2scale²)² for a normal), and E ξ⁴ is
    /// 3(2scale²)² within 5·(2scale²)²·√(96/n).
    func testAlphaTwoIsGaussian() {
        let scale = [0.5, 2.0]
        let draws = NoiseDraws.draws(AlphaStableNoise(alpha: 2, scale: scale), chains: 2000, steps: 500, seed: 42)
        for (k, s) in scale.enumerated() {
            let n = Double(draws[k].count), variance = 2 * s * s
            XCTAssertEqual(SampleMoments.mean(draws[k]), 0, accuracy: 5 * (variance / n).squareRoot())
            XCTAssertEqual(draws[k].reduce(0) { $0 + $1 * $1 } / n, variance, accuracy: 5 * variance * (2 / n).squareRoot())
            XCTAssertEqual(draws[k].reduce(0) { $0 + $1 * $1 * $1 * $1 } / n, 3 * variance * variance,
                           accuracy: 5 * variance * variance * (96 / n).squareRoot())
        }
    }

    /// The special cases α = 1 (tan V) and α = 2 (2 sin V √W) are the limits of the general
    /// Chambers–Mallows–Stuck formula at the same uniforms: draw by draw, α = 1 ± 10⁻⁹ and
    /// α = 2 − 10⁻⁹ agree with them to a relative 10⁻⁶ (the formula is smooth in α; the
    /// gap is O(10⁻⁹·log-terms)).
    func testSpecialCasesAreLimitsOfTheFormula() {
        let variates = VariateStream(generator: Philox4x32(seed: 43))
        for chain: UInt32 in 0..<2000 {
            for (special, near) in [(1.0, 1 - 1e-9), (1.0, 1 + 1e-9), (2.0, 2 - 1e-9)] {
                let exact = variates.symmetricStable(alpha: special, chain: chain, step: 1, index: 0)
                let general = variates.symmetricStable(alpha: near, chain: chain, step: 1, index: 0)
                XCTAssertEqual(general, exact, accuracy: 1e-6 * Swift.max(1, Swift.abs(exact)), "chain \(chain), α \(near)")
            }
        }
    }

    func testCovariance() {
        XCTAssertEqual(AlphaStableNoise(alpha: 2, scale: [1, 3]).covariance, [2, 0, 0, 18])
        XCTAssertNil(AlphaStableNoise(alpha: 1.999, scale: [1, 3]).covariance)
        XCTAssertNil(AlphaStableNoise(alpha: 1, scale: [1]).covariance)
        XCTAssertEqual(AlphaStableNoise(alpha: 0.5, scale: [1, 1]).dimension, 2)
    }

    /// Same draws whatever the tiling; different chains, steps and coordinates differ; a
    /// zero scale adds nothing.
    func testDeterminismAndDistinctness() {
        let noise = AlphaStableNoise(alpha: 1.3, scale: [1, 2, 0])
        let normals = NormalSource(generator: Philox4x32(seed: 44))
        let whole = NoiseDraws.tiled(noise, firstChain: 77, total: 40, tile: 40, stride: 64, step: 9, normals: normals)
        for (tile, stride) in [(1, 3), (7, 7), (16, 20)] {
            XCTAssertEqual(NoiseDraws.tiled(noise, firstChain: 77, total: 40, tile: tile, stride: stride, step: 9, normals: normals),
                           whole, "tile \(tile), stride \(stride)")
        }
        let later = NoiseDraws.tiled(noise, firstChain: 77, total: 40, tile: 40, stride: 40, step: 10, normals: normals)
        XCTAssertEqual(Set(whole[0..<80] + later[0..<80]).count, 160)
        XCTAssertEqual(Array(whole[80..<120]), [Double](repeating: 0, count: 40))
    }

    /// The α-stable draws use other counters than the Gaussian gradient noise and the
    /// Student-t noise of the same run: at α = 2 (a normal) the correlation with
    /// DiagonalGaussianNoise's and with StudentTNoise's draws of the same (chain, step,
    /// coordinate) is 0 within 5/√n.
    func testIndependentOfOtherStreams() {
        let stable = NoiseDraws.draws(AlphaStableNoise(alpha: 2, scale: [1]), chains: 1000, steps: 200, seed: 6)[0]
        let gaussian = NoiseDraws.draws(DiagonalGaussianNoise(std: [1]), chains: 1000, steps: 200, seed: 6)[0]
        let t = NoiseDraws.draws(StudentTNoise(df: 1e9, scale: [1]), chains: 1000, steps: 200, seed: 6)[0]
        let tolerance = 5 / Double(stable.count).squareRoot()
        for other in [gaussian, t] {
            XCTAssertEqual(SampleMoments.correlation(stable, other), 0, accuracy: tolerance)
            XCTAssertEqual(SampleMoments.correlation(stable.map { $0 * $0 }, other.map { $0 * $0 }), 0, accuracy: tolerance)
        }
    }

    /// Extreme α never give NaN (±∞ is possible for tiny α: the true value overflows).
    func testExtremeAlpha() {
        for alpha in [0.02, 0.1, 0.5, 0.999, 1.001, 1.999999] {
            let draws = NoiseDraws.draws(AlphaStableNoise(alpha: alpha, scale: [1]), chains: 500, steps: 100, seed: 45)[0]
            XCTAssertFalse(draws.contains(where: \.isNaN), "α \(alpha)")
            if alpha >= 0.5 { XCTAssertTrue(draws.allSatisfy(\.isFinite), "α \(alpha)") }
        }
    }
}
