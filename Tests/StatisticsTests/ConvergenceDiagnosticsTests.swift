import Foundation
import XCTest
@testable import Statistics

/// ConvergenceDiagnostics against ArviZ on fixed draws (Fixtures/arviz, made by
/// make_fixtures.py with the ArviZ version recorded in each file).
final class ConvergenceDiagnosticsTests: XCTestCase {
    struct Fixture: Decodable {
        let name: String
        let arvizVersion: String
        let chains: Int
        let drawsPerChain: Int
        let draws: [[Double]]
        let rHat: Double?
        let essBulk: Double?
        let essTail: Double?
        let mcseMean: Double?
        let mcseSd: Double?
    }

    static func fixtures() throws -> [Fixture] {
        let folder = Bundle.module.bundleURL.appendingPathComponent("Fixtures/arviz")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try files.map { try decoder.decode(Fixture.self, from: Data(contentsOf: $0)) }
    }

    /// Every value within 1e-11 relative of ArviZ (measured: 1.5e-14 at worst; only the FFT,
    /// the normal quantile function and summation order differ); R̂ NaN where ArviZ's is.
    func testMatchesArviZ() throws {
        let fixtures = try Self.fixtures()
        XCTAssertGreaterThanOrEqual(fixtures.count, 10)
        var worst = (error: 0.0, what: "")
        for f in fixtures {
            XCTAssertTrue(f.arvizVersion.hasPrefix("0.") && f.arvizVersion >= "0.17", f.arvizVersion)
            XCTAssertEqual(f.draws.count, f.chains)
            let d = try ConvergenceDiagnostics(chains: f.draws)
            XCTAssertEqual(d.chains, f.chains)
            XCTAssertEqual(d.drawsPerChain, f.drawsPerChain)
            let pairs: [(String, Double, Double?)] = [
                ("r_hat", d.rHat, f.rHat), ("ess_bulk", d.essBulk, f.essBulk), ("ess_tail", d.essTail, f.essTail),
                ("mcse_mean", d.mcseMean, f.mcseMean), ("mcse_sd", d.mcseSD, f.mcseSd),
            ]
            for (what, ours, reference) in pairs {
                guard let reference else {
                    XCTAssertTrue(ours.isNaN, "\(f.name) \(what): \(ours), ArviZ NaN")
                    continue
                }
                let error = Swift.abs(ours - reference) / Swift.abs(reference)
                XCTAssertLessThan(error, 1e-11, "\(f.name) \(what): \(ours) vs ArviZ \(reference)")
                if error > worst.error { worst = (error, "\(f.name) \(what)") }
            }
        }
        print("ConvergenceDiagnostics vs ArviZ: largest relative error \(worst.error) (\(worst.what))")
    }

    /// The flat chain-major buffer and the array of chains give the same diagnostics.
    func testFlatBufferEqualsNested() throws {
        let f = try XCTUnwrap(Self.fixtures().first { $0.name == "ar1_phi09" })
        let nested = try ConvergenceDiagnostics(chains: f.draws)
        let flat = try ConvergenceDiagnostics(draws: f.draws.flatMap { $0 }, chains: f.chains, drawsPerChain: f.drawsPerChain)
        XCTAssertEqual(nested, flat)
    }

    /// The diagnostics see what they should: a shifted chain drives R̂ far above 1 and the
    /// bulk ESS far below the draw count; slow mixing lowers the ESS.
    func testQualitativeBehaviour() throws {
        let all = try Self.fixtures()
        let iid = try ConvergenceDiagnostics(chains: XCTUnwrap(all.first { $0.name == "iid_normal" }).draws)
        let shifted = try ConvergenceDiagnostics(chains: XCTUnwrap(all.first { $0.name == "shifted_means" }).draws)
        let slow = try ConvergenceDiagnostics(chains: XCTUnwrap(all.first { $0.name == "slow_ar1" }).draws)
        XCTAssertLessThan(iid.rHat, 1.01)
        XCTAssertGreaterThan(iid.essBulk, 1000)
        XCTAssertGreaterThan(shifted.rHat, 1.2)
        XCTAssertLessThan(shifted.essBulk, 50)
        XCTAssertLessThan(slow.essBulk, 20)
    }

