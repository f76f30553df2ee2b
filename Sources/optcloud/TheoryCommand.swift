import ArgumentParser
import Experiments
import Foundation

struct TheoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "theory",
        abstract: "Print the analytic predictions for a config as a table (--json: as JSON; --out: also write the JSON to a file), without simulating."
    )

    @OptionGroup var options: ConfigOptions

    @Flag(name: .long, help: "Print the predictions as JSON (the format of --out and of a run's theory.json).")
    var json = false

    @Option(name: .long, help: "Also write the predictions to this JSON file.")
    var out: String?

    func validate() throws { try options.requireConfig() }

    func run() throws {
        let config = try options.load()
        let report = TheoryReport(config)
        let document = report.json
        print(json ? document.rendered() : report.text, terminator: "")
        if let out {
            do { try Data(document.rendered().utf8).write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
                throw RunFailure(message: "cannot write \(out): \(error.localizedDescription)")
            }
        }
    }
}
