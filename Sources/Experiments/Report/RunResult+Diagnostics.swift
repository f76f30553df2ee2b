import Simulation
import Statistics

extension RunResult {
    /// diagnostics.csv: per optimizer and coordinate, ArviZ's R̂, bulk and tail ESS and
    /// MCSEs on the diagnostic chains, and the Hill tail index of the final iterates.
    public var diagnosticsTable: CSVTable {
        var table = CSVTable(header: ["optimizer", "coordinate", "r_hat", "ess_bulk", "ess_tail", "mcse_mean", "mcse_sd",
                                      "tail_index"])
        for result in optimizers {
            let r = result.report, g = r.diagnostics
            for k in 0..<config.dimension {
                table.append([.text(result.spec.label), .integer(k), .number(g.rHat[k]), .number(g.essBulk[k]),
                              .number(g.essTail[k]), .number(g.mcseMean[k]), .number(g.mcseSD[k]), .number(r.tailIndex[k])])
            }
        }
        return table
    }

    /// basins.csv (multi-basin objectives): occupancy of the cloud's samples and first
    /// passages per optimizer and basin; `location` is the basin's minimum, its coordinates
    /// joined by ';'. nil when no optimizer tracked basins.
    public var basinsTable: CSVTable? {
        guard optimizers.contains(where: { $0.report.basins != nil }) else { return nil }
        var table = CSVTable(header: ["optimizer", "basin", "location", "occupancy", "first_passage_mean",
                                      "first_passage_median", "censored"])
        for result in optimizers {
            guard let basins = result.report.basins else { continue }
            for (b, basin) in basins.basins.enumerated() {
                table.append([.text(result.spec.label), .integer(b), .text(basin.location.map { "\($0)" }.joined(separator: ";")),
                              .number(basin.occupancy), .number(basin.firstPassageMean), .number(basin.firstPassageMedian),
                              .integer(basin.censored)])
            }
        }
        return table
    }

    /// Warnings about the clouds (diverged chains, samples outside the histogram range,
    /// convergence, stationarity, flatness), in optimizer order; printed by `run` and listed
    /// in summary.json.
    public var warnings: [String] {
        optimizers.flatMap { r -> [String] in
            var out: [String] = []
            if r.cloud.divergedChains == r.cloud.chains {
                out.append("every chain of '\(r.spec.label)' diverged (|x| > \(config.divergenceBound) or not finite): its statistics are null; "
                           + "the learning rate is probably above the stability limit" + r.theory.stabilityHint)
                return out
            }
            if r.cloud.divergedChains > 0 {
                out.append("\(r.cloud.divergedChains) of \(r.cloud.chains) chains of '\(r.spec.label)' diverged and are excluded")
            }
            for (k, f) in r.estimate.outsideFraction.enumerated() where f > 0.001 {
                out.append("'\(r.spec.label)': \(String(format: "%.2g", f * 100))% of x[\(k)] fell outside the histogram range; set statistics.histogram.range")
            }
            return out + r.report.warnings(label: r.spec.label)
        }
    }
}
