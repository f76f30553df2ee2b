import Foundation

/// Watches a `SweepSession`: called on its thread as each point starts, is kept (already
/// complete) or finishes.
public protocol SweepObserver: AnyObject {
    func pointStarted(_ point: Int, of count: Int, description: String)
    func pointKept(_ point: Int, of count: Int, description: String)
    func pointFinished(_ point: Int, of count: Int, result: RunResult, seconds: Double)
}

/// Runs the points of a sweep (those of this process's shard), each a complete run in
/// DIR/points/<p>/ (`RunSession`), then collects sweep.csv, collapse.csv and sweep.svg when
/// every point is complete.
///
/// Rerunning continues: a complete point is kept, an interrupted one resumes from its
/// checkpoint (with `restart`, both are simulated again). Points are independent, so shards
/// sharing DIR need no coordination; the last to finish writes the collection.
public final class SweepSession {
    public let sweep: SweepConfig
    public let directory: SweepDirectory
    public let shard: ShardSelection
    public let threads: Int
    public let restart: Bool
    public let observer: (any SweepObserver)?
    public let runObserver: (any RunObserver)?
    public let stop: RunStop

    /// What a session did.
    public struct Outcome {
        public let simulated: [Int]
        public let kept: [Int]
        /// The points not complete after it (other shards' or failed ones).
        public let missing: [Int]
        /// Written when every point is complete.
        public let collection: SweepCollection?
    }

    public init(sweep: SweepConfig, directory: SweepDirectory, shard: ShardSelection = .all, threads: Int, restart: Bool = false,
                observer: (any SweepObserver)? = nil, runObserver: (any RunObserver)? = nil, stop: RunStop = .shared) {
        self.sweep = sweep
        self.directory = directory
        self.shard = shard
        self.threads = threads
        self.restart = restart
        self.observer = observer
        self.runObserver = runObserver
        self.stop = stop
    }

    /// - Throws: `RunInterrupted` (the point's checkpoint and partial results are kept; a
    ///   rerun continues), `RunFailure`, `ConfigError` (a point that does not fit in memory).
    public func run() throws -> Outcome {
        let n = sweep.pointCount
        var simulated: [Int] = [], kept: [Int] = []
        for p in 0..<n where shard.contains(p) {
            let config = try sweep.config(point: p)
            let description = sweep.describe(point: p)
            if !restart, directory.completeSummary(point: p, config: config) != nil {
                kept.append(p)
                observer?.pointKept(p, of: n, description: description)
                continue
            }
            if stop.signal != 0 { throw RunInterrupted(signal: stop.signal, message: "the sweep stopped before point \(p)") }
            try ResourceEstimate(config, threads: threads).checkAvailable(configFile: "\(sweep.file): sweep point \(p)")
            let manifest = RunManifest(configPath: sweep.file, overrides: sweep.overrides(point: p), config: config)
            let output = try directory.prepare(point: p, config: config, manifest: manifest, restart: restart)
            observer?.pointStarted(p, of: n, description: description)
            let start = Date()
            let result: RunResult
            do {
                result = try RunSession(config: config, directory: output, threads: threads, observer: runObserver, stop: stop).run()
            } catch let interrupted as RunInterrupted {
                throw RunInterrupted(signal: interrupted.signal, message: "sweep point \(p) (\(description)) stopped: \(interrupted.message)")
            }
            simulated.append(p)
            observer?.pointFinished(p, of: n, result: result, seconds: Date().timeIntervalSince(start))
        }
        let collection = try SweepCollection(sweep: sweep, directory: directory)
        if collection.isComplete {
            do { try collection.write(to: directory) } catch {
                throw RunFailure(message: "cannot write \(directory.url.path): \(error.localizedDescription)")
            }
        }
        return Outcome(simulated: simulated, kept: kept, missing: collection.missing, collection: collection.isComplete ? collection : nil)
    }
}
