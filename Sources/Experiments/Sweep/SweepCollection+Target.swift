import Foundation

extension SweepCollection {
    /// Per optimizer, steps to target against the first axis (its first key for a zip
    /// group), the best over the other axes (`StepsToTargetFrontier`); empty when the first
    /// axis is not numeric.
    public var frontiers: [StepsToTargetFrontier] {
        let first = sweep.axes[0]
        guard first.values.allSatisfy({ $0[0].number != nil }) else { return [] }
        return optimizerLabels.map { label in
            StepsToTargetFrontier(optimizer: label, rows: rows.filter { $0.optimizer == label }.map { row in
                (first.values[sweep.indices(of: row.point)[0]][0].number!, row.point, row.values["steps_to_target"],
                 row.stderrs["steps_to_target"], row.values["theory_steps_to_target"])
            })
        }
    }

    /// steps_to_target.csv: per optimizer and value of the first axis, the fewest steps to
    /// target over the other axes, the point it comes from, and the theory's fewest.
    var frontierTable: CSVTable {
        let key = sweep.axes[0].keys[0]
        var table = CSVTable(header: ["optimizer", key, "steps_to_target", "steps_to_target_stderr", "point", "theory_steps_to_target"])
        for frontier in frontiers {
            let theory = Dictionary(frontier.theory.map { ($0.x, $0.steps) }, uniquingKeysWith: { a, _ in a })
            let xs = Set(frontier.points.map(\.x)).union(theory.keys).sorted()
            for x in xs {
                let point = frontier.points.first { $0.x == x }
                func optional(_ v: Double?) -> CSVField { v.map { .number($0) } ?? .text("") }
                table.append([.text(frontier.optimizer), .number(x), optional(point?.steps), optional(point?.stderr),
                              point.map { .integer($0.point) } ?? .text(""), optional(theory[x])])
            }
        }
        return table
    }

    /// critical_batch_size.csv: per optimizer the critical value of the first axis, simulated
    /// and from the theory's frontier, by `StepsToTargetFrontier`'s rule.
    var criticalTable: CSVTable {
        let key = sweep.axes[0].keys[0]
        var table = CSVTable(header: ["optimizer", "axis", "critical_value", "note", "theory_critical_value", "theory_note"])
        for frontier in frontiers {
            let simulated = frontier.simulatedCritical, theory = frontier.theoryCritical
            func optional(_ v: Double?) -> CSVField { v.map { .number($0) } ?? .text("") }
            table.append([.text(frontier.optimizer), .text(key), optional(simulated.value), .text(simulated.note),
                          optional(theory.value), .text(frontier.theory.isEmpty ? "no theory" : theory.note)])
        }
        return table
    }
}
