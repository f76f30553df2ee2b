import Simulation

/// Turns a validated config into concrete, fully specialised simulators and runs them.
///
/// The switches below are the only place where catalogue entries meet the engine: each
/// resolves one choice (objective, noise, optimizer) to a concrete type before the next, so
/// `Simulator<O, N, P>` is compiled for every combination and its hot loop never dispatches
/// dynamically. A new catalogue entry adds one case here.
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
        let job = Job(config: config, spec: config.optimizers[index], normals: normals(config, optimizer: index),
                      plan: plan(config, optimizer: index), settings: settings)
        switch config.objective {
        case .quadratic(let hessian, let minimum, _):
            let d = minimum.count
            if isDiagonal(hessian, d) {
                return job.with(objective: DiagonalQuadratic(curvatures: (0..<d).map { hessian[$0 * d + $0] }, minimum: minimum))
            }
            return job.with(objective: Quadratic(hessian: hessian, minimum: minimum))
        case .landscape(let landscape, _):
            switch landscape {
            case .rosenbrock(let o): return job.with(objective: o)
            case .rastrigin(let o): return job.with(objective: o)
            case .styblinskiTang(let o): return job.with(objective: o)
            case .doubleWell(let o): return job.with(objective: o)
            case .gaussianMixture(let o): return job.with(objective: o)
            case .linearNetwork(let o): return job.with(objective: o)
            case .expression(let o): return job.with(objective: o)
            case .linearRegression(let o): return job.with(objective: o)
            case .logisticRegression(let o): return job.with(objective: o)
            }
        }
    }

    static func isDiagonal(_ m: [Double], _ d: Int) -> Bool {
        for i in 0..<d { for j in 0..<d where i != j && m[i * d + j] != 0 { return false } }
        return true
    }

    struct Job {
        let config: RunConfig
        let spec: OptimizerSpec
        let normals: NormalStream
        let plan: SimulationPlan
        let settings: Settings

        func with<O: Objective>(objective: O) -> CloudAccumulation? {
            let d = objective.dimension
            switch config.noise {
            case .none:
                return with(objective: objective, noise: NoNoise(dimension: d))
            case .gaussian(_, let factor, let diagonal):
                if diagonal {
                    return with(objective: objective, noise: DiagonalGaussianNoise(std: (0..<d).map { factor[$0 * d + $0] }))
                }
                return with(objective: objective, noise: GaussianNoise(choleskyFactor: factor, dimension: d))
            case .recorded(let values, let rows, let mode, _):
                return with(objective: objective, noise: RecordedNoise(values: values, rows: rows, dimension: d, mode: mode))
            case .minibatch(let batch, let replacement, let labelNoise):
                // The config layer admits minibatch noise only with a data objective, and
                // label noise only with regression.
                if let data = objective as? LinearRegression {
                    return with(objective: data, noise: MinibatchNoise(objective: data, batchSize: batch, replacement: replacement,
                                                                       labelNoiseStd: labelNoise))
                }
                guard let data = objective as? LogisticRegression else { return nil }
                return with(objective: data, noise: MinibatchNoise(objective: data, batchSize: batch, replacement: replacement))
            case .hessian(_, let constant?):
                // A constant Hessian: Gaussian noise with the factor computed once.
                if constant.diagonal {
                    return with(objective: objective, noise: DiagonalGaussianNoise(std: (0..<d).map { constant.factor[$0 * d + $0] }))
                }
                return with(objective: objective, noise: GaussianNoise(choleskyFactor: constant.factor, dimension: d))
            case .hessian(let scale, nil):
                return withHessianNoise(objective: objective, scale: scale)
            case .studentT(let df, let scale):
                return with(objective: objective, noise: StudentTNoise(df: df, scale: scale))
            case .alphaStable(let alpha, let scale):
                return with(objective: objective, noise: AlphaStableNoise(alpha: alpha, scale: scale))
            }
        }

        /// State-dependent Hessian noise: O(d) per chain for separable landscapes, a d×d
        /// factorisation per chain otherwise.
        func withHessianNoise<O: Objective>(objective: O, scale: Double) -> CloudAccumulation? {
            if let o = objective as? Rastrigin { return with(objective: o, noise: SeparableHessianNoise(objective: o, scale: scale)) }
            if let o = objective as? StyblinskiTang { return with(objective: o, noise: SeparableHessianNoise(objective: o, scale: scale)) }
            if let o = objective as? DoubleWell { return with(objective: o, noise: SeparableHessianNoise(objective: o, scale: scale)) }
            return with(objective: objective, noise: HessianNoise(objective: objective, scale: scale))
        }

        func with<O: Objective, N: GradientNoise>(objective: O, noise: N) -> CloudAccumulation? {
            switch spec.rule {
            case .sgd(let o): return run(objective, noise, o)
            case .adam(let o): return run(objective, noise, o)
            case .rmsprop(let o): return run(objective, noise, o)
            case .adagrad(let o): return run(objective, noise, o)
            case .adamax(let o): return run(objective, noise, o)
            case .nadam(let o): return run(objective, noise, o)
            case .radam(let o): return run(objective, noise, o)
            case .lion(let o): return run(objective, noise, o)
            case .signsgd(let o): return run(objective, noise, o)
            case .signum(let o): return run(objective, noise, o)
            case .sgld(let o): return run(objective, noise, o)
            }
        }

        func run<O: Objective, N: GradientNoise, P: Optimizer>(_ objective: O, _ noise: N, _ optimizer: P) -> CloudAccumulation? {
            Simulator(objective: objective, noise: noise, optimizer: optimizer, schedule: spec.schedule.make(baseLR: spec.lr),
                      clip: spec.clip, clipStage: spec.clipStage, normals: normals, plan: plan)
                .run(threads: settings.threads, progress: settings.progress, checkpoint: settings.checkpoint,
                     resume: settings.resume)
        }
    }
}
