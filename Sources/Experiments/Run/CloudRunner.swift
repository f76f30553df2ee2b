import Simulation

/// Turns a validated config into simulators and runs them.
public enum CloudRunner {
    /// Options of `run` that change how, not what, is simulated.
    public struct Settings: Sendable {
        public var threads: Int
        public var progress: RunProgress?
        /// Receives every replicate group's snapshot as it finishes a phase.
        public var checkpoint: (any SimulationCheckpoint)?
        /// Snapshots of an interrupted run of the same config and optimizer.
        public var resume: SimulationResume?
        public init(threads: Int, progress: RunProgress? = nil, checkpoint: (any SimulationCheckpoint)? = nil,
                    resume: SimulationResume? = nil) {
            self.threads = threads
            self.progress = progress
            self.checkpoint = checkpoint
            self.resume = resume
        }
    }

    /// The random streams of optimizer `index`: shared by all optimizers with common random
    /// numbers, so that their differences are not Monte Carlo noise; separate otherwise.
    public static func normals(_ config: RunConfig, optimizer index: Int) -> NormalStream {
        let seed = config.commonRandomNumbers ? config.seed : config.seed &+ UInt64(index + 1) &* 0xD1B5_4A32_D192_ED03
        return NormalStream(generator: Philox4x32(seed: seed))
    }

    public static func plan(_ config: RunConfig, optimizer index: Int) -> SimulationPlan {
        SimulationPlan(
            chains: config.chains, recording: config.recording, initial: config.initial,
            divergenceBound: config.divergenceBound, histograms: config.histogram, samples: config.samples,
            traceChains: config.traceChains,
            observation: ObservationChoice.plan(config, optimizer: config.optimizers[index])
        )
    }

    /// Simulates optimizer `index` of the config; nil when cancelled.
    public static func simulate(_ config: RunConfig, optimizer index: Int, settings: Settings) -> CloudAccumulation? {
        simulator(config, optimizer: index)
            .run(threads: settings.threads, progress: settings.progress, checkpoint: settings.checkpoint, resume: settings.resume)
    }

    /// The simulator of optimizer `index`: the config's objective, noise and rule as their
    /// catalogue entries built them, with the optimizer's weight decay, schedule and clipping.
    public static func simulator(_ config: RunConfig, optimizer index: Int) -> Simulator {
        let spec = config.optimizers[index]
        return Simulator(objective: config.objective.objective, noise: config.noise.noise, optimizer: spec.optimizer,
                         weightDecay: spec.decay, schedule: spec.schedule.make(baseLR: spec.lr), clip: spec.clip,
                         clipStage: spec.clipStage, normals: normals(config, optimizer: index), plan: plan(config, optimizer: index))
    }
}
