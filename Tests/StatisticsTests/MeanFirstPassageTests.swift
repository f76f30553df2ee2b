import Foundation
import XCTest
@testable import Statistics

final class MeanFirstPassageTests: XCTestCase {
    /// Closed forms with reflection at 0: free diffusion, τ = (b² − x₀²)/(2T); a linear
    /// potential f = c·x, τ = (1/c)·[(T/c)(e^{cb/T} − e^{cx₀/T}) − (b − x₀)]; and the mirror
    /// images (target on the left).
    func testClosedForms() throws {
        for (x0, b, t) in [(0.0, 1.0, 1.0), (0.3, 2.0, 0.25), (1.9, 2.0, 3.0)] {
            let tau = try MeanFirstPassage.meanFirstPassageTime(from: x0, to: b, reflectingAt: 0, temperature: t) { _ in 0 }
            XCTAssertEqual(tau, (b * b - x0 * x0) / (2 * t), accuracy: 1e-10 * tau)
            let mirrored = try MeanFirstPassage.meanFirstPassageTime(from: -x0, to: -b, reflectingAt: 0, temperature: t) { _ in 0 }
            XCTAssertEqual(mirrored, tau, accuracy: 1e-10 * tau)
        }
        for (c, x0, b, t) in [(1.0, 0.0, 1.0, 1.0), (2.0, 0.5, 3.0, 0.5), (-1.5, 0.2, 2.0, 0.3)] {
            let exact = ((t / c) * (exp(c * b / t) - exp(c * x0 / t)) - (b - x0)) / c
            let tau = try MeanFirstPassage.meanFirstPassageTime(from: x0, to: b, reflectingAt: 0, temperature: t) { c * $0 }
            XCTAssertEqual(tau, exact, accuracy: 1e-9 * exact, "c \(c)")
            let mirrored = try MeanFirstPassage.meanFirstPassageTime(from: -x0, to: -b, reflectingAt: 0, temperature: t) { -c * $0 }
            XCTAssertEqual(mirrored, exact, accuracy: 1e-9 * exact, "c \(c) mirrored")
        }
        XCTAssertEqual(try MeanFirstPassage.meanFirstPassageTime(from: 1, to: 1, reflectingAt: 0, temperature: 1) { $0 }, 0)
    }

    /// A constant offset of 5000 (e^{5000/T} overflows any double) changes nothing: the
    /// exponents are shifted before exponentiation. log τ stays finite where τ overflows.
    func testStableEvaluation() throws {
        let plain = try MeanFirstPassage.meanFirstPassageTime(from: 0.5, to: 3, reflectingAt: 0, temperature: 0.5) { 2 * $0 }
        let offset = try MeanFirstPassage.meanFirstPassageTime(from: 0.5, to: 3, reflectingAt: 0, temperature: 0.5) { 5000 + 2 * $0 }
        XCTAssertEqual(offset, plain, accuracy: 1e-9 * plain)
        // f = c·x with cb/T = 2000: log τ = cb/T + log(T/c²) + log(1 − …).
        let logTau = try MeanFirstPassage.logMeanFirstPassageTime(from: 0, to: 1, reflectingAt: 0, temperature: 0.01) { 20 * $0 }
        XCTAssertEqual(logTau, 2000 + log(0.01 / 400), accuracy: 1e-9 * 2000)
        XCTAssertEqual(try MeanFirstPassage.meanFirstPassageTime(from: 0, to: 1, reflectingAt: 0, temperature: 0.01) { 20 * $0 }, .infinity)
    }

