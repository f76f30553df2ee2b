#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What the engine records beside the cloud's moments and histograms: ensemble statistics at
/// a few steps (the approach to stationarity), the recorded draws of a subset of chains (for
/// convergence diagnostics), the fluctuation–dissipation sums, and basins (occupancy and
/// first-passage times). Everything here is summed per replicate group, in chain order, so
/// it is as deterministic as the moments.
public struct ObservationPlan: Sendable, Equatable {
    /// Ascending, distinct steps in 1...steps at which ensemble statistics are summed.
    public let timeseriesSteps: [Int]
    /// Unit directions, row-major (count × d), along which the ensemble's second moment about
    /// x* is summed at the timeseries steps (to see whether the cloud still spreads).
    public let directions: [Double]
    /// Chains whose recorded draws are kept (ascending, distinct), and which draws: every
    /// `diagnosticStride`-th recorded draw (draws stride − 1, 2·stride − 1, …).
    public let diagnosticChains: [Int]
    public let diagnosticStride: Int
    /// Sum (x_{t−1} − c)·g_t and |x_t − x_{t−1}|² over the recorded steps (c the
    /// accumulation centre), g_t the gradient the optimizer was handed.
    public let fluctuationDissipation: Bool
    /// Classify every chain's basin at every step (`Objective.classifyBasins`); ignored for
    /// objectives with fewer than two basins.
    public let basins: Bool
    /// Sum f over the alive chains after every update, per replicate group (the loss path
    /// behind steps to target): one more evaluation of f per chain and step, so off unless asked.
    public let lossPath: Bool

    public init(timeseriesSteps: [Int] = [], directions: [Double] = [], diagnosticChains: [Int] = [],
                diagnosticStride: Int = 1, fluctuationDissipation: Bool = false, basins: Bool = false,
                lossPath: Bool = false) {
        precondition(zip(timeseriesSteps, timeseriesSteps.dropFirst()).allSatisfy { $0 < $1 }, "timeseries steps must ascend")
        precondition(zip(diagnosticChains, diagnosticChains.dropFirst()).allSatisfy { $0 < $1 }, "diagnostic chains must ascend")
        precondition(diagnosticStride >= 1, "diagnostic stride ≥ 1")
        self.timeseriesSteps = timeseriesSteps
        self.directions = directions
        self.diagnosticChains = diagnosticChains
        self.diagnosticStride = diagnosticStride
        self.fluctuationDissipation = fluctuationDissipation
        self.basins = basins
        self.lossPath = lossPath
    }

    /// Nothing beyond moments and histograms (the benchmarks).
    public static let none = ObservationPlan()

    public func directionCount(dimension d: Int) -> Int { d == 0 ? 0 : directions.count / d }

    /// About `count` steps from 1 to `steps` evenly spaced in log t, and `recorded` more so
    /// spaced over the recorded window burnIn + 1 … steps (where stationarity is judged),
    /// including the last step of burn-in, the first recorded step and the last step.
    public static func logSpacedSteps(steps: Int, burnIn: Int, count: Int = 40, recorded: Int = 16) -> [Int] {
        var set = Set<Int>([1, steps, burnIn + 1])
        if burnIn >= 1 { set.insert(burnIn) }
        func spread(_ from: Int, _ to: Int, _ n: Int) {
            let a = log(Double(from)), b = log(Double(to))
            for i in 0...n {
                let t = exp(a + (b - a) * Double(i) / Double(n))
                set.insert(Swift.min(to, Swift.max(from, Int(t.rounded()))))
            }
        }
        spread(1, steps, count)
        spread(burnIn + 1, steps, recorded)
        return set.filter { $0 >= 1 && $0 <= steps }.sorted()
    }
}
