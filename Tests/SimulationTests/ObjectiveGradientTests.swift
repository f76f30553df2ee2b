import XCTest
@testable import Simulation

/// The tile gradient and the Hessian of every landscape against central differences.
///
/// Tolerances: a central difference with step h errs by h²/6·|f'''| (truncation) plus about
/// ε·|f|/h (rounding). With h = 1e-5 inside the test boxes (|f'''| ≲ 5·10³ for Rosenbrock with
/// b = 100 on [−2, 2], ≲ 2.5·10³ for Rastrigin with A = 10, O(10) elsewhere) that is below
/// 1e-7 + 2.2e-11·|f|, so 1e-6·(1 + |f| + ‖∇f‖∞) leaves a margin of ~10 while any wrong term —
/// a factor, a sign, a neighbour's coordinate — errs by O(|∇f|). The same argument with f → ∇f
/// gives 1e-6·(1 + ‖∇f‖∞ + max|H|) for the Hessian.
final class ObjectiveGradientTests: XCTestCase {
    static let points = 24
    /// 24 points in tiles of 7 chains with room for 10: three full tiles and one of 3, so a
    /// stride or tail bug shows, and the padding slots are checked in each.
    static let tileCount = 7, tileStride = 10

    func testTileGradientMatchesCentralDifferencesOfValue() {
        var random = ObjectiveTestRandom(seed: 1)
        for test in ObjectiveCase.all {
            let f = test.objective, d = f.dimension, h = test.step
            let points = (0..<Self.points).map { _ in test.randomPoint(&random) }
            var worst = 0.0
            for start in Swift.stride(from: 0, to: points.count, by: Self.tileCount) {
                let chunk = Array(points[start..<min(start + Self.tileCount, points.count)])
                var tile = ObjectiveTile(points: chunk, stride: Self.tileStride)
                tile.evaluate(f)
                XCTAssertTrue(tile.paddingIsUntouched, "\(test.name): a padding slot of the gradient was written")
                for (c, x) in chunk.enumerated() {
                    let g = tile.gradient(chain: c)
                    let fx = f.value(at: x)
                    let tolerance = 1e-6 * (1 + abs(fx) + ObjectiveTestMath.maxAbs(g))
                    for k in 0..<d {
                        var plus = x, minus = x
                        plus[k] += h
                        minus[k] -= h
                        let difference = (f.value(at: plus) - f.value(at: minus)) / (2 * h)
                        worst = max(worst, abs(g[k] - difference) / tolerance)
                        XCTAssertEqual(g[k], difference, accuracy: tolerance, "\(test.name) at \(x), ∂/∂x\(k)")
                    }
                    XCTAssertEqual(g, f.tileGradient(at: x), "\(test.name): a chain's gradient depends on its tile neighbours")
                }
            }
            // The largest error seen is 3e-3 of the tolerance; asking for a tenth keeps the margin in view.
            XCTAssertLessThan(worst, 0.1, "\(test.name)")
        }
    }

    func testHessianMatchesCentralDifferencesOfGradient() {
        var random = ObjectiveTestRandom(seed: 2)
        for test in ObjectiveCase.all {
            let f = test.objective, d = f.dimension, h = test.step
            for _ in 0..<Self.points {
                let x = test.randomPoint(&random)
                // x ± h·e_j for every j as the 2d chains of one tile.
                var shifted: [[Double]] = []
                for j in 0..<d {
                    var plus = x, minus = x
                    plus[j] += h
                    minus[j] -= h
                    shifted += [plus, minus]
                }
                var tile = ObjectiveTile(points: shifted, stride: 2 * d + 3)
                tile.evaluate(f)
                XCTAssertTrue(tile.paddingIsUntouched, "\(test.name)")
                let hessian = f.hessian(at: x)
                XCTAssertEqual(hessian.count, d * d, "\(test.name)")
                let tolerance = 1e-6 * (1 + ObjectiveTestMath.maxAbs(f.tileGradient(at: x)) + ObjectiveTestMath.maxAbs(hessian))
                for j in 0..<d {
                    let plus = tile.gradient(chain: 2 * j), minus = tile.gradient(chain: 2 * j + 1)
                    for i in 0..<d {
                        XCTAssertEqual(hessian[i * d + j], (plus[i] - minus[i]) / (2 * h), accuracy: tolerance,
                                       "\(test.name) at \(x), H[\(i)][\(j)]")
                        XCTAssertEqual(hessian[i * d + j], hessian[j * d + i], "\(test.name): H not symmetric")
                    }
                }
            }
        }
    }

    /// An empty tile writes nothing; a tile far out (where the mixture's densities underflow
    /// and the Rosenbrock terms are huge) still gives finite gradients.
    func testEdgeTiles() {
        for test in ObjectiveCase.all {
            var empty = ObjectiveTile(points: [test.lower], stride: 4)
            let f = test.objective, (s, d) = (empty.stride, f.dimension)
            empty.x.withUnsafeBufferPointer { xp in
                empty.gradient.withUnsafeMutableBufferPointer { gp in
                    f.gradient(xp.baseAddress!, into: gp.baseAddress!, stride: s, count: 0)
                }
            }
            XCTAssertTrue(empty.gradient.allSatisfy { $0.bitPattern == ObjectiveTile.sentinel.bitPattern }, "\(test.name)")
            let far = [Double](repeating: 1e3, count: d)
            XCTAssertTrue(f.tileGradient(at: far).allSatisfy(\.isFinite), "\(test.name) at 1e3")
            XCTAssertTrue(f.value(at: far).isFinite, "\(test.name) at 1e3")
        }
    }

    /// Far from every mean the responsibilities are computed in the log domain: the gradient
    /// is the nearest component's (in the Mahalanobis sense), not 0/0.
    func testMixtureGradientFarFromTheMeans() throws {
        let mixture = try GaussianMixture(weights: [1, 1], means: [[0], [1]], covariances: [[0.01], [0.01]])
        let g = mixture.tileGradient(at: [60])[0]
        XCTAssertEqual(g, (60 - 1) / 0.01, accuracy: 1e-9 * 5900)
        XCTAssertEqual(mixture.value(at: [60]), 0.5 * 59 * 59 / 0.01 - log(1 / (0.01 * 2 * Double.pi).squareRoot()),
                       accuracy: 1e-12 * 174_050)
    }
}
