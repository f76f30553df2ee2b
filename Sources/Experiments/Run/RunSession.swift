import Foundation
import Simulation

/// Runs a config into an output directory: every optimizer in turn, with progress, a
/// checkpoint of every replicate group as it finishes a phase, and interruption; then writes
/// every output file and commits the directory. `optcloud run` and every point of
/// `optcloud sweep` are one session each; tests call it directly.
///
/// A directory made by `OutputDirectory.resume` continues from its checkpoint, and the
/// result is bit-identical to an uninterrupted run's. An optimizer whose every chain
/// diverged is a result (its statistics are NaN, written as null), not a failure; the caller
/// decides what `RunResult.everyOptimizerDiverged` means for it.
public final class RunSession {
    public let config: RunConfig
    public let directory: OutputDirectory
    /// Worker threads; the results do not depend on them.
    public let threads: Int
    public let observer: (any RunObserver)?
    public let stop: RunStop

    public init(config: RunConfig, directory: OutputDirectory, threads: Int, observer: (any RunObserver)? = nil,
                stop: RunStop = .shared) {
        self.config = config
        self.directory = directory
        self.threads = Swift.max(1, threads)
        self.observer = observer
        self.stop = stop
    }

    /// Simulates, writes and commits.
    ///
    /// - Throws: `RunInterrupted` after a stop request, once the checkpoint and the finished
    ///   optimizers' results (summary.json `"complete": false`) are written; `RunFailure`
    ///   when the simulation or the files fail (what this session wrote is removed, an
    ///   earlier checkpoint kept).
    public func run() throws -> RunResult {
        do {
            let result = try simulate()
            do {
                try result.write(to: directory)
                try directory.commit()
            } catch {
                throw RunFailure(message: "cannot write \(directory.url.path): \(error.localizedDescription)")
            }
            return result
        } catch let interrupted as RunInterrupted {
            throw interrupted
        } catch {
            directory.abandon()
            throw error
        }
    }

    /// Every optimizer in turn, checkpointing each replicate group as it finishes a phase.
    private func simulate() throws -> RunResult {
        let policy = CheckpointPolicy(seconds: config.checkpointSeconds, steps: config.checkpointEvery)
        let start = Date()
        var results: [OptimizerResult] = []
        for (index, spec) in config.optimizers.enumerated() {
            if stop.signal != 0 { try interrupt(finished: results, optimizer: index, start: start) }
            let counter = RunProgress(total: config.chains * config.steps)
            let checkpoint = directory.checkpoint.writer(optimizer: index, config: config, policy: policy)
            observer?.optimizerStarted(index, label: spec.label, progress: counter)
            let optimizerStart = Date()
            stop.watch(counter)
            let cloud = CloudRunner.simulate(config, optimizer: index,
                                             settings: .init(threads: threads, progress: counter, checkpoint: checkpoint,
                                                             resume: checkpoint.resume))
            stop.watch(nil)
            observer?.optimizerFinished(index)
            if stop.signal != 0 {
                checkpoint.flush()
                try interrupt(finished: results, optimizer: index, start: start)
            }
            guard let cloud else {
                checkpoint.flush()
                throw RunFailure(message: "the simulation of '\(spec.label)' was cancelled")
            }
            // The statistics are computed while the checkpoint's last snapshots are written.
            let result: OptimizerResult
            do {
                result = try OptimizerResult(spec: spec, cloud: cloud, config: config,
                                             seconds: Date().timeIntervalSince(optimizerStart), threads: threads)
            } catch {
                checkpoint.flush()
                throw RunFailure(message: "statistics of '\(spec.label)' failed: \(error)")
            }
            checkpoint.flush()
            if let failure = checkpoint.failure {
                observer?.warning("the checkpoint of '\(spec.label)' could not be written (\(failure)); the run goes on without it")
            }
            results.append(result)
        }
        return RunResult(config: config, threads: threads, wallSeconds: Date().timeIntervalSince(start), optimizers: results)
    }

    /// Writes the finished optimizers' results beside the checkpoint and stops with the signal.
    private func interrupt(finished: [OptimizerResult], optimizer index: Int, start: Date) throws -> Never {
        let signal = stop.signal
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
            observer?.warning("the partial results could not be written: \(error.localizedDescription)")
        }
        throw RunInterrupted(signal: signal, message: "\(written) are in \(directory.url.path)")
    }
}
