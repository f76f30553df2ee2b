import Foundation

extension SweepCollection {
    /// Points of a theory curve between the first axis's smallest and largest value.
    static let theoryPoints = 120
    /// The largest dimension for which the theory curve is evaluated densely (else at the points).
    static let denseTheoryDimension = 20

    /// The panels of sweep.svg and the metric each shows.
    static let panels: [(title: String, column: String)] = [
        ("mean loss f(x)", "mean_loss"), ("covariance trace", "trace"), ("|bias| = |mean − x*|", "bias_norm"),
        ("fraction of chains diverged", "diverged_fraction"),
    ]

    /// sweep.svg: the main metrics against the first axis (its first key for a zip group), a
    /// line per optimizer × combination of the other axes' values; the covariance trace of
    /// the exact discrete Lyapunov theory dashed where it exists (SGD and SGLD on a quadratic
    /// with Gaussian noise), evaluated densely along the axis up to the stability limit.
    public var figure: String {
        let first = sweep.axes[0]
        let numeric = first.values.allSatisfy { $0[0].number != nil }
        let logX = numeric && first.isLogSpaced
        func x(_ i: Int) -> Double { numeric ? first.values[i][0].number! : Double(i) }
        // Series: optimizer × the other axes' positions, in row order.
        var order: [String] = []
        var members: [String: [SweepRow]] = [:]
        var names: [String: String] = [:]
        for row in rows {
            let positions = sweep.indices(of: row.point).dropFirst().map(String.init).joined(separator: ",")
            let key = "\(row.optimizer)|\(positions)"
            if members[key] == nil {
                order.append(key)
                let others = sweep.values(of: row.point).filter { !first.keys.contains($0.key) }
                names[key] = ([row.optimizer] + others.map { "\($0.key)=\($0.value.text)" }).joined(separator: ", ")
            }
            members[key, default: []].append(row)
        }
        let theories = Dictionary(uniqueKeysWithValues: order.map { ($0, theoryTrace(members[$0]!, numeric: numeric, logX: logX)) })
        let panels = Self.panels.map { panel in
            SweepPanel(title: panel.title, series: order.map { key in
                let series = members[key]!.sorted { sweep.indices(of: $0.point)[0] < sweep.indices(of: $1.point)[0] }
                return SweepSeries(label: names[key]!, x: series.map { x(sweep.indices(of: $0.point)[0]) },
                                   values: series.map { panel.column == "diverged_fraction" ? $0.divergedFraction
                                                                                            : $0.values[panel.column] ?? .nan },
                                   theory: panel.column == "trace" ? theories[key]! : [])
            })
        }
        let xLabel = first.keys.joined(separator: ", ") + (numeric ? "" : " (position of the value)")
        return Figures.sweep(panels + targetPanels(order: order, members: members, names: names, x: x), xLabel: xLabel,
                             logX: logX, title: "\(sweep.name): sweep over \(xLabel)")
    }

    /// With `statistics.target_loss`: steps to target per series, and (when there are other
    /// axes) the best over them per optimizer with the theory's best dashed — log–log.
    private func targetPanels(order: [String], members: [String: [SweepRow]], names: [String: String],
                              x: (Int) -> Double) -> [SweepPanel] {
        guard hasTarget else { return [] }
        var panels = [SweepPanel(title: "steps to target", series: order.map { key in
            let series = members[key]!.sorted { sweep.indices(of: $0.point)[0] < sweep.indices(of: $1.point)[0] }
            return SweepSeries(label: names[key]!, x: series.map { x(sweep.indices(of: $0.point)[0]) },
                               values: series.map { $0.values["steps_to_target"] ?? .nan },
                               theory: series.compactMap { row in
                                   row.values["theory_steps_to_target"].map { (x(sweep.indices(of: row.point)[0]), $0) }
                               })
        }, logValues: true)]
        if sweep.axes.count > 1 {
            panels.append(SweepPanel(title: "steps to target, best over the other axes", series: frontiers.map { frontier in
                SweepSeries(label: frontier.optimizer + " (best)", x: frontier.points.map(\.x), values: frontier.points.map(\.steps),
                            theory: frontier.theory.map { ($0.x, $0.steps) })
            }, logValues: true))
        }
        return panels
    }

    /// tr of the theory's covariance along the first axis for one series (the other axes at
    /// its values), densely when the first axis is one numeric key, else at its values; empty
    /// when the theory exists at none of the series' points.
    func theoryTrace(_ series: [SweepRow], numeric: Bool, logX: Bool) -> [(x: Double, value: Double)] {
        guard let row = series.first else { return [] }
        let first = sweep.axes[0]
        let others = sweep.values(of: row.point).filter { !first.keys.contains($0.key) }
        func trace(_ values: [(key: String, value: SweepValue)]) -> Double? {
            guard let config = try? sweep.config(values: values),
                  let spec = config.optimizers.first(where: { $0.label == row.optimizer }),
                  let covariance = TheoryComparison.lyapunov(config: config, optimizer: spec).1?.covariance else { return nil }
            let d = config.dimension
            return (0..<d).reduce(0) { $0 + covariance[$1 * d + $1] }
        }
        let atPoints = first.values.indices.compactMap { i -> (x: Double, value: Double)? in
            guard let value = trace(zip(first.keys, first.values[i]).map { ($0, $1) } + others) else { return nil }
            return (numeric ? first.values[i][0].number! : Double(i), value)
        }
        guard !atPoints.isEmpty else { return [] }
        // Each value is a Lyapunov solve, O(d³) (O(8d³) with momentum): densely only in small dimensions.
        guard numeric, first.keys.count == 1, sweep.dimension <= Self.denseTheoryDimension, let lo = first.values.map({ $0[0].number! }).min(),
              let hi = first.values.map({ $0[0].number! }).max(), hi > lo else { return atPoints }
        let n = Self.theoryPoints
        let dense = (0...n).map { i -> Double in
            let f = Double(i) / Double(n)
            return logX ? exp(log(lo) + f * (log(hi) - log(lo))) : lo + f * (hi - lo)
        }
        let grid = Set(atPoints.map(\.x))
        var curve = atPoints
        for value in dense where !grid.contains(value) {
            // Beyond the stability limit there is no stationary law: the curve ends there.
            let t = trace([(first.keys[0], SweepValue(generated: value))] + others)
            curve.append((value, t ?? .nan))
        }
        return curve.sorted { $0.x < $1.x }
    }
}
