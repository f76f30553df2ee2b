import Foundation
import Simulation
import Statistics

extension RunResult {
    /// Writes every output file of SPEC §5 that this run has into `directory` (staged; the
    /// caller commits).
    public func write(to directory: OutputDirectory) throws {
        try directory.write("summary.json", text: summary.rendered())
        // An interrupted run with no optimizer finished has nothing else to show.
        guard !optimizers.isEmpty else { return }
        try directory.write("theory.json", text: theoryDocument.rendered())
        try directory.write("moments.csv", momentsTable.data())
        try directory.write("covariance.csv", covarianceTable.data())
        try directory.write("histograms.csv", histogramsTable.data())
        try directory.write("histograms2d.csv", histograms2DTable.data())
        try directory.write("diagnostics.csv", diagnosticsTable.data())
        try directory.write("timeseries.csv", timeseriesTable.data())
        if let basins = basinsTable { try directory.write("basins.csv", basins.data()) }
        if let trace = traceTable { try directory.write("trace.csv", trace.data()) }
        let d = config.dimension
        for result in optimizers {
            if let all = result.cloud.allIterates {
                try directory.write("samples_\(result.spec.label).npy",
                                    NPYFile.data(all, shape: [result.cloud.chains, config.recording.draws, d]))
            } else if config.samples == .final {
                try directory.write("samples_\(result.spec.label).npy",
                                    NPYFile.data(result.cloud.finalIterates, shape: [result.cloud.chains, d]))
            }
        }
        try directory.write("cloud.svg", text: cloudFigure)
        try directory.write("marginals.svg", text: marginalsFigure)
        try directory.write("timeseries.svg", text: timeseriesFigure)
    }

    /// The first two coordinates (or the first histogram pair): samples or 2-D density,
    /// empirical and theoretical covariance ellipses.
    public var cloudFigure: String {
        let d = config.dimension
        let (i, j) = config.histogram.pairs.first.map { ($0.x, $0.y) } ?? (0, d > 1 ? 1 : 0)
        let series: [CloudSeries] = optimizers.map { result in
            let e = result.estimate
            var points: [(x: Double, y: Double)] = []
            let finals = result.cloud.finalIterates
            let stride = Swift.max(1, result.cloud.chains / 3000)
            for c in Swift.stride(from: 0, to: result.cloud.chains, by: stride) {
                let p = (x: finals[c * d + i], y: finals[c * d + j])
                if p.x.isFinite, p.y.isFinite { points.append(p) }
            }
            var density: DensityGrid? = nil
            if points.isEmpty, let h = e.histograms2D.first(where: { $0.xIndex == i && $0.yIndex == j }) {
                let values = h.density, n = h.bins
                density = DensityGrid(xEdges: h.xEdges, yEdges: h.yEdges,
                                      density: (0..<n).map { ix in (0..<n).map { values[ix * n + $0] } })
            }
            let cov2 = { (c: [Double]) -> [[Double]] in [[c[i * d + i], c[i * d + j]], [c[j * d + i], c[j * d + j]]] }
            let prediction = result.theory.prediction
            let theoryMean = result.theory.theory?.mean ?? prediction?.mean
            return CloudSeries(
                label: result.spec.label, points: points, density: density, mean: (e.mean[i], e.mean[j]),
                covariance: cov2(e.covariance),
                theoryMean: theoryMean.map { ($0[i], $0[j]) },
                theoryCovariance: prediction.map { cov2($0.covariance) })
        }
        let minimum = config.objective.minimum
        return Figures.cloud(series, xIndex: i, yIndex: j, minimum: (minimum[i], minimum[j]),
                             title: "\(config.name): stationary cloud of x[\(i)], x[\(j)]")
    }

    /// Each coordinate's histogram per optimizer, with the theoretical Gaussian marginal.
    public var marginalsFigure: String {
        let d = config.dimension
        let panels: [[MarginalSeries]] = (0..<d).map { k in
            optimizers.compactMap { result in
                guard k < result.estimate.histograms.count else { return nil }
                let h = result.estimate.histograms[k]
                let prediction = result.theory.prediction
                let std = prediction.map { $0.covariance[k * d + k].squareRoot() }
                return MarginalSeries(label: result.spec.label, edges: h.edges, density: h.density,
                                      theoryMean: prediction?.mean[k], theoryStd: std)
            }
        }
        return Figures.marginals(panels, title: "\(config.name): marginal distributions")
    }

    /// The table printed on standard output after a run.
    public var summaryText: String {
        var lines: [[String]] = [["optimizer", "chains", "diverged", "mean loss", "|bias|", "max stderr", "tr(cov)", "theory tr(cov)",
                                  "rel. err", "max |z|", "max R̂", "min ESS", "stationary"]]
        for result in optimizers {
            let e = result.estimate
            let biasNorm = e.biasNorm, trace = e.trace
            var theoryTrace = "-", relative = "-", maxZ = "-"
            if let exact = result.theory.prediction?.covariance {
                theoryTrace = Self.short((0..<e.dimension).reduce(0) { $0 + exact[$1 * e.dimension + $1] })
                relative = Self.short(TheoryComparison.relativeError(e.covariance, exact))
                maxZ = Self.short(TheoryComparison.zScores(e.covariance, exact, stderr: e.covarianceStderr).map(Swift.abs).max() ?? .nan)
            }
            lines.append([result.spec.label, String(e.chains), String(e.divergedChains), Self.short(result.report.loss.mean), Self.short(biasNorm),
                          Self.short(e.stderrMean.max() ?? .nan), Self.short(trace), theoryTrace, relative, maxZ]
                         + result.report.tableCells)
        }
        let widths = (0..<lines[0].count).map { c in lines.map { $0[c].count }.max()! }
        return lines.map { row in
            row.enumerated().map { c, cell in
                c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                       : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    static func short(_ x: Double) -> String {
        guard x.isFinite else { return "nan" }
        return String(format: "%.4g", x)
    }
}
