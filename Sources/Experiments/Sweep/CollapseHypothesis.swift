import Foundation
import Simulation

/// A hypothesis of a sweep's `collapse:` list: `metric` depends on the grid only through
/// the expression `by` of the axis keys (`optimizers.0.lr * optimizers.0.weight_decay`,
/// `optimizers.0.lr / noise.batch_size` …). `by` is written in the language of the
/// `expression` objective (`+ - * / ^`, parentheses, exp, log, sin, cos, tanh, sqrt, abs,
/// pi, e) with axis keys in place of x[i]; it must name at least one axis.
public struct CollapseHypothesis {
    public let metric: String
    public let by: String
    /// The axis keys `by` names, in the order of the formula's variables.
    public let keys: [String]
    let formula: ExpressionFormula

    /// Metrics with a standard error (needed for the z-scores): beside these, `mean_<k>`,
    /// `variance_<k>` and `basin_<b>_occupancy`.
    public static let metrics = ["mean_loss", "mean_norm", "bias_norm", "trace"]

    /// The functions and constants of the expression language (names that are not axes).
    static let builtins: Set<String> = ["exp", "log", "sin", "cos", "tanh", "sqrt", "abs", "pi", "e"]

    /// `by` at a point whose axis values (by key) are given.
    public func value(_ values: [String: Double]) -> Double {
        formula.value(keys.map { values[$0] ?? .nan })
    }

    /// Reads one entry `{metric: …, by: …}`; `axisKeys` are the sweep's keys, `dimension` and
    /// `basins` those of the objective (for `mean_<k>` and `basin_<b>_occupancy`).
    init(_ node: ConfigNode, axisKeys: [String], dimension d: Int, basins: Int) throws {
        let entry = try node.mapping(allowed: ["metric", "by"])
        let metricNode = try entry.required("metric", expected: "a metric such as mean_norm")
        let byNode = try entry.required("by", expected: "an expression of the axis keys, e.g. \"\(axisKeys[0])\"")
        metric = try metricNode.string()
        let allowed = Self.metrics + (0..<d).map { "mean_\($0)" } + (0..<d).map { "variance_\($0)" }
            + (0..<basins).map { "basin_\($0)_occupancy" }
        guard allowed.contains(metric) else {
            let coordinates = d == 1 ? "mean_0, variance_0" : "mean_0…mean_\(d - 1), variance_0…variance_\(d - 1)"
            let basinNames = basins >= 2 ? ", basin_0_occupancy…basin_\(basins - 1)_occupancy" : ""
            let hint = suggestion(for: metric, among: allowed).map { "; did you mean '\($0)'?" } ?? ""
            throw metricNode.error("'\(metric.prefix(60))' is not a metric with a standard error\(hint)",
                                   expected: "one of \(Self.metrics.joined(separator: ", ")), \(coordinates)\(basinNames)")
        }
        by = try byNode.string()
        (keys, formula) = try Self.parse(by, axisKeys: axisKeys, node: byNode)
    }

    /// Replaces every axis key in `text` by x[i] and compiles the result; an error's column
    /// is that of the text as written.
    static func parse(_ text: String, axisKeys: [String], node: ConfigNode) throws -> ([String], ExpressionFormula) {
        let characters = Array(text)
        func isNameStart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c == "_") }
        func isNamePart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == ".") }
        var used: [String] = []
        var substituted: [Character] = []
        // The column (1-based) in `text` of each character of `substituted`.
        var origin: [Int] = []
        var i = 0
        while i < characters.count {
            let c = characters[i]
            let follows = i > 0 && isNamePart(characters[i - 1])
            guard isNameStart(c), !follows else {
                substituted.append(c)
                origin.append(i + 1)
                i += 1
                continue
            }
            var j = i
            while j < characters.count && isNamePart(characters[j]) { j += 1 }
            while j > i + 1 && characters[j - 1] == "." { j -= 1 }
            let name = String(characters[i..<j])
            if axisKeys.contains(name) {
                if !used.contains(name) { used.append(name) }
                let variable = Array("x[\(used.firstIndex(of: name)!)]")
                substituted += variable
                origin += [Int](repeating: i + 1, count: variable.count)
            } else if builtins.contains(name) {
                substituted += characters[i..<j]
                origin += (i..<j).map { $0 + 1 }
            } else {
                let hint = suggestion(for: name, among: axisKeys).map { "did you mean '\($0)'? " } ?? ""
                throw node.error("column \(i + 1): '\(name.prefix(60))' is not an axis of the sweep; \(hint)axes: \(axisKeys.joined(separator: ", "))",
                                 expected: "an expression of the axis keys")
            }
            i = j
        }
        guard !used.isEmpty else {
            throw node.error("names no axis of the sweep", expected: "an expression of the axis keys (\(axisKeys.joined(separator: ", ")))")
        }
        do {
            return (used, try ExpressionFormula(String(substituted), variables: used.count))
        } catch let error as ExpressionError {
            let column = error.position - 1 < origin.count ? origin[error.position - 1] : characters.count + 1
            let message = error.message.replacingOccurrences(of: "x[i]", with: "an axis key")
                .replacingOccurrences(of: "x\\[[0-9]+\\]", with: "an axis key", options: .regularExpression)
            throw node.error("column \(column): \(message)", expected: "an expression of the axis keys")
        }
    }
}
