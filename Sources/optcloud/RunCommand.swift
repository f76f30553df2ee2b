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

    @Option(name: .long, help: "Worker threads (default: all cores). Results are identical for any value.")
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
        let threads = self.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let (config, directory) = try prepare(threads: threads)
        do {
            let result = try simulate(config, directory: directory, threads: threads)
            do {
                try result.write(to: directory)
                try directory.commit()
            } catch {
                throw RunFailure(message: "cannot write \(directory.url.path): \(error.localizedDescription)")
            }
            report(result, directory: directory)
        } catch let interrupted as Interrupted {
            throw interrupted
        } catch {
            if resume == nil { directory.abandon() }
            throw error
        }
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

    /// Every optimizer in turn, checkpointing each replicate group as it finishes a phase.
    private func simulate(_ config: RunConfig, directory: OutputDirectory, threads: Int) throws -> RunResult {
        let showProgress = progress || (!quiet && Terminal.standardErrorIsTerminal)
        let policy = CheckpointPolicy(seconds: config.checkpointSeconds, steps: config.checkpointEvery)
        let start = Date()
        var results: [OptimizerResult] = []
        for (index, spec) in config.optimizers.enumerated() {
            let counter = RunProgress(total: config.chains * config.steps)
            let bar = showProgress ? ProgressBar(progress: counter, label: spec.label) : nil
            let checkpoint = directory.checkpoint.writer(optimizer: index, config: config, policy: policy)
            bar?.start()
            let optimizerStart = Date()
            Interruption.shared.watch(counter)
            let cloud = CloudRunner.simulate(config, optimizer: index,
                                             settings: .init(threads: threads, progress: counter, checkpoint: checkpoint,
                                                             resume: checkpoint.resume))
            Interruption.shared.watch(nil)
            checkpoint.flush()
            bar?.stop()
            if Interruption.shared.signal != 0 {
                try interrupt(config, directory: directory, finished: results, optimizer: index, threads: threads, start: start)
            }
            if let failure = checkpoint.failure {
                Terminal.warning("the checkpoint of '\(spec.label)' could not be written (\(failure)); the run goes on without it")
            }
            guard let cloud else { throw RunFailure(message: "the run was cancelled") }
            if cloud.divergedChains == cloud.chains {
                throw RunFailure(message: "every chain of optimizer '\(spec.label)' diverged (|x| > \(config.divergenceBound) or not finite); "
                                 + "the learning rate is probably above the stability limit" + stabilityHint(config, spec))
            }
            do {
                results.append(try OptimizerResult(spec: spec, cloud: cloud, config: config,
                                                   seconds: Date().timeIntervalSince(optimizerStart), threads: threads))
            } catch {
                throw RunFailure(message: "statistics of '\(spec.label)' failed: \(error)")
            }
        }
        if Interruption.shared.signal != 0 {
            try interrupt(config, directory: directory, finished: results, optimizer: config.optimizers.count - 1,
                          threads: threads, start: start)
        }
        return RunResult(config: config, threads: threads, wallSeconds: Date().timeIntervalSince(start), optimizers: results)
    }

    /// Writes the finished optimizers' results beside the checkpoint and stops with the signal.
    private func interrupt(_ config: RunConfig, directory: OutputDirectory, finished: [OptimizerResult], optimizer index: Int,
                           threads: Int, start: Date) throws -> Never {
        let signal = Interruption.shared.signal
        let note = RunResult.Interruption(signal: signal, optimizer: config.optimizers[index].label,
                                          recordedGroups: directory.checkpoint.recordedGroups(optimizer: index),
                                          groups: ChainLayout(chains: config.chains).groups)
        let partial = RunResult(config: config, threads: threads, wallSeconds: Date().timeIntervalSince(start),
                                optimizers: finished, interruption: note)
        var written = "the checkpoint"
        do {
            try partial.write(to: directory)
            try directory.publish()
            written += " and the results of \(finished.count) finished optimizer\(finished.count == 1 ? "" : "s")"
        } catch {
            Terminal.warning("the partial results could not be written: \(error.localizedDescription)")
        }
        throw Interrupted(signal: signal, message: "\(written) are in \(directory.url.path); continue with: optcloud run --resume \(directory.url.path)")
    }

    private func report(_ result: RunResult, directory: OutputDirectory) {
        guard !quiet else { return }
        print(result.summaryText, terminator: "")
        for warning in result.warnings { Terminal.warning(warning) }
        print("wrote \(directory.url.path)/")
    }

    private func stabilityHint(_ config: RunConfig, _ spec: OptimizerSpec) -> String {
        let theory = TheoryComparison(config: config, optimizer: spec).theory
        if let limit = theory?.stabilityLimit { return String(format: " (2/λmax = %.6g, lr = %.6g)", limit, spec.lr) }
        if let rho = theory?.spectralRadius, rho >= 1 { return String(format: " (spectral radius of the linear dynamics %.6g ≥ 1)", rho) }
        return ""
    }
}
