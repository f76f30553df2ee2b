import Dispatch
import Foundation
import Simulation
import Synchronization

/// The checkpoint of a run in DIR/checkpoint/: `run.json` (the `RunManifest`) and one file
/// per optimizer, phase and replicate group, `opt<i>-<phase>-<group>.snap`
/// (`SnapshotFile`). Every file is written under a temporary name and renamed, so a kill at
/// any moment leaves whole files only; a damaged one is skipped and its group simulated again.
public final class CheckpointStore: Sendable {
    public let directory: URL

    static let manifestName = "run.json"

    init(directory: URL) { self.directory = directory }

    /// Creates the directory with its manifest.
    static func create(at directory: URL, manifest: RunManifest) throws -> CheckpointStore {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = CheckpointStore(directory: directory)
        try store.writeAtomically(manifestName, Data(manifest.json.rendered().utf8))
        return store
    }

    /// The store and manifest of an existing checkpoint; nil when there is none.
    static func open(at directory: URL) -> (CheckpointStore, RunManifest)? {
        guard let manifest = RunManifest.read(directory.appendingPathComponent(manifestName)) else { return nil }
        return (CheckpointStore(directory: directory), manifest)
    }

    static func fileName(optimizer: Int, phase: GroupSnapshot.Phase, group: Int) -> String {
        "opt\(optimizer)-\(phase == .burnIn ? "burnin" : "recording")-\(group).snap"
    }

    func writeAtomically(_ name: String, _ data: Data) throws {
        let target = directory.appendingPathComponent(name)
        let temporary = directory.appendingPathComponent(".\(name).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        try data.write(to: temporary)
        if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
        try FileManager.default.moveItem(at: temporary, to: target)
    }

    func write(_ snapshot: GroupSnapshot, optimizer: Int) throws {
        try writeAtomically(Self.fileName(optimizer: optimizer, phase: snapshot.phase, group: snapshot.group),
                            SnapshotFile.encode(snapshot))
    }

    /// Every readable snapshot of optimizer `index` (damaged or foreign files are skipped).
    func resume(optimizer index: Int, plan: HistogramPlan, dimension: Int) -> SimulationResume {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var resume = SimulationResume()
        for name in names.sorted() where name.hasPrefix("opt\(index)-") && name.hasSuffix(".snap") {
            guard let data = try? Data(contentsOf: directory.appendingPathComponent(name)),
                  let snapshot = try? SnapshotFile.decode(data, plan: plan, dimension: dimension),
                  name == Self.fileName(optimizer: index, phase: snapshot.phase, group: snapshot.group)
            else { continue }
            if snapshot.phase == .burnIn { resume.burnIn.append(snapshot) } else { resume.recording.append(snapshot) }
        }
        return resume
    }

    /// The checkpoint sink of optimizer `index`, holding what an earlier, interrupted run left.
    public func writer(optimizer index: Int, config: RunConfig, policy: CheckpointPolicy) -> CheckpointWriter {
        CheckpointWriter(store: self, optimizer: index, policy: policy, config: config,
                         resume: resume(optimizer: index, plan: config.histogram, dimension: config.dimension))
    }

    /// How many groups of optimizer `index` have finished recording, as the files say.
    public func recordedGroups(optimizer index: Int) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix("opt\(index)-recording-") && $0.hasSuffix(".snap") }.count
    }
}

/// When pending snapshots go to disk: once `seconds` have passed since the last write, or
/// the pending groups hold at least `steps` steps of the whole ensemble (steps·chains
/// chain·steps), and always when a phase is complete, when the optimizer finishes and when
/// the run is interrupted.
public struct CheckpointPolicy: Sendable, Equatable {
    public var seconds: Double
    public var steps: Int?

    public init(seconds: Double, steps: Int?) {
        self.seconds = seconds
        self.steps = steps
    }
}

/// The engine's checkpoint sink for one optimizer: keeps snapshots until the policy says to
/// write them, and holds the snapshots an interrupted run left (`resume`). Thread-safe:
/// snapshots arrive from the worker threads.
public final class CheckpointWriter: SimulationCheckpoint {
    private struct State {
        var pending: [GroupSnapshot] = []
        var pendingWork = 0.0
        var lastWrite = ContinuousClock.now
        var received = [0, 0]
        var failure: String?
    }

    let store: CheckpointStore
    let optimizer: Int
    let policy: CheckpointPolicy
    let config: RunConfig
    /// What the interrupted run left for this optimizer (empty for a new run).
    public let resume: SimulationResume
    private let state = Mutex(State())
    /// Writes files one at a time, in arrival order.
    private let queue = DispatchQueue(label: "optcloud.checkpoint")

    init(store: CheckpointStore, optimizer: Int, policy: CheckpointPolicy, config: RunConfig, resume: SimulationResume) {
        self.store = store
        self.optimizer = optimizer
        self.policy = policy
        self.config = config
        self.resume = resume
        state.withLock { s in s.received = [resume.burnIn.count, resume.recording.count] }
    }

    var groups: Int { ChainLayout(chains: config.chains).groups }

    public func completed(_ snapshot: GroupSnapshot) {
        let (due, phaseEnd) = state.withLock { s -> (Bool, Bool) in
            s.pending.append(snapshot)
            let steps = snapshot.phase == .burnIn ? config.burnIn : config.steps - config.burnIn
            s.pendingWork += Double(snapshot.chains.count) * Double(steps)
            s.received[snapshot.phase.rawValue] += 1
            if s.received[snapshot.phase.rawValue] >= groups { return (true, true) }
            if let every = policy.steps, s.pendingWork >= Double(every) * Double(config.chains) { return (true, false) }
            return (ContinuousClock.now - s.lastWrite >= .seconds(policy.seconds), false)
        }
        // Within a phase the worker waits for its snapshots (a checkpoint is only worth taking
        // if it is on disk before the run goes on); the bulk written when a phase ends goes on
        // beside the next phase, or beside the statistics, until `flush` — except under the
        // test stop hook, whose stop must land in the group after the N-th snapshot.
        if phaseEnd && SnapshotStop.request == nil {
            queue.async { self.writePending() }
        } else if due {
            queue.sync { writePending() }
        }
    }

    /// Writes every pending snapshot and returns once all are on disk.
    public func flush() {
        queue.sync { writePending() }
    }

    /// A write error is kept (see `failure`) and the run goes on: a checkpoint is insurance,
    /// not a result.
    private func writePending() {
        let batch = state.withLock { s -> [GroupSnapshot] in
            defer { s.pending = []; s.pendingWork = 0; s.lastWrite = .now }
            return s.pending
        }
        for snapshot in batch {
            do {
                try store.write(snapshot, optimizer: optimizer)
                SnapshotStop.snapshotWritten()
            } catch {
                state.withLock { $0.failure = $0.failure ?? error.localizedDescription }
            }
        }
    }

    /// The first write error, if any.
    public var failure: String? { state.withLock { $0.failure } }
}
