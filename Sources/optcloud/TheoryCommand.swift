import ArgumentParser
import Experiments
import Foundation

struct TheoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "theory",
        abstract: "Print (and with --out, write as theory.json) the analytic predictions for a config, without simulating."
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Also write the predictions to this JSON file.")
    var out: String?

    func validate() throws { try options.requireConfig() }

    func run() throws {
        let config = try options.load()
        let document = TheoryReport(config).json
        print(document.rendered(), terminator: "")
        if let out {
            do { try Data(document.rendered().utf8).write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
                throw RunFailure(message: "cannot write \(out): \(error.localizedDescription)")
            }
        }
    }
}
