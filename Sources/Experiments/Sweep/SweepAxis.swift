import Foundation
import Yams

/// One value of a swept key: the YAML node that replaces the config's value, how it is
/// written in sweep.csv, and its number when it is one.
public struct SweepValue {
    let node: Node
    /// The value as sweep.csv and the progress lines show it (a generated number in its
    /// shortest round-trip form, an integer without ".0").
    public let text: String
    /// The value as a number, when it is a numeric scalar.
    public let number: Double?

    init(node: Node) {
        self.node = node
        text = Self.render(node)
        if case .scalar(let s) = node, s.style == .plain, let x = Double(s.string.replacingOccurrences(of: "_", with: "")),
           x.isFinite {
            number = x
        } else {
            number = nil
        }
    }

    init(generated x: Double) {
        let text = x == x.rounded() && Swift.abs(x) < 1e15 ? String(Int(x)) : "\(x)"
        self.init(node: Node.scalar(.init(text, .implicit, .plain)))
    }

    /// The value as it would follow `KEY=` of `--set` (flow YAML).
    var yaml: String { text }

    /// Flow-style text of a node: scalars as written, lists as [a, b], mappings as {k: v}.
    static func render(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return s.style == .plain ? s.string : "'\(s.string.replacingOccurrences(of: "'", with: "''"))'"
        case .sequence(let items): return "[" + items.map(render).joined(separator: ", ") + "]"
        case .mapping(let m): return "{" + m.map { "\(render($0.key)): \(render($0.value))" }.joined(separator: ", ") + "}"
        case .alias: return "*alias"
        }
    }
}

/// One product axis of a sweep: a single key, or a `zip:` group of keys varied together.
/// `values[i][j]` is key j's value at the axis's i-th position.
public struct SweepAxis {
    public enum Spacing: Sendable, Equatable {
        /// `{log: [a, b, n]}`
        case log
        /// `{linear: [a, b, n]}`
        case linear
        /// A list as written.
        case list
    }

    public let keys: [String]
    public let values: [[SweepValue]]
    /// How the first key's values were given (the figure's x axis).
    public let spacing: Spacing

    public var count: Int { values.count }

    /// Whether the first key's values call for a log axis: `{log: …}`, or a list of positive
    /// numbers whose gaps are more even in log than in linear scale (for two values: a
    /// ratio of at least 20).
    public var isLogSpaced: Bool {
        switch spacing {
        case .log: return true
        case .linear: return false
        case .list:
            let numbers = values.compactMap { $0.first?.number }
            guard numbers.count == values.count, numbers.count >= 2, numbers.allSatisfy({ $0 > 0 }) else { return false }
            let sorted = numbers.sorted()
            if sorted.count == 2 { return sorted[1] / sorted[0] >= 20 }
            func unevenness(_ v: [Double]) -> Double {
                let gaps = zip(v, v.dropFirst()).map { $1 - $0 }
                guard let lo = gaps.min(), let hi = gaps.max(), lo > 0 else { return .infinity }
                return hi / lo
            }
            return unevenness(sorted.map { Foundation.log($0) }) < unevenness(sorted)
        }
    }

    /// The values of a key: a non-empty list, `{log: [a, b, n]}` (n values from a to b,
    /// evenly spaced in log, a, b > 0) or `{linear: [a, b, n]}` (evenly spaced); the end
    /// points are exact, the others rounded to 12 significant digits.
    static func values(_ node: ConfigNode) throws -> (values: [SweepValue], spacing: Spacing) {
        let expected = "a list of values, {log: [a, b, n]} or {linear: [a, b, n]}"
        switch node.node {
        case .sequence:
            let items = try node.sequence()
            guard !items.isEmpty else { throw node.error("is an empty list", expected: "at least one value") }
            guard items.count <= SweepConfig.maximumPoints else {
                throw node.error("has \(items.count) values", expected: "at most \(SweepConfig.maximumPoints)")
            }
            return (items.map { SweepValue(node: $0.node) }, .list)
        case .mapping:
            let range = try node.mapping(allowed: ["log", "linear"])
            guard range.entries.count == 1, let (kind, triple) = range.entries.first else {
                throw node.error("has \(range.entries.count) ranges", expected: "one of {log: [a, b, n]} or {linear: [a, b, n]}")
            }
            let parts = try triple.sequence()
            guard parts.count == 3 else { throw triple.error("has \(parts.count) entries", expected: "[a, b, n]: from a to b in n values") }
            let log = kind == "log"
            let positive = "a finite number > 0 (a log range)"
            let a = try log ? parts[0].finite(positive) { $0 > 0 } : parts[0].finite()
            let b = try log ? parts[1].finite(positive) { $0 > 0 } : parts[1].finite()
            let n = try parts[2].integer("a number of values in 1...\(SweepConfig.maximumPoints)") {
                $0 >= 1 && $0 <= SweepConfig.maximumPoints
            }
            let values = (0..<n).map { i -> Double in
                if i == 0 { return a }
                if i == n - 1 { return b }
                let f = Double(i) / Double(n - 1)
                let x = log ? Foundation.exp(Foundation.log(a) + f * (Foundation.log(b) - Foundation.log(a))) : a + f * (b - a)
                // 12 significant digits: 0.05, not 0.05000000000000001.
                return Double(String(format: "%.12g", x)) ?? x
            }
            return (values.map { SweepValue(generated: $0) }, log ? .log : .linear)
        default:
            throw node.error("is a single value \(node.kind)", expected: expected)
        }
    }
}
