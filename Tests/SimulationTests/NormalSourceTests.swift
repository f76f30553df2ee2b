import XCTest
@testable import Simulation

/// `NormalSource`: draws addressed by (purpose, chain, step, index), whatever the order of
/// the calls, the tiling or the block structure; independent across addresses.
final class NormalSourceTests: XCTestCase {
    let key = Philox4x32(seed: 2026)

    /// A tile's draws at `step`, in the structure-of-arrays layout of `fill`.
    func tile(_ source: NormalSource, firstChain: Int, count: Int, dimension: Int, step: Int,
              purpose: StreamPurpose = .gradientNoise) -> [Double] {
        var z = [Double](repeating: .nan, count: dimension * (count + 3))
        z.withUnsafeMutableBufferPointer {
            source.fill($0.baseAddress!, stride: count + 3, count: count, dimension: dimension, firstChain: firstChain,
                        step: UInt32(step), purpose: purpose)
        }
        return z
    }

    /// Drawn in order over three blocks, from one tile or from tiles of other sizes (not
    /// multiples of the four interleaved chains), and in random order: every draw equals its
    /// definition `NormalSource.draws`, and the padding of the tile is untouched.
    func testDrawsDependOnlyOnTheirAddress() {
        for dimension in [1, 3, 10, 300] {
            let perBlock = NormalSource.stepsPerBlock(draws: dimension)
            let steps = Array(0..<(3 * perBlock + 2)).filter { $0 < 3 * perBlock + 2 }
            let chains = 11
            var expected: [[[Double]]] = []  // [chain][step][k]
            for c in 0..<chains {
                expected.append(steps.map { NormalSource.draws(key, purpose: .gradientNoise, chain: 100 + c, step: UInt32($0), dimension: dimension) })
            }
            for tiling in [[11], [4, 7], [1, 2, 3, 5]] {
                var first = 100
                for count in tiling {
                    let source = NormalSource(generator: key, capacity: 8)
                    for t in steps {
                        let z = tile(source, firstChain: first, count: count, dimension: dimension, step: t)
                        for c in 0..<count {
                            for k in 0..<dimension {
                                XCTAssertEqual(z[k * (count + 3) + c], expected[first - 100 + c][t][k],
                                               "d \(dimension), tiling \(tiling), chain \(first + c), step \(t), k \(k)")
                            }
                        }
                        for k in 0..<dimension { for c in count..<(count + 3) { XCTAssertTrue(z[k * (count + 3) + c].isNaN) } }
                    }
                    first += count
                }
            }
            let source = NormalSource(generator: key)
            var rng = SystemRandomNumberGenerator()
            for _ in 0..<20 {
                let t = steps.randomElement(using: &rng)!, c = Int.random(in: 0..<chains, using: &rng)
                let z = tile(source, firstChain: 100 + c, count: 1, dimension: dimension, step: t)
                for k in 0..<dimension { XCTAssertEqual(z[k * 4], expected[c][t][k], "random access d \(dimension)") }
            }
        }
    }

    /// `add(scaledBy:to:)` adds scale_k times the draws `fill` gives, in the same pass.
    func testAddScaledIsFillTimesScale() {
        let source = NormalSource(generator: key), other = NormalSource(generator: key)
        let d = 3, n = 9
        for t in 1...30 {
            let z = tile(source, firstChain: 5, count: n, dimension: d, step: t)
            var g = [Double](repeating: 1, count: d * (n + 3))
            let scale = [0.5, 2, 0]
            g.withUnsafeMutableBufferPointer { gp in
                scale.withUnsafeBufferPointer {
                    other.add(scaledBy: $0.baseAddress!, to: gp.baseAddress!, stride: n + 3, count: n, dimension: d,
                              firstChain: 5, step: UInt32(t), purpose: .gradientNoise)
                }
            }
            for k in 0..<d { for c in 0..<n { XCTAssertEqual(g[k * (n + 3) + c], 1 + scale[k] * z[k * (n + 3) + c]) } }
        }
    }

    /// Bit for bit the normals of the C reference, `benchmarks/w1 --normals d chain step seed`.
    func testDrawsMatchTheCReference() {
        let a = NormalSource.draws(Philox4x32(seed: 1), purpose: .gradientNoise, chain: 12345, step: 7, dimension: 3)
        XCTAssertEqual(a, [0x1.96602309eb473p+0, 0x1.75c4f79cea064p-2, 0x1.09012cf3e38a8p-4])
        let b = NormalSource.draws(Philox4x32(seed: 42), purpose: .gradientNoise, chain: 70000, step: 501, dimension: 10)
        XCTAssertEqual(b[0], 0x1.cb3a450bb4db7p-3)
        XCTAssertEqual(b[3], 0x1.44f7e9e8f434bp+0)
        XCTAssertEqual(b[9], -0x1.05e9eb826f5e5p+0)
    }

    /// Pearson correlations of draws at neighbouring addresses — next chain, next step
    /// (including the first step of the next block), next index, another purpose — and of
    /// their squares are 0 within 5 standard errors (1/√n for independent normals, n pairs).
    func testNeighbouringAddressesAreUncorrelated() {
        let chains = 2000, d = 4
        let perBlock = NormalSource.stepsPerBlock(draws: d)
        let source = NormalSource(generator: key, capacity: chains)
        let steps = [perBlock - 2, perBlock - 1, perBlock, perBlock + 1]
        var draws: [StreamPurpose: [[Double]]] = [:]
        for purpose in [StreamPurpose.gradientNoise, .optimizerNoise] {
            draws[purpose] = steps.map { tile(source, firstChain: 0, count: chains, dimension: d, step: $0, purpose: purpose) }
        }
        let g = draws[.gradientNoise]!, o = draws[.optimizerNoise]!
        let stride = chains + 3
        func value(_ z: [[Double]], _ s: Int, _ k: Int, _ c: Int) -> Double { z[s][k * stride + c] }
        var pairs: [String: [(Double, Double)]] = [:]
        for s in 0..<steps.count {
            for k in 0..<d {
                for c in 0..<chains {
                    if c + 1 < chains { pairs["chain", default: []].append((value(g, s, k, c), value(g, s, k, c + 1))) }
                    if s + 1 < steps.count { pairs[s == 1 ? "block" : "step", default: []].append((value(g, s, k, c), value(g, s + 1, k, c))) }
                    if k + 1 < d { pairs["index", default: []].append((value(g, s, k, c), value(g, s, k + 1, c))) }
                    pairs["purpose", default: []].append((value(g, s, k, c), value(o, s, k, c)))
                }
            }
        }
        for (name, xy) in pairs {
            let n = Double(xy.count)
            for squared in [false, true] {
                let u = xy.map { squared ? $0.0 * $0.0 : $0.0 }, v = xy.map { squared ? $0.1 * $0.1 : $0.1 }
                let mu = u.reduce(0, +) / n, mv = v.reduce(0, +) / n
                var suv = 0.0, suu = 0.0, svv = 0.0
                for i in u.indices {
                    suv += (u[i] - mu) * (v[i] - mv); suu += (u[i] - mu) * (u[i] - mu); svv += (v[i] - mv) * (v[i] - mv)
                }
                let r = suv / (suu * svv).squareRoot()
                XCTAssertLessThan(Swift.abs(r), 5 / n.squareRoot(), "\(name)\(squared ? " (squares)" : ""): r = \(r), n = \(Int(n))")
            }
        }
    }
}
