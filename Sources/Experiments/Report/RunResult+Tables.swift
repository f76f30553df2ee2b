import Simulation
import Statistics

extension RunResult {
    /// moments.csv
    public var momentsTable: CSVTable {
        var table = CSVTable(header: ["optimizer", "coordinate", "minimum", "mean", "bias", "std", "stderr",
                                      "skewness", "kurtosis", "q05", "q50", "q95"])
        for result in optimizers {
            let e = result.estimate
            let level = { (p: Double) -> Int? in e.quantileLevels.firstIndex(of: p) }
            for k in 0..<e.dimension {
                let q = { (p: Double) -> CSVField in level(p).map { .number(e.quantiles[k][$0]) } ?? .number(.nan) }
                table.append([.text(result.spec.label), .integer(k), .number(e.minimum[k]), .number(e.mean[k]),
                              .number(e.bias[k]), .number(e.std[k]), .number(e.stderrMean[k]), .number(e.skewness[k]),
                              .number(e.kurtosis[k]), q(0.05), q(0.5), q(0.95)])
            }
        }
        return table
    }

    /// covariance.csv
    public var covarianceTable: CSVTable {
        var table = CSVTable(header: ["optimizer", "row", "column", "value"])
        for result in optimizers {
            let d = result.estimate.dimension
            for i in 0..<d {
                for j in 0..<d {
                    table.append([.text(result.spec.label), .integer(i), .integer(j), .number(result.estimate.covariance[i * d + j])])
                }
            }
        }
        return table
    }

    /// histograms.csv
    public var histogramsTable: CSVTable {
        var table = CSVTable(header: ["optimizer", "coordinate", "bin_lower", "bin_upper", "count", "density"])
        for result in optimizers {
            for (k, h) in result.estimate.histograms.enumerated() {
                let density = h.density
                for b in 0..<h.bins {
                    table.append([.text(result.spec.label), .integer(k), .number(h.edges[b]), .number(h.edges[b + 1]),
                                  .integer(h.counts[b]), .number(density[b])])
                }
            }
        }
        return table
    }

    /// histograms2d.csv
    public var histograms2DTable: CSVTable {
        var table = CSVTable(header: ["optimizer", "coordinate_x", "coordinate_y", "x_lower", "x_upper", "y_lower",
                                      "y_upper", "count", "density"])
        for result in optimizers {
            for h in result.estimate.histograms2D {
                let density = h.density, n = h.bins
                for ix in 0..<n {
                    for iy in 0..<n {
                        table.append([.text(result.spec.label), .integer(h.xIndex), .integer(h.yIndex),
                                      .number(h.xEdges[ix]), .number(h.xEdges[ix + 1]), .number(h.yEdges[iy]),
                                      .number(h.yEdges[iy + 1]), .integer(h.counts[ix * n + iy]), .number(density[ix * n + iy])])
                    }
                }
            }
        }
        return table
    }

    /// trace.csv: every iterate of the traced chains, with the lr of the update that made it.
    public var traceTable: CSVTable? {
        let d = config.dimension
        guard config.traceChains > 0 else { return nil }
        var table = CSVTable(header: ["optimizer", "chain", "step", "lr"] + (0..<d).map { "x\($0)" })
        for result in optimizers {
            guard let trace = result.cloud.trace, let lrs = result.cloud.traceLearningRates else { continue }
            let steps = config.steps
            for chain in 0..<result.cloud.traceChains {
                for t in 1...steps {
                    let base = (chain * steps + t - 1) * d
                    table.append([.text(result.spec.label), .integer(chain), .integer(t), .number(lrs[t - 1])]
                                 + (0..<d).map { .number(trace[base + $0]) })
                }
            }
        }
        return table
    }
}
