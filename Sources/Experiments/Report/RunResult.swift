import Foundation
import Simulation
import Statistics

/// The outcome of one optimizer: its cloud, the statistics and the theory comparison.
public struct OptimizerResult: Sendable {
    public let spec: OptimizerSpec
    public let cloud: CloudAccumulation
    public let estimate: CloudEstimate
    public let theory: TheoryComparison
    /// The exact transient theory, where it applies.
    public let transient: TransientComparison
    /// The mean loss after every update (present with `statistics.target_loss`).
    public let lossPath: LossPath?
    public let report: CloudReport
    public let seconds: Double

    /// - Parameter threads: for the report's statistics (`CloudReport`); the results do not
    ///   depend on it. Default: all cores.
    public init(spec: OptimizerSpec, cloud: CloudAccumulation, config: RunConfig, seconds: Double,
                threads: Int = AvailableCPUs.count) throws {
        self.spec = spec
        self.cloud = cloud
        self.estimate = try CloudEstimate(cloud)
        self.theory = TheoryComparison(config: config, optimizer: spec)
        self.transient = TransientComparison(config: config, optimizer: spec)
        self.lossPath = LossPath(cloud)
        self.report = CloudReport(config: config, optimizer: spec, cloud: cloud, estimate: self.estimate, threads: threads)
        self.seconds = seconds
    }
}

/// A finished run: everything the output files are made of.
public struct RunResult: Sendable {
    public static let version = "0.2.0"

    public let config: RunConfig
    public let threads: Int
    public let wallSeconds: Double
    public let optimizers: [OptimizerResult]
    /// Set for the partial results of an interrupted run: `optimizers` are the ones finished.
    public let interruption: Interruption?

    /// Where a run stopped: the signal, the optimizer it was simulating and how many of its
    /// replicate groups had finished recording (their state is in the checkpoint).
    public struct Interruption: Sendable {
        public let signal: Int32
        public let optimizer: String
        public let recordedGroups: Int
        public let groups: Int
        public init(signal: Int32, optimizer: String, recordedGroups: Int, groups: Int) {
            (self.signal, self.optimizer, self.recordedGroups, self.groups) = (signal, optimizer, recordedGroups, groups)
        }
    }

    /// Whether every chain of every optimizer diverged: the run has no cloud at all (`run`
    /// exits 1). A run with at least one cloud is a result, whatever diverged beside it.
    public var everyOptimizerDiverged: Bool {
        !optimizers.isEmpty && optimizers.allSatisfy { $0.cloud.divergedChains == $0.cloud.chains }
    }

    public init(config: RunConfig, threads: Int, wallSeconds: Double, optimizers: [OptimizerResult],
                interruption: Interruption? = nil) {
        self.config = config
        self.threads = threads
        self.wallSeconds = wallSeconds
        self.optimizers = optimizers
        self.interruption = interruption
    }
}
