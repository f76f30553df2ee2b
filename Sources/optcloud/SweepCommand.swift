import ArgumentParser
import Experiments
import Foundation

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a grid over hyper-parameters (the config's sweep: block): every point a run in DIR/points/<p>/.",
        discussion: """
        Writes DIR/sweep.csv (one row per point × optimizer), DIR/collapse.csv (the collapse: hypotheses), \
        DIR/sweep.svg, and with statistics.target_loss DIR/steps_to_target.csv and DIR/critical_batch_size.csv once \
        every point is complete; DIR is output/<name> unless --out. Every point is checked before \
        anything runs and uses the config's seed. Rerunning the same command continues: complete points are kept, an \
        interrupted one resumes from its checkpoint; another config is refused without --force. --shard K/N runs the \
        points with p mod N = K, so N processes (or machines sharing DIR) split a sweep; the last to finish, or \
        --collect, writes the results. --shard auto reads K and N from a Slurm job array (SLURM_ARRAY_TASK_ID, \
        _MIN, _STEP, _COUNT) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX with --shards N or OPTCLOUD_SHARDS).
        """
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Output directory (default: output/<name>).")
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Run only the points with p mod N = K; auto takes K and N from a Slurm job array or a Kubernetes Indexed Job.", valueName: "K/N|auto"))
    var shard: String?

    @Option(name: .long, help: ArgumentHelp("With --shard auto in a Kubernetes Indexed Job: the number of shards (its completions; or OPTCLOUD_SHARDS).", valueName: "N"))
    var shards: Int?

    @Flag(name: .long, help: "Write sweep.csv, collapse.csv and sweep.svg from the complete points without simulating.")
    var collect = false

    @Flag(name: .long, help: "Start again: simulate this process's points anew, also when DIR holds a sweep of another config.")
    var force = false

    @Option(name: .long, help: "Worker threads (default: the CPUs this process may run on, e.g. under taskset or Slurm). Results are identical for any value.")
    var threads: Int?

    @Flag(name: .long, help: "Print nothing on success.")
    var quiet = false

    @Flag(name: .long, help: "Show the progress bar even when standard error is not a terminal.")
    var progress = false

    func validate() throws {
        try options.requireConfig()
        if let threads, threads < 1 || threads > 1024 {
            throw ValidationError("--threads must be between 1 and 1024, got \(threads)")
        }
        if collect, shard != nil { throw ValidationError("--collect reads every point: leave out --shard") }
        if shards != nil, shard == nil { throw ValidationError("--shards goes with --shard auto") }
        if collect, force { throw ValidationError("--collect does not simulate: --force cannot be combined with it") }
    }

    func run() throws {
        let threads = self.threads ?? AvailableCPUs.count
        let selection = try shard.map {
            try ShardSelection.parse($0, shards: shards, environment: ProcessInfo.processInfo.environment)
        } ?? .all
        let path = options.config ?? ""
        let sweep = try SweepConfig.load(path: path, overrides: options.overrides, threads: threads)
        let outPath = out ?? "output/\(sweep.name)"
        if collect {
            let directory = try SweepDirectory.existing(path: outPath, sweep: sweep)
            let collection = try SweepCollection(sweep: sweep, directory: directory)
            guard collection.isComplete else {
                throw RunFailure(message: "\(collection.missing.count) of \(sweep.pointCount) points are not complete "
                                 + "(\(Self.list(collection.missing))); run the sweep (or the shards that own them) first")
            }
            do { try collection.write(to: directory) } catch {
                throw RunFailure(message: "cannot write \(directory.url.path): \(error.localizedDescription)")
            }
            if !quiet { report(collection, directory: directory) }
            return
        }
        let directory = try SweepDirectory.open(path: outPath, sweep: sweep, force: force)
        let display = ProgressDisplay(enabled: progress || (!quiet && Terminal.standardErrorIsTerminal))
        let lines = PointLines(quiet: quiet, display: display)
        let session = SweepSession(sweep: sweep, directory: directory, shard: selection, threads: threads, restart: force,
                                   observer: lines, runObserver: display)
        let outcome: SweepSession.Outcome
        do {
            outcome = try session.run()
        } catch let interrupted as RunInterrupted {
            throw RunInterrupted(signal: interrupted.signal,
                                 message: "\(interrupted.message); rerun the same command to continue the sweep in \(directory.url.path)")
        }
        guard !quiet else { return }
        if let collection = outcome.collection {
            report(collection, directory: directory)
        } else {
            print("\(sweep.pointCount - outcome.missing.count) of \(sweep.pointCount) points complete in \(directory.url.path)/; "
                  + "sweep.csv is written once all are (the last shard to finish writes it, or `optcloud sweep … --collect`)")
        }
    }

    private func report(_ collection: SweepCollection, directory: SweepDirectory) {
        for hypothesis in collection.sweep.collapse {
            for label in Set(collection.rows.map(\.optimizer)).sorted() {
                let verdict = collection.verdict(hypothesis, optimizer: label)
                let z = verdict.maxAbsZ.map { String(format: "%.3g", $0) } ?? "-"
                print("collapse \(hypothesis.metric) by \(hypothesis.by) for '\(label)': \(verdict.collapses ? "yes" : "no") "
                      + "(\(verdict.pairs) pairs in \(verdict.groups) groups, max |z| = \(z))")
            }
        }
        if collection.hasTarget {
            let key = collection.sweep.axes[0].keys[0]
            for frontier in collection.frontiers {
                let simulated = frontier.simulatedCritical, theory = frontier.theoryCritical
                func text(_ c: (value: Double?, note: String)) -> String { c.value.map { String(format: "%.3g", $0) } ?? "none (\(c.note))" }
                print("critical \(key) for '\(frontier.optimizer)': \(text(simulated))"
                      + (frontier.theory.isEmpty ? "" : ", theory \(text(theory))"))
            }
        }
        let names = ["sweep.csv"] + (collection.sweep.collapse.isEmpty ? [] : ["collapse.csv"]) + ["sweep.svg"]
            + (collection.hasTarget ? ["steps_to_target.csv", "critical_batch_size.csv"] : [])
        print("wrote " + names.map { "\(directory.url.path)/\($0)" }.joined(separator: ", "))
    }

    /// "3, 5, 7" (the first ten, then "…").
    static func list(_ points: [Int]) -> String {
        points.prefix(10).map(String.init).joined(separator: ", ") + (points.count > 10 ? ", …" : "")
    }
}