    /// The double well f = (x² − 1)² (ΔF = 1, f″(±1) = 8, f″(0) = −4), from −1 to +1 with
    /// reflection at −3: against an independent evaluation (scipy.integrate.quad, nested) to
    /// 1e-8, and against Kramers' time 2π/√32·e^{1/T}: the ratio 1.142, 1.057, 1.025 at
    /// ΔF/T = 4, 8, 16 tends to 1 like 1 + O(T/ΔF) (ratio − 1 ≈ 0.45·T/ΔF here).
    func testDoubleWellAgainstKramers() throws {
        let f: (Double) -> Double = { x in (x * x - 1) * (x * x - 1) }
        let reference: [(t: Double, tau: Double)] = [(0.25, 69.2636447608363), (0.125, 3500.0348111867893), (0.0625, 10121286.920382636)]
        var lastExcess = Double.infinity
        for (t, expected) in reference {
            let tau = try MeanFirstPassage.meanFirstPassageTime(from: -1, to: 1, reflectingAt: -3, temperature: t, potential: f)
            XCTAssertEqual(tau, expected, accuracy: 1e-8 * expected, "T \(t)")
            let kramers = MeanFirstPassage.kramersTime(barrier: 1, curvatureAtMinimum: 8, curvatureAtSaddle: -4, temperature: t)
            let excess = tau / kramers - 1
            XCTAssertGreaterThan(excess, 0)
            XCTAssertLessThan(excess, 0.6 * t, "T \(t): ratio \(tau / kramers)")
            XCTAssertLessThan(excess, 0.6 * lastExcess)
            lastExcess = excess
        }
        // ΔF/T = 8: within 6 %.
        let tau = try MeanFirstPassage.meanFirstPassageTime(from: -1, to: 1, reflectingAt: -3, temperature: 0.125, potential: f)
        let kramers = MeanFirstPassage.kramersTime(barrier: 1, curvatureAtMinimum: 8, curvatureAtSaddle: -4, temperature: 0.125)
        XCTAssertEqual(tau / kramers, 1, accuracy: 0.06)
    }

    /// Further independent references (scipy, nested quad): an OU process f = x²/2 from 0 to
    /// 1.5 at T = 0.7 (reflection far out at −8), and a tilted double well.
    func testAgainstScipy() throws {
        let ou = try MeanFirstPassage.meanFirstPassageTime(from: 0, to: 1.5, reflectingAt: -8, temperature: 0.7) { 0.5 * $0 * $0 }
        XCTAssertEqual(ou, 7.357606462206017, accuracy: 1e-8 * 7.36)
        let tilted = try MeanFirstPassage.meanFirstPassageTime(from: -1, to: 1, reflectingAt: -3, temperature: 0.25) { x in
            (x * x - 1) * (x * x - 1) + 0.3 * x
        }
        XCTAssertEqual(tilted, 233.01099237593795, accuracy: 1e-8 * 233)
    }

    /// Concurrent calls with different closures give the same answers as serial ones.
    func testThreadSafety() throws {
        let temperatures = (0..<8).map { 0.2 + 0.05 * Double($0) }
        func tau(_ t: Double) throws -> Double {
            try MeanFirstPassage.meanFirstPassageTime(from: -1, to: 1, reflectingAt: -3, temperature: t) { x in (x * x - 1) * (x * x - 1) + t * x }
        }
        let serial = try temperatures.map(tau)
        let results = UnsafeMutableBufferPointer<Double>.allocate(capacity: temperatures.count)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: temperatures.count) { i in
            results[i] = (try? tau(temperatures[i])) ?? .nan
        }
        XCTAssertEqual(Array(results), serial)
    }

    func testFailures() {
        XCTAssertThrowsError(try MeanFirstPassage.meanFirstPassageTime(from: 0.5, to: 1, reflectingAt: 0, temperature: 0) { $0 })
        XCTAssertThrowsError(try MeanFirstPassage.meanFirstPassageTime(from: 1.5, to: 1, reflectingAt: 0, temperature: 1) { $0 })
        XCTAssertThrowsError(try MeanFirstPassage.meanFirstPassageTime(from: -0.5, to: 1, reflectingAt: 0, temperature: 1) { $0 })
        XCTAssertThrowsError(try MeanFirstPassage.meanFirstPassageTime(from: 1, to: 1, reflectingAt: 1, temperature: 1) { $0 })
        XCTAssertThrowsError(try MeanFirstPassage.meanFirstPassageTime(from: 0.5, to: 1, reflectingAt: -.infinity, temperature: 1) { $0 })
        XCTAssertThrowsError(try MeanFirstPassage.meanFirstPassageTime(from: 0.5, to: 1, reflectingAt: 0, temperature: 1) { 1 / ($0 - 0.25) })
        XCTAssertThrowsError(try MeanFirstPassage.meanFirstPassageTime(from: 0.5, to: 1, reflectingAt: 0, temperature: 1) { _ in .nan })
    }
}
