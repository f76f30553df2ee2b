import ArgumentParser
import Experiments

struct Optcloud: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optcloud",
        abstract: "Simulate the stationary distributions (clouds) of stochastic optimizers.",
        discussion: """
        A config (YAML) names an objective, a gradient-noise model and optimizers; optcloud runs many
        independent chains of each and reports where their iterates settle, against theory where it exists.
        Exit status: 0 success, 2 usage or config error, 1 any other failure.
        """,
        version: RunResult.version,
        subcommands: [RunCommand.self, SweepCommand.self, CompareCommand.self, ValidateCommand.self, TheoryCommand.self, ListCommand.self, BenchCommand.self]
    )
}
