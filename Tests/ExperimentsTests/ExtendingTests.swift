import Foundation
import XCTest
@testable import Experiments
import Simulation

/// The README's "Extending optcloud": its example is this target's Extending/HeavyBall.swift
/// word for word (so it compiles), and the one registry line makes the entry work everywhere
/// — listed, parsed with its default and range, resolved, simulated.
final class ExtendingTests: XCTestCase {
    /// The standard catalogue plus the example: what the one line in `Catalogue+Standard.swift`
    /// does for an entry that ships.
    static let catalogue = Catalogue.standard.adding(optimizers: [HeavyBall.entry])

    static let exampleFile = "Tests/ExperimentsTests/Extending/HeavyBall.swift"

    func testTheReadmeQuotesTheExampleFileVerbatim() throws {
        let readme = try String(contentsOf: CatalogueTests.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let file = try String(contentsOf: CatalogueTests.repository.appendingPathComponent(Self.exampleFile), encoding: .utf8)
        let opening = "<!-- example: \(Self.exampleFile) -->\n```swift\n"
        let start = try XCTUnwrap(readme.range(of: opening), "the README marks the example with \(opening)")
        let end = try XCTUnwrap(readme.range(of: "\n```\n", range: start.upperBound..<readme.endIndex))
        XCTAssertEqual(String(readme[start.upperBound..<end.lowerBound]) + "\n", file,
                       "the README's example must be \(Self.exampleFile), verbatim")
    }

    func testTheEntryIsListedWithItsParameters() {
        let text = CatalogueText.render(.optimizers, markdown: false, catalogue: Self.catalogue)
        XCTAssertTrue(text.contains("\n  heavy-ball: Polyak's heavy ball: v ← μv − lr·g; x ← x + v\n"), text)
        XCTAssertTrue(text.contains("    momentum      μ; default 0.9; [0, 1)\n"), text)
        XCTAssertTrue(text.contains("    weight_decay  coupled L2: g ← g + λ·x before the update; default 0; ≥ 0, scalar or one per coordinate\n"), text)
        XCTAssertFalse(CatalogueText.render(.optimizers, markdown: false).contains("heavy-ball"), "not in the standard catalogue")
    }

    static let yaml = """
        seed: 11
        objective: {type: quadratic, hessian: [[2, 0.5], [0.5, 1]], minimum: [1, -1]}
        noise: {type: gaussian, std: 0.5}
        chains: 500
        steps: 300
        burn_in: 100
        optimizers:
          - {label: torch, type: sgd, lr: 0.05, momentum: 0.9, weight_decay: [0.01, 0.02]}
          - {label: polyak, type: heavy-ball, lr: 0.05, weight_decay: [0.01, 0.02]}
        output: {samples: final}
        """

    func testTheEntryParsesWithItsDefaultRangeAndDecay() throws {
        let config = try ConfigLoader.parse(text: Self.yaml, file: "c.yaml", catalogue: Self.catalogue)
        let spec = config.optimizers[1]
        XCTAssertEqual(spec.type, "heavy-ball")
        XCTAssertEqual((spec.optimizer as? HeavyBall)?.momentum, 0.9, "the declared default")
        XCTAssertEqual(spec.decay, .coupled([0.01, 0.02]), "the weight decay the entry declares")
        XCTAssertEqual(spec.parameters.map(\.0), ["momentum", "weight_decay"])
        XCTAssertTrue(config.resolved.rendered().contains("\"type\": \"heavy-ball\""))

        let outside = Self.yaml.replacingOccurrences(of: "type: heavy-ball,", with: "type: heavy-ball, momentum: 1,")
        XCTAssertThrowsError(try ConfigLoader.parse(text: outside, file: "c.yaml", catalogue: Self.catalogue)) { error in
            XCTAssertEqual("\(error)", "c.yaml:9: optimizers.1.momentum: is '1' (expected momentum in [0, 1))")
        }
        XCTAssertThrowsError(try ConfigLoader.parse(text: Self.yaml, file: "c.yaml"), "not registered in the standard catalogue")
    }

    /// With a constant lr, v = −lr·b makes the heavy ball torch's SGD with momentum: the two
    /// recursions are the same linear map written with different roundings, so on this
    /// contracting quadratic (common random numbers: the same noise) their final iterates
    /// differ by rounding only — a few hundred ulps after 300 steps, far below 1e-10.
    func testTheEntryRunsAsTheRunnerBuildsIt() throws {
        let config = try ConfigLoader.parse(text: Self.yaml, file: "c.yaml", catalogue: Self.catalogue)
        let torch = try XCTUnwrap(CloudRunner.simulate(config, optimizer: 0, settings: .init(threads: 2)))
        let polyak = try XCTUnwrap(CloudRunner.simulate(config, optimizer: 1, settings: .init(threads: 2)))
        XCTAssertEqual(polyak.divergedChains, 0)
        let difference = zip(torch.finalIterates, polyak.finalIterates).map { Swift.abs($0 - $1) }.max()!
        XCTAssertGreaterThan(difference, 0, "two implementations, not one")
        XCTAssertLessThan(difference, 1e-10)
    }
}
