import Simulation
import Statistics

extension RunResult {
    /// One optimizer's ensemble statistics at its timeseries steps, over the chains alive
    /// there: means of f(x) and of |x − x*|, per coordinate the mean and the unbiased
    /// variance (so their sum, the covariance trace, matches moments.csv's std² for a cloud
    /// of one recorded step), and the basin fractions; the mean loss's standard error over
    /// the replicate groups (`RatioEstimate`).
    struct EnsembleRow {
        let step: Int
        let alive: Double
        let loss: Double
        let lossStderr: Double
        let distance: Double
        let mean: [Double]
        let variance: [Double]
        let basinFractions: [Double]
        var covarianceTrace: Double { variance.reduce(0, +) }
    }

    static func ensembleRows(_ result: OptimizerResult) -> [EnsembleRow] {
        let series = result.cloud.timeseries, layout = series.layout, d = layout.dimension
        let minimum = result.cloud.minimum
        return series.steps.indices.map { i in
            let t = series.total(at: i), n = t[layout.alive]
            let mean = (0..<d).map { t[layout.sum($0)] / n + minimum[$0] }
            let variance = (0..<d).map { k in
                n > 1 ? Swift.max(0, t[layout.square(k)] - t[layout.sum(k)] * t[layout.sum(k)] / n) / (n - 1) : .nan
            }
            let groups = (0..<series.groups).compactMap { g -> (numerator: Double, denominator: Double)? in
                let values = series.group(g, at: i)
                let alive = values[values.startIndex + layout.alive]
                return alive > 0 ? (values[values.startIndex + layout.loss], alive) : nil
            }
            let loss = t[layout.loss] / n
            return EnsembleRow(step: series.steps[i], alive: n, loss: loss,
                               lossStderr: RatioEstimate.standardError(groups, ratio: loss), distance: t[layout.distance] / n,
                               mean: mean, variance: variance, basinFractions: (0..<layout.basins).map { t[layout.basin($0)] / n })
        }
    }

    /// timeseries.csv: ensemble statistics at log-spaced steps (denser after burn-in), one
    /// row per optimizer and step.
    public var timeseriesTable: CSVTable {
        let d = config.dimension
        let basins = optimizers.map { $0.cloud.timeseries.layout.basins }.max() ?? 0
        var table = CSVTable(header: ["optimizer", "step", "loss_mean", "loss_mean_stderr", "theory_loss_mean", "distance_mean",
                                      "covariance_trace", "theory_covariance_trace", "lr", "alive_chains"]
                             + (0..<d).map { "mean_\($0)" } + (0..<d).map { "variance_\($0)" }
                             + (0..<basins).map { "basin_\($0)_fraction" })
        for result in optimizers {
            let schedule = result.spec.schedule.make(baseLR: result.spec.lr)
            for row in Self.ensembleRows(result) {
                let fractions = (0..<basins).map { b -> CSVField in .number(b < row.basinFractions.count ? row.basinFractions[b] : .nan) }
                // `nan` where there is no theory, as every missing value of a run's CSVs.
                func optional(_ x: Double?) -> CSVField { .number(x ?? .nan) }
                table.append([.text(result.spec.label), .integer(row.step), .number(row.loss), .number(row.lossStderr),
                              optional(result.transient.lossMean(step: row.step)), .number(row.distance),
                              .number(row.covarianceTrace), optional(result.transient.covarianceTrace(step: row.step)),
                              .number(schedule.learningRate(update: row.step)),
                              .integer(Int(row.alive))]
                             + row.mean.map { .number($0) } + row.variance.map { .number($0) } + fractions)
            }
        }
        return table
    }

    /// The (step, mean loss, its standard error) of one optimizer's timeseries rows.
    static func lossRows(_ result: OptimizerResult) -> [(step: Int, mean: Double, stderr: Double)] {
        ensembleRows(result).map { ($0.step, $0.loss, $0.lossStderr) }
    }

    /// timeseries.svg: the ensemble's mean loss and covariance trace against the step, the
    /// exact transient theory dashed where it applies.
    public var timeseriesFigure: String {
        let rows = optimizers.map { (result: $0, rows: Self.ensembleRows($0)) }
        func panel(_ title: String, _ value: (EnsembleRow) -> Double, theory: (TransientComparison, Int) -> Double?) -> TimeseriesPanel {
            TimeseriesPanel(title: title, series: rows.map { entry in
                let transient = entry.result.transient
                return TimeseriesSeries(label: entry.result.spec.label, steps: entry.rows.map(\.step), values: entry.rows.map(value),
                                        theory: transient.theory == nil ? [] : entry.rows.map { theory(transient, $0.step) ?? .nan })
            })
        }
        return Figures.timeseries([panel("mean loss f(x)", \.loss, theory: { $0.lossMean(step: $1) }),
                                   panel("covariance trace", \.covarianceTrace, theory: { $0.covarianceTrace(step: $1) })],
                                  burnIn: config.burnIn, title: "\(config.name): approach to stationarity")
    }
}
