import Simulation
import Statistics

extension RunResult {
    /// One optimizer's ensemble statistics at its timeseries steps, over the chains alive
    /// there: means of f(x) and of |x − x*|, per coordinate the mean and the unbiased
    /// variance (so their sum, the covariance trace, matches moments.csv's std² for a cloud
    /// of one recorded step), and the basin fractions.
    struct EnsembleRow {
        let step: Int
        let alive: Double
        let loss: Double
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
            return EnsembleRow(step: series.steps[i], alive: n, loss: t[layout.loss] / n, distance: t[layout.distance] / n,
                               mean: mean, variance: variance, basinFractions: (0..<layout.basins).map { t[layout.basin($0)] / n })
        }
    }

    /// timeseries.csv: ensemble statistics at log-spaced steps (denser after burn-in), one
    /// row per optimizer and step.
    public var timeseriesTable: CSVTable {
        let d = config.dimension
        let basins = optimizers.map { $0.cloud.timeseries.layout.basins }.max() ?? 0
        var table = CSVTable(header: ["optimizer", "step", "loss_mean", "distance_mean", "covariance_trace", "lr", "alive_chains"]
                             + (0..<d).map { "mean_\($0)" } + (0..<d).map { "variance_\($0)" }
                             + (0..<basins).map { "basin_\($0)_fraction" })
        for result in optimizers {
            let schedule = result.spec.schedule.make(baseLR: result.spec.lr)
            for row in Self.ensembleRows(result) {
                let fractions = (0..<basins).map { b -> CSVField in .number(b < row.basinFractions.count ? row.basinFractions[b] : .nan) }
                table.append([.text(result.spec.label), .integer(row.step), .number(row.loss), .number(row.distance),
                              .number(row.covarianceTrace), .number(schedule.learningRate(update: row.step)),
                              .integer(Int(row.alive))]
                             + row.mean.map { .number($0) } + row.variance.map { .number($0) } + fractions)
            }
        }
        return table
    }

    /// timeseries.svg: the ensemble's mean loss and covariance trace against the step.
    public var timeseriesFigure: String {
        let rows = optimizers.map { (label: $0.spec.label, rows: Self.ensembleRows($0)) }
        func panel(_ title: String, _ value: (EnsembleRow) -> Double) -> TimeseriesPanel {
            TimeseriesPanel(title: title, series: rows.map { entry in
                TimeseriesSeries(label: entry.label, steps: entry.rows.map(\.step), values: entry.rows.map(value))
            })
        }
        return Figures.timeseries([panel("mean loss f(x)", \.loss), panel("covariance trace", \.covarianceTrace)],
                                  burnIn: config.burnIn, title: "\(config.name): approach to stationarity")
    }
}
