import XCTest
@testable import Simulation

final class PhiloxTests: XCTestCase {
    /// Known-answer vectors of Random123's Philox4x32-10 (kat_vectors).
    func testKnownAnswers() {
        let zero = Philox4x32(key0: 0, key1: 0).block(0, 0, 0, 0)
        XCTAssertEqual([zero.0, zero.1, zero.2, zero.3], [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8])
        let ones = Philox4x32(key0: .max, key1: .max).block(.max, .max, .max, .max)
        XCTAssertEqual([ones.0, ones.1, ones.2, ones.3], [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd])
        let pi = Philox4x32(key0: 0xa409_3822, key1: 0x299f_31d0).block(0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344)
        XCTAssertEqual([pi.0, pi.1, pi.2, pi.3], [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1])
    }

    /// The seed → key derivation and the Box–Muller pairs of `NormalStream` (random rotations,
    /// data sets) stay what they were when the C reference computed them independently: the
    /// configs' rotated Hessians and data sets must not change.
    func testBoxMullerPairsAreUnchanged() {
        XCTAssertEqual(SplitMix64.mix(1), 0x910a_2dec_8902_5cc1)
        let stream = NormalStream(generator: Philox4x32(seed: 1))
        let (z0, z1) = stream.pair(chain: 12345, step: 7, index: 0, purpose: .gradientNoise)
        let (z2, _) = stream.pair(chain: 12345, step: 7, index: 1, purpose: .gradientNoise)
        XCTAssertEqual(z0, 0.2161335298667981)
        XCTAssertEqual(z1, -1.488302978114153)
        XCTAssertEqual(z2, 2.473559688035602)
    }

    /// Mean 0, variance 1, kurtosis 3 over 10⁶ draws, each within 5 standard errors
    /// (se of the mean 1/√n, of the variance √(2/n), of the 4th moment √(96/n)).
    func testNormalMoments() {
        let stream = NormalStream(generator: Philox4x32(seed: 7))
        let n = 1_000_000
        var s1 = 0.0, s2 = 0.0, s4 = 0.0
        for i in 0..<(n / 2) {
            let (a, b) = stream.pair(chain: UInt32(i % 1000), step: UInt32(i / 1000), index: 0, purpose: .gradientNoise)
            for z in [a, b] { s1 += z; s2 += z * z; s4 += z * z * z * z }
        }
        let count = Double(n)
        XCTAssertEqual(s1 / count, 0, accuracy: 5 / count.squareRoot())
        XCTAssertEqual(s2 / count, 1, accuracy: 5 * (2 / count).squareRoot())
        XCTAssertEqual(s4 / count, 3, accuracy: 5 * (96 / count).squareRoot())
    }

    /// Streams of different chains, steps and purposes differ.
    func testStreamsAreDistinct() {
        let stream = NormalStream(generator: Philox4x32(seed: 3))
        let base = stream.pair(chain: 1, step: 1, index: 0, purpose: .gradientNoise)
        XCTAssertNotEqual(base.0, stream.pair(chain: 2, step: 1, index: 0, purpose: .gradientNoise).0)
        XCTAssertNotEqual(base.0, stream.pair(chain: 1, step: 2, index: 0, purpose: .gradientNoise).0)
        XCTAssertNotEqual(base.0, stream.pair(chain: 1, step: 1, index: 1, purpose: .gradientNoise).0)
        XCTAssertNotEqual(base.0, stream.pair(chain: 1, step: 1, index: 0, purpose: .initialization).0)
    }
}
