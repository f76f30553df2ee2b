import ArgumentParser
import Experiments
import Foundation
import Simulation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every optimizer of a config and write the output directory.",
        discussion: "Writes summary.json, moments.csv, covariance.csv, histograms.csv, histograms2d.csv, theory.json, samples_<label>.npy, cloud.svg and marginals.svg into output/<name>/ (or --out), atomically."
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Worker threads (default: all cores). Results are identical for any value.")
    var threads: Int?

    @Option(name: .long, help: "Output directory (default: output/<name>).")
    var out: String?

    @Flag(name: .long, help: "Replace an existing output directory.")
    var force = false

    @Flag(name: .long, help: "Print nothing on success.")
    var quiet = false

    @Flag(name: .long, help: "Show the progress bar even when standard error is not a terminal.")
    var progress = false

    func validate() throws {
        if let threads, threads < 1 || threads > 1024 {
            throw ValidationError("--threads must be between 1 and 1024, got \(threads)")
        }
    }

    func run() throws {
        let config = try options.load()
        let threads = self.threads ?? ProcessInfo.processInfo.activeProcessorCount
        try ResourceEstimate(config, threads: threads).checkAvailable(configFile: options.config)
        let directory = try OutputDirectory(path: out ?? "output/\(config.name)", force: force)
        let showProgress = progress || (!quiet && Terminal.standardErrorIsTerminal)
        let start = Date()
        var results: [OptimizerResult] = []
        for (index, spec) in config.optimizers.enumerated() {
            let counter = RunProgress(total: config.chains * config.steps)
            let bar = showProgress ? ProgressBar(progress: counter, label: spec.label) : nil
            bar?.start()
            let optimizerStart = Date()
            Interruption.shared.watch(counter)
            let cloud = CloudRunner.simulate(config, optimizer: index, settings: .init(threads: threads, progress: counter))
            Interruption.shared.watch(nil)
            bar?.stop()
            if Interruption.shared.signal != 0 { throw Interrupted(signal: Interruption.shared.signal) }
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
        if Interruption.shared.signal != 0 { throw Interrupted(signal: Interruption.shared.signal) }
        let result = RunResult(config: config, threads: threads, wallSeconds: Date().timeIntervalSince(start), optimizers: results)
        do {
            try result.write(to: directory)
            try directory.commit()
        } catch {
            throw RunFailure(message: "cannot write \(directory.url.path): \(error.localizedDescription)")
        }
        if !quiet {
            print(result.summaryText, terminator: "")
            for r in results where r.cloud.divergedChains > 0 {
                Terminal.warning("\(r.cloud.divergedChains) of \(r.cloud.chains) chains of '\(r.spec.label)' diverged and are excluded")
            }
            for r in results {
                for (k, f) in r.estimate.outsideFraction.enumerated() where f > 0.001 {
                    Terminal.warning("'\(r.spec.label)': \(String(format: "%.2g", f * 100))% of x[\(k)] fell outside the histogram range; set statistics.histogram.range")
                }
            }
            for warning in result.warnings { Terminal.warning(warning) }
            print("wrote \(directory.url.path)/")
        }
    }

    private func stabilityHint(_ config: RunConfig, _ spec: OptimizerSpec) -> String {
        let theory = TheoryComparison(config: config, optimizer: spec).theory
        if let limit = theory?.stabilityLimit { return String(format: " (2/λmax = %.6g, lr = %.6g)", limit, spec.lr) }
        if let rho = theory?.spectralRadius, rho >= 1 { return String(format: " (spectral radius of the linear dynamics %.6g ≥ 1)", rho) }
        return ""
    }
}
