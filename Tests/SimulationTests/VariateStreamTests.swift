import XCTest
@testable import Simulation

final class VariateStreamTests: XCTestCase {
    /// The uniforms are the documented transform of Philox block (index, step, chain,
    /// purpose + 256·attempt).
    func testAddressing() {
        let generator = Philox4x32(seed: 9)
        let variates = VariateStream(NormalSource(generator: generator))
        XCTAssertEqual(variates, VariateStream(generator: generator))
        for purpose in VariatePurpose.allCases {
            for attempt: UInt32 in [0, 1, 255, 1 << 23] {
                let r = generator.block(3, 17, 123_456, purpose.rawValue + 256 * attempt)
                let (u, v) = variates.uniforms(chain: 123_456, step: 17, index: 3, purpose: purpose, attempt: attempt)
                XCTAssertEqual(u, (Double((UInt64(r.1) << 32 | UInt64(r.0)) >> 12) + 0.5) * 0x1.0p-52)
                XCTAssertEqual(v, (Double((UInt64(r.3) << 32 | UInt64(r.2)) >> 12) + 0.5) * 0x1.0p-52)
            }
        }
    }

    /// No purpose, with any attempt, reaches a counter of NormalStream (fourth word 0–3).
    func testPurposesAvoidNormalStream() {
        let normalPurposes = Set([StreamPurpose.gradientNoise, .initialization, .optimizerNoise, .resampling].map(\.rawValue))
        XCTAssertEqual(normalPurposes, [0, 1, 2, 3])
        for purpose in VariatePurpose.allCases {
            XCTAssertGreaterThanOrEqual(purpose.rawValue, 4)
            XCTAssertLessThan(purpose.rawValue, 256)
            for attempt: UInt32 in [0, 1, 2, 1000, (1 << 24) - 1, 1 << 24, .max] {
                XCTAssertFalse(normalPurposes.contains(purpose.rawValue | attempt << 8))
            }
        }
    }

    /// The extreme bit patterns give 2⁻⁵³ and 1 − 2⁻⁵³: open interval, symmetric.
    func testOpenInterval() {
        XCTAssertEqual(VariateStream.openUniform(0), 0x1.0p-53)
        XCTAssertEqual(VariateStream.openUniform(.max), 1 - 0x1.0p-53)
        XCTAssertEqual(VariateStream.openUniform(0x8000_0000_0000_0000), 0.5 + 0x1.0p-53)
        XCTAssertEqual(VariateStream.openUniform(0x7FFF_FFFF_FFFF_FFFF), 0.5 - 0x1.0p-53)
        let bits: UInt64 = 0x1234_5678_9ABC_DEF0
        XCTAssertEqual(VariateStream.openUniform(bits) + VariateStream.openUniform(~bits), 1)
    }

    /// Mean ½ and variance 1/12 over 10⁶ uniforms, within 5 standard errors (se of the mean
    /// √(1/12n), of the mean of (u − ½)² √(1/180n): Var (u − ½)² = 1/80 − 1/144).
    func testUniformMoments() {
        let variates = VariateStream(generator: Philox4x32(seed: 10))
        var s1 = 0.0, s2 = 0.0
        let n = 1_000_000
        for i in 0..<(n / 2) {
            let (u, v) = variates.uniforms(chain: UInt32(i % 1000), step: UInt32(i / 1000), index: 0, purpose: .studentT)
            for x in [u, v] {
                XCTAssertTrue(x > 0 && x < 1)
                s1 += x; s2 += (x - 0.5) * (x - 0.5)
            }
        }
        let count = Double(n)
        XCTAssertEqual(s1 / count, 0.5, accuracy: 5 * (1 / (12 * count)).squareRoot())
        XCTAssertEqual(s2 / count, 1.0 / 12, accuracy: 5 * (1 / (180 * count)).squareRoot())
    }

    /// Student-t with df = 1 is Cauchy: P(|T| ≤ 1) = ½. Over 10⁶ draws the fraction is ½
    /// within 5 binomial standard errors √(1/4n) — a quick check that rejected attempts move
    /// on to fresh blocks rather than reusing one.
    func testCauchyQuartiles() {
        let variates = VariateStream(generator: Philox4x32(seed: 12))
        let n = 1_000_000
        var inside = 0
        for i in 0..<n where Swift.abs(variates.studentT(df: 1, chain: UInt32(i % 1000), step: UInt32(i / 1000), index: 2)) <= 1 {
            inside += 1
        }
        XCTAssertEqual(Double(inside) / Double(n), 0.5, accuracy: 5 * (0.25 / Double(n)).squareRoot())
    }
}
