import Simulation
import Statistics

/// What a run observes beside the moments, chosen from the config (`ObservationPlan`).
public enum ObservationChoice {
    /// Stored diagnostic draws: at most this many values (m·D·d doubles, 8 MiB) …
    public static let diagnosticValueBudget = 1 << 20
    /// … and this many draws per coordinate (m·D): R̂ and ESS from 2¹⁷ draws are far more
    /// precise than their thresholds need, and the ranking and FFTs behind them stay a small
    /// part of a run (about 0.1 s a coordinate).
    public static let diagnosticDrawBudget = 1 << 17
    /// At least this many chains (when there are) are kept for R̂, thinning the draws if need be.
    public static let minimumDiagnosticChains = 8
    /// Directions along which the cloud's spread is tracked: the Hessian's eigenvectors at x*
    /// up to this dimension, the coordinate axes beyond.
    public static let maximumDirectionDimension = 64

    public static func plan(_ config: RunConfig, optimizer spec: OptimizerSpec) -> ObservationPlan {
        let subset = diagnosticSubset(chains: config.chains, draws: config.recording.draws, dimension: config.dimension)
        return ObservationPlan(
            timeseriesSteps: ObservationPlan.logSpacedSteps(steps: config.steps, burnIn: config.burnIn),
            directions: hessianEigenvectors(config), diagnosticChains: subset.chains, diagnosticStride: subset.stride,
            fluctuationDissipation: fluctuationDissipationApplies(config, spec), basins: true,
            lossPath: config.targetLoss != nil)
    }

    /// m chains evenly spread over 0..<chains (every replicate group alike) and a draw stride
    /// s ≥ 1, such that m·(draws/s)·d ≤ `diagnosticValueBudget` and m·(draws/s) ≤
    /// `diagnosticDrawBudget`: all chains and every draw when they fit, otherwise fewer chains
    /// (down to `minimumDiagnosticChains`), then every s-th draw.
    public static func diagnosticSubset(chains: Int, draws: Int, dimension d: Int) -> (chains: [Int], stride: Int) {
        let perChain = Swift.max(1, draws)
        let capacity = Swift.min(diagnosticValueBudget / Swift.max(1, d), diagnosticDrawBudget)
        var m = Swift.min(chains, capacity / perChain)
        var stride = 1
        let floor = Swift.min(chains, minimumDiagnosticChains)
        if m < floor {
            m = floor
            let kept = Swift.max(1, capacity / m)
            stride = (perChain + kept - 1) / kept
        }
        return ((0..<m).map { $0 * chains / m }, stride)
    }

    /// Row-major unit eigenvectors of the Hessian at x* (none when d exceeds
    /// `maximumDirectionDimension` or the Hessian is not finite).
    static func hessianEigenvectors(_ config: RunConfig) -> [Double] {
        let d = config.dimension
        guard d <= maximumDirectionDimension else { return [] }
        let h = config.objective.hessian(at: config.objective.minimum)
        guard h.allSatisfy(\.isFinite), let eigen = try? LinearAlgebra.symmetricEigen(h, n: d) else { return [] }
        // Columns of the eigenvector matrix, as rows.
        return (0..<d).flatMap { j in (0..<d).map { i in eigen.vectors[i * d + j] } }
    }

    /// Yaida's fluctuation–dissipation relation E[(x − c)·g] = (1 + μ)/(2·lr)·E|Δx|² holds at
    /// stationarity for SGD or heavy ball with the gradient g the update used: so no coupled
    /// decay (it changes the gradient inside the optimizer), dampening or Nesterov, a constant
    /// lr, and clipping (if any) of the gradient, not of the update.
    public static func fluctuationDissipationApplies(_ config: RunConfig, _ spec: OptimizerSpec) -> Bool {
        guard let sgd = spec.optimizer as? SGD else { return false }
        return (spec.decay?.isZero ?? true) && sgd.dampening == 0 && !sgd.nesterov && spec.schedule.isConstant
            && spec.clipStage == .gradient
    }
}