    /// Shapes that are not chains × draws throw; too few draws or a non-finite draw give NaN
    /// (as ArviZ) rather than a trap; constant draws give ESS = all draws and R̂ NaN (0/0).
    func testEdges() throws {
        XCTAssertThrowsError(try ConvergenceDiagnostics(draws: [1, 2, 3], chains: 2, drawsPerChain: 2))
        XCTAssertThrowsError(try ConvergenceDiagnostics(draws: [], chains: 0, drawsPerChain: 0))
        XCTAssertThrowsError(try ConvergenceDiagnostics(chains: []))
        XCTAssertThrowsError(try ConvergenceDiagnostics(chains: [[1, 2, 3, 4], [1, 2, 3]]))

        let short = try ConvergenceDiagnostics(chains: [[1, 2, 3], [2, 3, 1]])
        XCTAssertTrue(short.rHat.isNaN && short.essBulk.isNaN && short.mcseSD.isNaN)
        let withNaN = try ConvergenceDiagnostics(chains: [[1, 2, .nan, 4, 5], [2, 3, 1, 0, 1]])
        XCTAssertTrue(withNaN.rHat.isNaN && withNaN.essTail.isNaN && withNaN.mcseMean.isNaN)
        let withInfinity = try ConvergenceDiagnostics(chains: [[1, 2, .infinity, 4, 5], [2, 3, 1, 0, 1]])
        XCTAssertTrue(withInfinity.essBulk.isNaN)

        let constant = try ConvergenceDiagnostics(chains: [[Double]](repeating: [Double](repeating: 0.5, count: 20), count: 3))
        XCTAssertTrue(constant.rHat.isNaN)
        XCTAssertEqual(constant.essBulk, 60)
        XCTAssertEqual(constant.essTail, 60)
        XCTAssertEqual(constant.mcseMean, 0)
    }

    /// Average ranks with ties, as scipy.stats.rankdata(method = "average"); the type-7
    /// quantile as R / mquantiles(alphap = betap = 1).
    func testRanksAndQuantiles() {
        let ranked = RankNormalization.averageRanks([3, 1, 4, 1, 5, 9, 2, 6, 5])
        XCTAssertEqual(ranked.ranks, [4, 1.5, 5, 1.5, 6.5, 9, 3, 8, 6.5])
        XCTAssertEqual(ranked.sorted, [1, 1, 2, 3, 4, 5, 5, 6, 9])
        XCTAssertEqual(RankNormalization.averageRanks([]).ranks, [])
        let sorted: [Double] = [6, 7, 15, 36, 39, 40, 41, 42, 43, 47, 49]
        // scipy's documented sample; mquantiles(a, [0.25, 0.5, 0.75, 0.05], alphap=1, betap=1)
        // = numpy.quantile(a, …) = [25.5, 40, 42.5, 6.5].
        XCTAssertEqual(SampleMoments.quantileType7(sorted: sorted, 0.25), 25.5, accuracy: 1e-12)
        XCTAssertEqual(SampleMoments.quantileType7(sorted: sorted, 0.5), 40, accuracy: 1e-12)
        XCTAssertEqual(SampleMoments.quantileType7(sorted: sorted, 0.75), 42.5, accuracy: 1e-12)
        XCTAssertEqual(SampleMoments.quantileType7(sorted: sorted, 0.05), 6.5, accuracy: 1e-12)
        XCTAssertEqual(SampleMoments.quantileType7(sorted: [2], 0.3), 2)
    }

    /// The FFT autocovariance equals the direct sum (1/n) Σ (x_i − x̄)(x_{i+t} − x̄).
    func testAutocovarianceMatchesDirectSum() throws {
        for n in [1, 2, 5, 64, 100, 257] {
            let x = (0..<n).map { sin(Double($0) * 0.7) + 0.3 * cos(Double($0 * $0) * 0.13) }
            var acov = Autocovariance(draws: n)
            let fft = try acov(x[...])
            let mean = x.reduce(0, +) / Double(n)
            for t in 0..<n {
                var direct = 0.0
                for i in 0..<(n - t) { direct += (x[i] - mean) * (x[i + t] - mean) }
                XCTAssertEqual(fft[t], direct / Double(n), accuracy: 1e-13, "n \(n) lag \(t)")
            }
        }
    }
}
