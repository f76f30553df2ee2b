import Simulation
import Statistics

/// A simulated cloud against `LangevinTheory`.
///
/// - Gibbs marginal: the final iterates x₀ of the non-diverged chains — one independent
///   draw per chain; the recorded samples of a chain are autocorrelated and would inflate
///   χ² — counted in the bins of x₀'s histogram, against exp(−U/T_eff)/Z integrated over
///   each bin (`GibbsDensity`, normalised over the whole line; the mass outside the
///   histogram's range is one more cell), by Pearson's χ² with cells pooled to ≥ 5
///   expected counts (`ChiSquareTest`). The chains must have reached stationarity by the
///   last step, and the law is the small-lr limit: at a finite lr the stationary law
///   differs by O(lr), which enough chains detect.
/// - Escape time: the simulated mean first passage from the start to the other basin over
///   the chains that arrived, its standard error s/√arrived, and the censored chains
///   (`BasinEstimate`), beside the exact and the corrected prediction.
public struct LangevinComparison: Sendable {
    public struct GibbsTest: Sendable {
        public let samples: Int
        public let edges: [Double]
        public let probabilities: [Double]
        public let observed: [Int]
        public let test: ChiSquareTest
    }

    public let gibbs: GibbsTest?
    public let gibbsUnavailableReason: String?
    /// Fractions of the final iterates with x₀ < x_s and x₀ ≥ x_s (double well).
    public let finalBasinFractions: [Double]?
    public let escape: BasinEstimate.Basin?

    public init(theory: LangevinTheory, cloud: CloudAccumulation, estimate: CloudEstimate, basins: BasinEstimate?) {
        let d = cloud.dimension
        let finals = (0..<cloud.chains).map { cloud.finalIterates[$0 * d] }.filter(\.isFinite)
        guard let model = theory.model else {
            (gibbs, gibbsUnavailableReason, finalBasinFractions, escape) = (nil, theory.unavailableReason, nil, nil)
            return
        }
        if let top = model.barrierTop, !finals.isEmpty {
            let left = Double(finals.filter { $0 < top }.count) / Double(finals.count)
            finalBasinFractions = [left, 1 - left]
        } else {
            finalBasinFractions = nil
        }
        if let e = model.escape, let basins, e.targetBasin < basins.basins.count {
            escape = basins.basins[e.targetBasin]
        } else {
            escape = nil
        }
        do {
            gibbs = try Self.gibbsTest(model, finals: finals, histogram: estimate.histograms.first)
            gibbsUnavailableReason = nil
        } catch {
            gibbs = nil
            gibbsUnavailableReason = (error as? LangevinTheory.Unavailable)?.reason ?? "\(error)"
        }
    }

    static func gibbsTest(_ model: LangevinTheory.Model, finals: [Double], histogram: Histogram1D?) throws -> GibbsTest {
        guard let histogram else { throw LangevinTheory.Unavailable(reason: "no histogram of x₀ (statistics.histogram.bins is 0)") }
        guard !finals.isEmpty else { throw LangevinTheory.Unavailable(reason: "no chain survived") }
        let edges = histogram.edges, n = edges.count - 1
        // Normalise over the whole line with the tails integrated up to where U has risen by
        // 50·T_eff, so that a well outside the histogram's range still counts.
        let low = edges.map(model.u).filter(\.isFinite).min() ?? 0
        let level = low + LangevinTheory.farBarrier * model.temperature
        let probabilities: [Double]
        if let left = LangevinTheory.farPoint(from: edges[0], direction: -1, above: level, model.u),
           let right = LangevinTheory.farPoint(from: edges[n], direction: 1, above: level, model.u) {
            let p = try GibbsDensity.binProbabilities(edges: [left] + edges + [right], temperature: model.temperature,
                                                      potential: model.u)
            probabilities = Array(p.probabilities[1...n])
        } else {
            probabilities = try GibbsDensity.binProbabilities(edges: edges, temperature: model.temperature,
                                                              potential: model.u).probabilities
        }
        var observed = [Int](repeating: 0, count: n)
        for x in finals where x >= edges[0] && x < edges[n] {
            // The last edge ≤ x: bins are [edges[i], edges[i + 1]).
            var lo = 0, hi = n
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if edges[mid] <= x { lo = mid } else { hi = mid }
            }
            observed[lo] += 1
        }
        let test = try ChiSquareTest(observed: observed, probabilities: probabilities, total: finals.count)
        return GibbsTest(samples: finals.count, edges: edges, probabilities: probabilities, observed: observed, test: test)
    }

    /// theory.json's `langevin` object.
    func json(theory: LangevinTheory) -> JSONValue {
        var simulated: [(String, JSONValue)] = []
        if let escape, let e = theory.model?.escape {
            let se = escape.firstPassageStderr
            simulated = [
                ("simulated_mean_steps", .number(escape.firstPassageMean)), ("simulated_stderr", .number(se)),
                ("arrived", .integer(escape.arrived)), ("censored", .integer(escape.censored)),
                ("relative_error_exact", .number(escape.firstPassageMean / e.exactSteps - 1)),
                ("relative_error_corrected", .number(escape.firstPassageMean / e.correctedSteps - 1)),
                ("z_exact", .number((escape.firstPassageMean - e.exactSteps) / se)),
                ("z_corrected", .number((escape.firstPassageMean - e.correctedSteps) / se)),
            ]
        }
        var test: JSONValue?
        if let gibbs {
            test = .object([
                ("samples", .integer(gibbs.samples)),
                ("note", .string("final iterates of x₀ (one per non-diverged chain) against exp(−U/T_eff)/Z per bin; Pearson χ², cells pooled to ≥ 5 expected, the mass outside the range as one more cell")),
                ("statistic", .number(gibbs.test.statistic)), ("degrees_of_freedom", .integer(gibbs.test.degreesOfFreedom)),
                ("p_value", .number(gibbs.test.pValue)), ("pooled_cells", .integer(gibbs.test.pooledCells)),
                ("bin_edges", .numbers(gibbs.edges)), ("probabilities", .numbers(gibbs.probabilities)),
                ("observed", .array(gibbs.observed.map { .integer($0) })),
            ])
        } else if theory.model != nil {
            test = .object([("available", .bool(false)), ("reason", .string(gibbsUnavailableReason ?? ""))])
        }
        var entries = theory.entries(escape: simulated, gibbs: test)
        if let fractions = finalBasinFractions { entries.append(("final_basin_fractions", .numbers(fractions))) }
        return .object(entries)
    }
}
