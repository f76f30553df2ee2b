import ArgumentParser
import Experiments
import Foundation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a config without running it; print the resolved config and the estimated memory and time."
    )

    @OptionGroup var options: ConfigOptions

    func validate() throws { try options.requireConfig() }

    func run() throws {
        let config = try options.load()
        print(config.resolved.rendered(), terminator: "")
        let estimate = ResourceEstimate(config)
        print("estimated memory: \(estimate.memoryDescription)")
        print("estimated time: \(estimate.timeDescription) on \(ProcessInfo.processInfo.activeProcessorCount) cores (release build)")
    }
}
