import Foundation
import XCTest
@testable import Experiments

final class CatalogueTests: XCTestCase {
    /// The README's catalogue is `optcloud list --markdown`, kept in sync.
    func testReadmeCatalogueIsGeneratedFromTheCatalogue() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let begin = try XCTUnwrap(text.range(of: "<!-- catalogue:begin -->\n")), end = try XCTUnwrap(text.range(of: "<!-- catalogue:end -->"))
        let generated = Catalogue.Section.allCases.map { CatalogueText.render($0, markdown: true) }.joined(separator: "\n")
        XCTAssertEqual(String(text[begin.upperBound..<end.lowerBound]), generated,
                       "regenerate with: optcloud list --markdown, between the catalogue markers of README.md")
    }

    /// Every catalogue name parses (with its required parameters), and every name the
    /// parser accepts is in the catalogue.
    func testEveryOptimizerAndScheduleInTheCatalogueParses() throws {
        let required: [String: String] = ["cosine": ", T_max: 10", "cosine-warm-restarts": ", T_0: 5", "step": ", step_size: 3",
                                          "multistep": ", milestones: [2, 4]", "exponential": ", gamma: 0.9",
                                          "sequential": ", schedules: [{type: constant}, {type: exponential, gamma: 0.5}], milestones: [3]"]
        for entry in Catalogue.optimizers {
            for schedule in Catalogue.schedules {
                let text = """
                    objective: {type: quadratic, diagonal: [1.0, 2.0]}
                    optimizers: [{type: \(entry.name), lr: 0.01, schedule: {type: \(schedule.name)\(required[schedule.name] ?? "")}}]
                    """
                let config = try ConfigLoader.parse(text: text, file: "c.yaml")
                XCTAssertEqual(config.optimizers[0].type, entry.name)
                XCTAssertEqual(config.optimizers[0].schedule.type, schedule.name)
            }
        }
        XCTAssertEqual(Set(RunConfig.optimizerTypes), Set(Catalogue.optimizers.map(\.name)))
        XCTAssertEqual(Set(RunConfig.scheduleTypes), Set(Catalogue.schedules.map(\.name)))
    }
}
