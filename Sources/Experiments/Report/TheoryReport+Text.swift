import Foundation
import Simulation
import Statistics

extension TheoryReport {
    /// The predictions as a table for the terminal (`optcloud theory`; `--json` has every
    /// number): per optimizer the model that applies, tr of its covariance, its mean and
    /// stability limit, then one line per optimizer with what the table has no room for.
    public var text: String {
        let d = config.dimension
        var rows: [[String]] = [["optimizer", "type", "model", "tr(cov)", "mean", "stability limit"]]
        var notes: [String] = []
        for spec in config.optimizers {
            let comparison = TheoryComparison(config: config, optimizer: spec)
            var row = [spec.label, spec.type, "-", "-", "-", "-"]
            var details: [String] = []
            if let sgd = comparison.theory {
                row[2] = "Lyapunov (SGD)"
                row[3] = sgd.covariance.map { Self.short(Self.trace($0, d)) } ?? "unstable"
                row[4] = Self.vector(sgd.mean)
                row[5] = sgd.stabilityLimit.map { "lr < " + Self.short($0) } ?? "ρ(A) = " + Self.short(sgd.spectralRadius)
                if let exact = sgd.covariance, let continuous = sgd.continuousCovariance {
                    details.append("SDE covariance off the exact one by " + Self.short(TheoryComparison.relativeError(continuous, exact))
                                   + " (relative, Frobenius)")
                }
            } else if let adaptive = comparison.adaptive.theory {
                row[2] = "frozen v (adaptive)"
                row[3] = adaptive.covariance.map { Self.short(Self.trace($0, d)) } ?? "none"
                row[4] = Self.vector(adaptive.mean)
                row[5] = adaptive.stabilityLimit.map { "lr < " + Self.short($0) } ?? "none"
                details.append("preconditioner 1/(√v + ε) = " + Self.vector(adaptive.preconditioner))
                if let reason = comparison.adaptive.unavailableReason { details.append(reason) }
            } else {
                let sgdFamily = spec.optimizer is SGD || spec.optimizer is SGLD
                details.append("no covariance: " + ((sgdFamily ? comparison.unavailableReason : comparison.adaptive.unavailableReason) ?? ""))
            }
            if DecoupledReference.isDecoupled(spec) {
                details.append("decoupled_fixed_point = " + (comparison.decoupledFixedPoint.map(Self.vector) ?? "not computed"))
            }
            if let kesten = comparison.kesten {
                details.append(kesten.tailIndex.map { "Kesten tail index α = " + Self.short($0) }
                               ?? "Kesten: " + (kesten.unavailableReason ?? "no tail index"))
            }
            let langevin = LangevinTheory(config: config, optimizer: spec)
            if let model = langevin.model {
                var line = "Langevin: T_eff = " + Self.short(model.temperature)
                if let e = model.escape { line += ", mean escape " + Self.short(e.exactSteps) + " steps" }
                details.append(line)
            }
            rows.append(row)
            notes += details.map { "\(spec.label): \($0)" }
        }
        var lines = ["\(config.name): predictions without simulating (--json for every number)",
                     "gradient noise at x*: \(noiseNote)", ""]
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max()! }
        lines += rows.map { row in
            row.enumerated().map { c, cell in cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        if !notes.isEmpty { lines += [""] + notes }
        return lines.joined(separator: "\n") + "\n"
    }

    static func trace(_ m: [Double], _ d: Int) -> Double { (0..<d).reduce(0) { $0 + m[$1 * d + $1] } }

    static func short(_ x: Double) -> String { x.isFinite ? String(format: "%.4g", x) : "nan" }

    /// [a, b, …] with 5 significant digits, the first 4 coordinates of a longer vector.
    static func vector(_ v: [Double]) -> String {
        let shown = v.prefix(4).map { $0.isFinite ? String(format: "%.5g", $0) : "nan" }
        return "[" + shown.joined(separator: ", ") + (v.count > 4 ? ", … (d = \(v.count))" : "") + "]"
    }
}
