import XCTest
@testable import Simulation
@testable import Statistics

final class LossEstimateTests: XCTestCase {
    /// Draws of 4 chains × 100 draws, d = 1, chain c's draw j = 1000·c + j; chain 2 diverged.
    static func draws() -> DiagnosticDraws {
        var values: [Double] = []
        for c in 0..<4 { for j in 0..<100 { values.append(c == 2 ? .nan : Double(1000 * c + j)) } }
        return DiagnosticDraws(chains: [0, 3, 6, 9], drawsPerChain: 100, stride: 1, values: values)
    }

    /// f = x at 64 evenly spaced draws (the last included) of the three finite chains; groups
    /// are single chains here (10 chains, 10 groups), so the standard error is the ratio
    /// estimator's over three groups, computed by hand.
    func testMeanOverEvenlySpacedDrawsOfTheFiniteChains() {
        let estimate = LossEstimate(Self.draws(), layout: ChainLayout(chains: 10), dimension: 1, threads: 2) { $0[0] }
        let picks = (0..<64).map { ($0 + 1) * 100 / 64 - 1 }
        XCTAssertEqual(picks.last, 99)
        let sums = [0, 1, 3].map { c in picks.reduce(0.0) { $0 + Double(1000 * c + $1) } }
        let mean = sums.reduce(0, +) / (3 * 64)
        XCTAssertEqual(estimate.mean, mean, accuracy: 1e-9)
        XCTAssertEqual(estimate.chains, 3)
        XCTAssertEqual(estimate.drawsPerChain, 64)
        let residuals = sums.map { ($0 - mean * 64) * ($0 - mean * 64) }.reduce(0, +)
        XCTAssertEqual(estimate.stderr, (3.0 / 2.0 * residuals).squareRoot() / (3 * 64), accuracy: 1e-9)
    }

    /// A costly f (the work budget allows 2 evaluations per draw kept) uses fewer chains,
    /// evenly spread, never fewer than two.
    func testWorkBudgetThinsTheChains() {
        let estimate = LossEstimate(Self.draws(), layout: ChainLayout(chains: 10), dimension: 1,
                                    valueCost: LossEstimate.workBudget / 64, threads: 1) { $0[0] }
        XCTAssertEqual(estimate.chains, 2)
    }

    func testNoUsableChainIsNaN() {
        let none = LossEstimate(nil, layout: ChainLayout(chains: 10), dimension: 1, threads: 1) { $0[0] }
        XCTAssertTrue(none.mean.isNaN && none.stderr.isNaN)
        let diverged = DiagnosticDraws(chains: [0], drawsPerChain: 5, stride: 1, values: [Double](repeating: .nan, count: 5))
        let all = LossEstimate(diverged, layout: ChainLayout(chains: 10), dimension: 1, threads: 1) { $0[0] }
        XCTAssertTrue(all.mean.isNaN && all.stderr.isNaN)
        XCTAssertEqual(all.chains, 0)
    }

    func testGroupOfAChainInvertsTheLayout() {
        for chains in [1, 7, 255, 256, 257, 1000, 4097] {
            let layout = ChainLayout(chains: chains)
            for g in 0..<layout.groups {
                for chain in layout.chains(ofGroup: g) { XCTAssertEqual(LossEstimate.group(of: chain, in: layout), g, "chains \(chains)") }
            }
        }
    }
}
