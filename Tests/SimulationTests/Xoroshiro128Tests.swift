import XCTest
@testable import Simulation

final class Xoroshiro128Tests: XCTestCase {
    /// Outputs of xoroshiro128++ as Blackman & Vigna's reference code (xoroshiro128plusplus.c)
    /// gives them, computed independently with Python integers.
    func testKnownAnswers() {
        var state = Xoroshiro128(s0: 1, s1: 2)
        let first = (0..<5).map { _ in state.next() }
        XCTAssertEqual(first, [0x60001, 0x2_60c0_0066_0007, 0x180a_cc04_7186_06d3, 0x9e22_6d35_036f_c4c7, 0x849b_c9ac_6b96_0be4])
        state = Xoroshiro128(s0: 0x0123_4567_89ab_cdef, s1: 0xfedc_ba98_7654_3210)
        var last: UInt64 = 0
        for _ in 0..<1000 { last = state.next() }
        XCTAssertEqual(last, 0xbd9a_1331_312a_8758)
    }

    /// The all-zero state, the generator's fixed point, is never used.
    func testZeroStateIsReplaced() {
        var state = Xoroshiro128(s0: 0, s1: 0)
        XCTAssertEqual(state, Xoroshiro128(s0: 1, s1: 0))
        XCTAssertNotEqual(state.next(), state.next())
    }

    /// A block's first state is Philox block (block, 0, chain, 16 + purpose): low word first.
    func testSeedIsThePhiloxBlock() {
        let key = Philox4x32(seed: 5)
        let r = key.block(3, 0, 17, 16 + StreamPurpose.optimizerNoise.rawValue)
        XCTAssertEqual(NormalSource.seed(key, purpose: .optimizerNoise, chain: 17, block: 3),
                       Xoroshiro128(s0: UInt64(r.1) << 32 | UInt64(r.0), s1: UInt64(r.3) << 32 | UInt64(r.2)))
    }
}
