import ArgumentParser
import Experiments

/// The config file and the options that override its values (shared by run, validate, theory).
struct ConfigOptions: ParsableArguments {
    @Argument(help: "The config file (YAML or JSON).")
    var config: String?

    @Option(name: .long, help: "Number of independent chains per optimizer (overrides `chains`).")
    var chains: Int?

    @Option(name: .long, help: "Number of updates per chain (overrides `steps`).")
    var steps: Int?

    @Option(name: .customLong("burn-in"), help: "Updates discarded before recording (overrides `burn_in`).")
    var burnIn: Int?

    @Option(name: .long, help: "Record every k-th step after burn-in (overrides `thin`).")
    var thin: Int?

    @Option(name: .long, help: "Random seed (overrides `seed`).")
    var seed: UInt64?

    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Override any config value by its dotted key, e.g. optimizers.0.lr=0.05 (repeatable).", valueName: "key=value"))
    var assignments: [String] = []

    /// --set assignments first, then the dedicated options, which win.
    var overrides: [ConfigLoader.Override] {
        var all = assignments.map { ConfigLoader.Override($0) }
        if let chains { all.append(.init("chains=\(chains)", source: "--chains")) }
        if let steps { all.append(.init("steps=\(steps)", source: "--steps")) }
        if let burnIn { all.append(.init("burn_in=\(burnIn)", source: "--burn-in")) }
        if let thin { all.append(.init("thin=\(thin)", source: "--thin")) }
        if let seed { all.append(.init("seed=\(seed)", source: "--seed")) }
        return all
    }

    /// For `validate()`: every command but `run --resume` needs the config.
    func requireConfig() throws {
        if config == nil { throw ValidationError("Missing expected argument '<config>'") }
    }

    func load() throws -> RunConfig {
        guard let config else { throw ValidationError("Missing expected argument '<config>'") }
        let loaded = try ConfigLoader.load(path: config, overrides: overrides)
        if ConfigLoader.isSweep(path: config) {
            Terminal.warning("\(config) has a sweep: block, which this command ignores (it reads the config without it); "
                             + "`optcloud sweep` runs the grid")
        }
        return loaded
    }
}
