import XCTest
import Simulation
@testable import Statistics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Kolmogorov–Smirnov goodness of fit of the heavy-tailed noise models to their CDFs.
///
/// Each test takes n = 10⁵ draws of one coordinate (500 chains × 200 steps, so many chains
/// and steps) with a fixed seed and requires the p-value to exceed 5.7·10⁻⁷, the two-sided
/// normal equivalent of 5σ: under the null hypothesis p is uniform, so a correct sampler
/// fails for at most that fraction of seeds. With the seed fixed the outcome is
/// deterministic, and a failure after a change means the draws changed (read p in the
/// message). The power test shows that 10⁵ draws reject a near miss by far (p ≈ 1e-23).
final class HeavyTailedNoiseFitTests: XCTestCase {
    static let threshold = 5.7e-7

    /// Coordinate `k` of ξ for chains 0..<500 at steps 1...200.
    func draws<N: GradientNoise>(_ noise: N, coordinate k: Int = 0, seed: UInt64) -> [Double] {
        let chains = 500, d = noise.dimension
        let normals = NormalSource(generator: Philox4x32(seed: seed))
        var g = [Double](repeating: 0, count: d * chains), scratch = g
        let x = g
        var result: [Double] = []
        result.reserveCapacity(chains * 200)
        for t in 1...200 {
            for i in g.indices { g[i] = 0 }
            g.withUnsafeMutableBufferPointer { gp in
                scratch.withUnsafeMutableBufferPointer { sp in
                    x.withUnsafeBufferPointer { xp in
                        noise.perturb(gp.baseAddress!, x: xp.baseAddress!, stride: chains, count: chains, firstChain: 0,
                                      step: UInt32(t), normals: normals, scratch: sp.baseAddress!)
                    }
                }
            }
            result.append(contentsOf: g[(k * chains)..<((k + 1) * chains)])
        }
        return result
    }

    func pValue(_ sample: [Double], cdf: (Double) -> Double) -> Double {
        let d = Distributions.kolmogorovSmirnovStatistic(sample, cdf: cdf)
        return Distributions.kolmogorovSmirnovPValue(statistic: d, n: sample.count)
    }

    /// ξ/scale ~ Student-t(df) for df ∈ {1, 3, 10}, in both coordinates.
    func testStudentT() {
        let scale = [1.0, 0.2]
        for df in [1.0, 3, 10] {
            let noise = StudentTNoise(df: df, scale: scale)
            for (k, s) in scale.enumerated() {
                let sample = draws(noise, coordinate: k, seed: 51)
                let p = pValue(sample) { Distributions.studentTCDF($0 / s, df: df) }
                XCTAssertGreaterThan(p, Self.threshold, "df \(df), coordinate \(k)")
            }
        }
    }

    /// α = 1 is Cauchy(scale): F(x) = 1/2 + atan(x/scale)/π; α = 2 is N(0, 2·scale²).
    func testAlphaStableClosedForms() {
        let scale = [1.0, 3.0]
        for (k, s) in scale.enumerated() {
            let cauchy = draws(AlphaStableNoise(alpha: 1, scale: scale), coordinate: k, seed: 52)
            XCTAssertGreaterThan(pValue(cauchy) { 0.5 + atan($0 / s) / .pi }, Self.threshold, "Cauchy, coordinate \(k)")
            let normal = draws(AlphaStableNoise(alpha: 2, scale: scale), coordinate: k, seed: 53)
            XCTAssertGreaterThan(pValue(normal) { Distributions.normalCDF($0 / (2.0.squareRoot() * s)) }, Self.threshold,
                                 "α = 2, coordinate \(k)")
        }
    }

    /// The test has power: Student-t(10) draws against t(5) (sup |F − G| = 0.015), and
    /// α-stable 1.7 against N(0, 2), the α = 2 member (sup |F − G| = 0.019), are rejected
    /// with p < 10⁻⁸ (expected √n·D ≈ 5–6, p ≈ 10⁻²⁰).
    func testRejectsNearMisses() {
        let t10 = draws(StudentTNoise(df: 10, scale: [1]), seed: 54)
        XCTAssertLessThan(pValue(t10) { Distributions.studentTCDF($0, df: 5) }, 1e-8)
        let stable = draws(AlphaStableNoise(alpha: 1.7, scale: [1]), seed: 55)
        XCTAssertLessThan(pValue(stable) { Distributions.normalCDF($0 / 2.0.squareRoot()) }, 1e-8)
    }
}
