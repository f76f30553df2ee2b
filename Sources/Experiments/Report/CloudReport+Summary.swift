import Simulation
import Statistics

extension CloudReport {
    /// The keys this report adds to an optimizer's entry of summary.json.
    func summaryEntries(config: RunConfig) -> [(String, JSONValue)] {
        var entries: [(String, JSONValue)] = [
            ("r_hat", .numbers(diagnostics.rHat)), ("ess_bulk", .numbers(diagnostics.essBulk)),
            ("ess_tail", .numbers(diagnostics.essTail)), ("mcse_mean", .numbers(diagnostics.mcseMean)),
            ("mcse_sd", .numbers(diagnostics.mcseSD)),
            ("diagnostics_subset", .object([
                ("chains", .integer(diagnostics.chains)), ("of_chains", .integer(runChains)),
                ("draws_per_chain", .integer(diagnostics.drawsPerChain)), ("draw_stride", .integer(diagnostics.stride)),
            ])),
            ("hessian_max_eigenvalue_at_mean", .number(flatness.maxEigenvalueAtMean)),
            ("hessian_trace_mean", .number(flatness.traceMean)),
            ("hessian_max_eigenvalue_mean", .number(flatness.maxEigenvalueMean)),
            ("hessian_mean_chains", .integer(flatness.points)),
            ("stationary", stationarity.isStationary.map { .bool($0) } ?? .null),
            ("stationarity_reason", stationarity.reason.map { .string($0) } ?? .null),
            ("mean_lr_recorded", .number(meanRecordedLR)),
        ]
        if stationarity.isStationary == false, let worst = stationarity.worst {
            entries.append(("nonstationary", .object([
                ("trend", .string(worst.trend?.rawValue ?? "")),
                ("direction", .numbers(worst.vector)), ("direction_kind", .string(Self.name(worst.kind))),
                ("growth_exponent", .number(worst.growthExponent)),
                ("variance_first", .number(worst.varianceFirst)), ("variance_last", .number(worst.varianceLast)),
                ("increase_stderr", .number(worst.increaseStderr)),
                ("mean_first", .number(worst.meanFirst)), ("mean_last", .number(worst.meanLast)),
                ("drift_stderr", .number(worst.driftStderr)),
            ])))
        }
        entries.append(("stationarity_check", .object([
            ("growth_threshold", .number(StationarityCheck.growthThreshold)),
            ("drift_threshold", .number(StationarityCheck.driftThreshold)),
            ("rounding_ulps", .number(StationarityCheck.roundingUlps)),
            ("significance", .number(StationarityCheck.significance)),
            ("steps", .array(stationarity.steps.map { .integer($0) })),
            ("directions", .array(stationarity.directions.map { direction in
                var fields: [(String, JSONValue)] = [("kind", .string(Self.name(direction.kind)))]
                if case .given = direction.kind { fields.append(("vector", .numbers(direction.vector))) }
                fields += [
                    ("growth_exponent", .number(direction.growthExponent)),
                    ("variance_first", .number(direction.varianceFirst)), ("variance_last", .number(direction.varianceLast)),
                    ("increase_stderr", .number(direction.increaseStderr)),
                    ("mean_first", .number(direction.meanFirst)), ("mean_last", .number(direction.meanLast)),
                    ("drift_stderr", .number(direction.driftStderr)), ("rounding_level", .bool(direction.isRoundingLevel)),
                    ("trend", direction.trend.map { .string($0.rawValue) } ?? .null), ("flagged", .bool(direction.isFlagged)),
                ]
                return .object(fields)
            })),
        ])))
        entries.append(("fdr_ratio", fluctuationDissipation.map { .number($0.ratio) } ?? .null))
        entries.append(("fdr_ratio_stderr", fluctuationDissipation.map { .number($0.stderr) } ?? .null))
        if let basins {
            entries.append(("basins", .object([
                ("rule", .string(Self.basinRule(config.objective))),
                ("basins", .array(basins.basins.enumerated().map { b, basin in
                    .object([
                        ("basin", .integer(b)), ("location", .numbers(basin.location)),
                        ("occupancy", .number(basin.occupancy)), ("occupancy_stderr", .number(basin.occupancyStderr)),
                        ("first_passage_mean", .number(basin.firstPassageMean)),
                        ("first_passage_stderr", .number(basin.firstPassageStderr)),
                        ("first_passage_median", .number(basin.firstPassageMedian)),
                        ("candidates", .integer(basin.candidates)), ("arrived", .integer(basin.arrived)),
                        ("censored", .integer(basin.censored)),
                    ])
                })),
            ])))
        }
        return entries
    }

    /// "hessian_eigenvector_j" (the j-th eigenvector of the Hessian at x*, ascending
    /// eigenvalues) or "axis_k".
    static func name(_ kind: StationarityCheck.Direction.Kind) -> String {
        switch kind {
        case .given(let j): return "hessian_eigenvector_\(j)"
        case .axis(let k): return "axis_\(k)"
        }
    }

    /// How the landscape assigns a point to a basin (the README states the same).
    static func basinRule(_ objective: ObjectiveSpec) -> String { objective.objective.basinRule }
}
