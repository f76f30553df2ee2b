import ArgumentParser
import Experiments
import Foundation
import Simulation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every optimizer of a config and write the output directory.",
        discussion: """
        Writes summary.json, moments.csv, covariance.csv, histograms.csv, histograms2d.csv, diagnostics.csv, \
        timeseries.csv, basins.csv (multi-basin objectives), theory.json, trace.csv (trace_chains > 0), \
        samples_<label>.npy, cloud.svg, marginals.svg and timeseries.svg into output/<name>/ (or --out), \
        each file atomically. \
        While it runs, the directory holds a checkpoint (checkpoint/); after an interruption (SIGINT, SIGTERM, \
        or a kill) `optcloud run --resume DIR` continues from it, with results identical to an uninterrupted run.
        """
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Worker threads (default: the CPUs this process may run on, e.g. under taskset or Slurm). Results are identical for any value.")
    var threads: Int?

    @Option(name: .long, help: "Output directory (default: output/<name>).")
    var out: String?

    @Flag(name: .long, help: "Replace an existing output directory.")
    var force = false

    @Option(name: .long, help: ArgumentHelp("Continue the interrupted run in DIR from its checkpoint (CONFIG and its options are then optional, and must be those of the run).", valueName: "DIR"))
    var resume: String?

    @Flag(name: .long, help: "Print nothing on success.")
    var quiet = false

    @Flag(name: .long, help: "Show the progress bar even when standard error is not a terminal.")
    var progress = false

    func validate() throws {
        if let threads, threads < 1 || threads > 1024 {
            throw ValidationError("--threads must be between 1 and 1024, got \(threads)")
        }
        if resume != nil {
            if out != nil { throw ValidationError("--resume DIR writes into DIR: leave out --out") }
            if force { throw ValidationError("--resume continues a run: --force cannot be combined with it") }
        } else {
            try options.requireConfig()
        }
    }

    func run() throws {
        let threads = self.threads ?? AvailableCPUs.count
        let (config, directory) = try prepare(threads: threads)
        let display = ProgressDisplay(enabled: progress || (!quiet && Terminal.standardErrorIsTerminal))
        let result: RunResult
        do {
            result = try RunSession(config: config, directory: directory, threads: threads, observer: display).run()
        } catch let interrupted as RunInterrupted {
            throw RunInterrupted(signal: interrupted.signal,
                                 message: "\(interrupted.message); continue with: optcloud run --resume \(directory.url.path)")
        }
        if result.everyOptimizerDiverged {
            let optimizers = result.optimizers.map { "'\($0.spec.label)'\($0.theory.stabilityHint)" }.joined(separator: ", ")
            throw RunFailure(message: "every chain of every optimizer diverged (\(optimizers)); the learning rates are probably above "
                             + "the stability limits; the results are in \(directory.url.path)/")
        }
        guard !quiet else { return }
        print(result.summaryText, terminator: "")
        for warning in result.warnings { Terminal.warning(warning) }
        print("wrote \(directory.url.path)/")
    }

    /// The config and the output directory: a new one, or the interrupted run's.
    private func prepare(threads: Int) throws -> (RunConfig, OutputDirectory) {
        guard let resume else {
            let config = try options.load()
            let path = options.config ?? ""
            try ResourceEstimate(config, threads: threads).checkAvailable(configFile: path)
            let manifest = RunManifest(configPath: path, overrides: options.overrides, config: config)
            return (config, try OutputDirectory.create(path: out ?? "output/\(config.name)", force: force, manifest: manifest))
        }
        let directory = try OutputDirectory.resume(path: resume)
        let manifest = directory.manifest
        let config: RunConfig
        if options.config != nil {
            config = try options.load()
        } else {
            guard options.overrides.isEmpty else {
                throw ValidationError("options that change the config need the CONFIG they apply to")
            }
            config = try ConfigLoader.load(path: manifest.configPath, overrides: manifest.overrides)
        }
        guard RunManifest.fingerprint(config) == manifest.fingerprint else {
            throw ConfigError(file: resume, line: nil, key: "--resume",
                              problem: "was checkpointed from another config or other options (\(manifest.configPath))",
                              expected: "the config and options of the interrupted run, or a new run with --force")
        }
        try ResourceEstimate(config, threads: threads).checkAvailable(configFile: options.config ?? manifest.configPath)
        return (config, directory)
    }
}
