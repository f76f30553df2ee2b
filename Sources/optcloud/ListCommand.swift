import ArgumentParser
import Experiments
import Simulation

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Print the catalogue: every objective, noise model, optimizer and schedule with its parameters, defaults, ranges and meaning."
    )

    @Argument(help: "objectives, noise, optimizers or schedules (default: all).")
    var section: String?

    @Flag(name: .long, help: "Print Markdown tables (the README's catalogue is generated this way).")
    var markdown = false

    func validate() throws {
        if let section, Catalogue.Section(rawValue: section) == nil {
            throw ValidationError("unknown section '\(section)'; expected objectives, noise, optimizers or schedules")
        }
    }

    func run() throws {
        let sections = section.flatMap(Catalogue.Section.init(rawValue:)).map { [$0] } ?? Catalogue.Section.allCases
        print(sections.map { CatalogueText.render($0, markdown: markdown) }.joined(separator: "\n"), terminator: "")
    }
}
