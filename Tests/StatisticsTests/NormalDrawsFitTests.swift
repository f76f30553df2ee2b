import XCTest
import Simulation
@testable import Statistics

/// The chains' normal draws (xoroshiro128++ and the 256-layer ziggurat, `NormalSource`)
/// against the normal distribution of GSL. A fixed seed makes each outcome deterministic;
/// the thresholds are the two-sided normal equivalent of 5σ (p > 5.7·10⁻⁷), so a correct
/// generator fails for at most that fraction of seeds.
final class NormalDrawsFitTests: XCTestCase {
    static let threshold = 5.7e-7

    /// n draws: chains 0..<n/steps at steps 1...steps, one coordinate.
    func draws(_ n: Int, steps: Int = 100, seed: UInt64 = 11) -> [Double] {
        let chains = n / steps
        let source = NormalSource(generator: Philox4x32(seed: seed), capacity: chains)
        var z = [Double](repeating: 0, count: chains), all: [Double] = []
        all.reserveCapacity(n)
        for t in 1...steps {
            z.withUnsafeMutableBufferPointer {
                source.fill($0.baseAddress!, stride: chains, count: chains, dimension: 1, firstChain: 0, step: UInt32(t),
                            purpose: .gradientNoise)
            }
            all.append(contentsOf: z)
        }
        return all
    }

    /// Kolmogorov–Smirnov against Φ (gsl_cdf_ugaussian_P) on 10⁶ draws.
    func testKolmogorovSmirnov() {
        let sample = draws(1_000_000)
        let d = Distributions.kolmogorovSmirnovStatistic(sample, cdf: Distributions.normalCDF)
        let p = Distributions.kolmogorovSmirnovPValue(statistic: d, n: sample.count)
        XCTAssertGreaterThan(p, Self.threshold, "D = \(d)")
    }

    /// Pearson χ² over cells bounded by every layer edge ±x_i, so that each layer's rectangle,
    /// wedge and the tails beyond r are tested separately, on 10⁷ draws; and the same test
    /// rejects a generator that skips the wedge test (p far below the threshold).
    func testEveryLayerAndTheTails() throws {
        let edges = Ziggurat.edges[1...255].sorted()
        let cuts = edges.reversed().map { -$0 } + [0] + edges
        var probabilities: [Double] = []
        var previous = 0.0
        for cut in cuts {
            let c = Distributions.normalCDF(cut)
            probabilities.append(c - previous)
            previous = c
        }
        probabilities.append(1 - previous)
        func counts(_ sample: [Double]) -> [Int] {
            var counts = [Int](repeating: 0, count: cuts.count + 1)
            for z in sample {
                var lo = 0, hi = cuts.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if cuts[mid] < z { lo = mid + 1 } else { hi = mid }
                }
                counts[lo] += 1
            }
            return counts
        }
        let sample = draws(10_000_000, steps: 1000)
        let test = try ChiSquareTest(observed: counts(sample), probabilities: probabilities)
        XCTAssertGreaterThan(test.pValue, Self.threshold, "χ² = \(test.statistic) on \(test.degreesOfFreedom) df")

        // The mutant: every point of a layer's rectangle accepted (no wedge or tail test).
        var state = Xoroshiro128(s0: 1, s1: 99)
        let mutant = (0..<10_000_000).map { _ -> Double in
            let w = state.next()
            let x = Double(w >> 12) * 0x1.0p-52 * Ziggurat.edges[Int(w & 255)]
            return (w >> 8) & 1 == 0 ? x : -x
        }
        let rejected = try ChiSquareTest(observed: counts(mutant), probabilities: probabilities)
        XCTAssertLessThan(rejected.pValue, 1e-30)
    }
}
