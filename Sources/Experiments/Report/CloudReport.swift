import Simulation
import Statistics

/// What is reported of one optimizer's cloud beyond its moments (SPEC §6): convergence
/// diagnostics, tail indices, stationarity, flatness, basins, the fluctuation–dissipation
/// ratio and the 1-D Langevin theory. Computed once per optimizer; the files and the table
/// only format it.
public struct CloudReport: Sendable {
    /// R̂, ESS, MCSE per coordinate on the diagnostic chains (`ObservationChoice`).
    public let diagnostics: CloudDiagnostics
    /// Chains of the run (the subset is drawn from these).
    public let runChains: Int
    /// Hill tail indices of the final iterates: of ‖x − x*‖ and per coordinate.
    let tails: TailIndexReport
    /// α̂ of |x_k − x*_k| per coordinate, NaN where there is none (diagnostics.csv).
    public var tailIndex: [Double] { tails.coordinates.map { $0?.tailIndex ?? .nan } }
    public let stationarity: StationarityCheck
    /// The mean learning rate over the recorded steps (summary.json's `mean_lr_recorded`).
    public let meanRecordedLR: Double
    public let flatness: HessianFlatness
    public let basins: BasinEstimate?
    /// Only where `ObservationChoice.fluctuationDissipationApplies`.
    public let fluctuationDissipation: FluctuationDissipation?
    public let langevin: LangevinTheory
    public let langevinComparison: LangevinComparison
    /// The mean of f over the cloud, from at most 64 stored draws per diagnostic chain.
    public let loss: LossEstimate

    /// - Parameter threads: for the diagnostics and the flatness average; the results do not
    ///   depend on it.
    public init(config: RunConfig, optimizer spec: OptimizerSpec, cloud: CloudAccumulation, estimate: CloudEstimate,
                threads: Int) {
        let d = cloud.dimension
        diagnostics = CloudDiagnostics(cloud.diagnostics, dimension: d, threads: threads)
        runChains = cloud.chains
        tails = TailIndexReport(cloud: cloud, minimum: estimate.minimum)
        // The lr over the recorded steps, streamed (steps may be many).
        let schedule = spec.schedule.make(baseLR: spec.lr)
        var lrSum = 0.0, lrChanges = false
        let firstRecordedLR = schedule.learningRate(update: config.burnIn + 1)
        if config.burnIn < config.steps {
            for t in (config.burnIn + 1)...config.steps {
                let lr = schedule.learningRate(update: t)
                lrSum += lr
                lrChanges = lrChanges || lr != firstRecordedLR
            }
        }
        meanRecordedLR = config.burnIn >= config.steps ? .nan
            : lrChanges ? lrSum / Double(config.steps - config.burnIn) : firstRecordedLR
        stationarity = StationarityCheck(cloud.timeseries, directions: ObservationChoice.hessianEigenvectors(config),
                                         burnIn: config.burnIn, minimum: estimate.minimum, learningRateChanges: lrChanges)
        let objective = config.objective
        var hessianCost: Double?
        if let o = objective.objective as? LogisticRegression { hessianCost = Double(o.data.count * d * d) }
        flatness = HessianFlatness(mean: estimate.mean, finalIterates: cloud.finalIterates, dimension: d,
                                   hessianCost: hessianCost, threads: threads) { objective.hessian(at: $0) }
        loss = LossEstimate(cloud.diagnostics, layout: cloud.layout, dimension: d, valueCost: objective.valueCost,
                            threads: threads) { objective.value(at: $0) }
        basins = BasinEstimate(cloud)
        if ObservationChoice.fluctuationDissipationApplies(config, spec), let sgd = spec.optimizer as? SGD {
            fluctuationDissipation = FluctuationDissipation(cloud, lr: spec.lr, momentum: sgd.momentum)
        } else {
            fluctuationDissipation = nil
        }
        langevin = LangevinTheory(config: config, optimizer: spec)
        langevinComparison = LangevinComparison(theory: langevin, cloud: cloud, estimate: estimate, basins: basins)
    }
}
