import Foundation

/// The results of a sweep, read from its point directories: sweep.csv, collapse.csv and
/// sweep.svg, written without simulating (`--collect`, or the end of a sweep whose points are
/// all complete).
public struct SweepCollection {
    public let sweep: SweepConfig
    /// Every optimizer at every complete point, in point order.
    public let rows: [SweepRow]
    /// Points that are not complete (not simulated yet, interrupted, or of another config).
    public let missing: [Int]

    public init(sweep: SweepConfig, directory: SweepDirectory) throws {
        self.sweep = sweep
        var rows: [SweepRow] = [], missing: [Int] = []
        for p in 0..<sweep.pointCount {
            guard let summary = directory.completeSummary(point: p, config: try sweep.config(point: p)),
                  let optimizers = summary["optimizers"] as? [[String: Any]] else {
                missing.append(p)
                continue
            }
            rows += optimizers.map { SweepRow(point: p, entry: $0) }
        }
        self.rows = rows
        self.missing = missing
    }

    public var isComplete: Bool { missing.isEmpty }

    /// Whether the sweep's config asks for steps to target (`statistics.target_loss`).
    public var hasTarget: Bool { (try? sweep.config(point: 0))?.targetLoss != nil }

    var metricColumns: [String] { SweepRow.metricColumns(dimension: sweep.dimension, basins: sweep.basinCount, target: hasTarget) }

    /// sweep.csv: one row per point × optimizer.
    public var table: CSVTable {
        var table = CSVTable(header: ["point", "optimizer"] + sweep.axisKeys + ["chains", "diverged_fraction"] + metricColumns)
        for row in rows {
            let axisFields = sweep.values(of: row.point).map { CSVField.text($0.value.text) }
            table.append([.integer(row.point), .text(row.optimizer)] + axisFields
                         + [.integer(row.chains), row.divergedFraction.isFinite ? .number(row.divergedFraction) : .text("")]
                         + metricColumns.map { row.field($0) })
        }
        return table
    }

    /// collapse.csv: each hypothesis for each optimizer.
    public var collapseTable: CSVTable? {
        guard !sweep.collapse.isEmpty else { return nil }
        var table = CSVTable(header: ["metric", "by", "optimizer", "groups", "pairs", "max_abs_z_within", "within_spread",
                                      "total_spread", "collapses"])
        for hypothesis in sweep.collapse {
            for label in optimizerLabels {
                let verdict = self.verdict(hypothesis, optimizer: label)
                func optional(_ x: Double?) -> CSVField { x.map { .number($0) } ?? .text("") }
                table.append([.text(hypothesis.metric), .text(hypothesis.by), .text(label), .integer(verdict.groups),
                              .integer(verdict.pairs), optional(verdict.maxAbsZ), optional(verdict.withinSpread),
                              optional(verdict.totalSpread), .text(verdict.collapses ? "true" : "false")])
            }
        }
        return table
    }

    /// The optimizers' labels in order of appearance.
    var optimizerLabels: [String] {
        var labels: [String] = []
        for row in rows where !labels.contains(row.optimizer) { labels.append(row.optimizer) }
        return labels
    }

    public func verdict(_ hypothesis: CollapseHypothesis, optimizer label: String) -> CollapseVerdict {
        CollapseVerdict(rows.filter { $0.optimizer == label }.compactMap { row in
            guard let value = row.values[hypothesis.metric], let stderr = row.stderrs[hypothesis.metric] else { return nil }
            var axisValues: [String: Double] = [:]
            for (key, value) in sweep.values(of: row.point) { axisValues[key] = value.number }
            return CollapseVerdict.Point(by: hypothesis.value(axisValues), value: value, stderr: stderr)
        })
    }

    /// Writes sweep.csv, collapse.csv (with hypotheses) and sweep.svg into the directory.
    public func write(to directory: SweepDirectory) throws {
        try directory.writeAtomically("sweep.csv", try table.data())
        if let collapse = collapseTable { try directory.writeAtomically("collapse.csv", try collapse.data()) }
        try directory.writeAtomically("sweep.svg", Data(figure.utf8))
        if hasTarget {
            try directory.writeAtomically("steps_to_target.csv", try frontierTable.data())
            try directory.writeAtomically("critical_batch_size.csv", try criticalTable.data())
        }
    }
}
