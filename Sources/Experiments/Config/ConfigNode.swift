import Foundation
import Yams

/// A node of the config document with its dotted key path, for typed, located reads.
///
/// Every read checks the type and range of the value and throws a `ConfigError` naming the
/// file, the line, the key and what was expected. Mappings reject unknown keys, suggesting
/// the nearest known one.
struct ConfigNode {
    let node: Node
    let path: String
    let file: String
    /// Key paths whose values came from the command line, with the option that set them
    /// (`--set`, `--chains` …), reported as such instead of by line.
    let overridden: [String: String]

    private var overrideSource: String? {
        overridden.first { path == $0.key || path.hasPrefix($0.key + ".") }?.value
    }
    var line: Int? { overrideSource == nil ? node.mark?.line : nil }
    var location: String { overrideSource ?? file }

    func error(_ problem: String, expected: String? = nil) -> ConfigError {
        ConfigError(file: location, line: line, key: path, problem: problem, expected: expected)
    }

    func child(_ node: Node, _ component: String) -> ConfigNode {
        ConfigNode(node: node, path: path.isEmpty ? component : "\(path).\(component)", file: file, overridden: overridden)
    }

    // MARK: structure

    /// The entries of a mapping, after checking every key is one of `allowed`.
    func mapping(allowed: [String]) throws -> Mapping {
        guard case .mapping(let m) = node else {
            throw error("is \(kind)", expected: "a mapping with keys \(allowed.joined(separator: ", "))")
        }
        var entries: [(String, ConfigNode)] = []
        for (keyNode, value) in m {
            guard case .scalar(let scalar) = keyNode else {
                throw error("has a key that is not a plain name", expected: "keys among \(allowed.joined(separator: ", "))")
            }
            let key = scalar.string
            let entry = child(value, key)
            guard allowed.contains(key) else {
                let hint = suggestion(for: key, among: allowed).map { "did you mean '\($0)'?" }
                    ?? "known keys: \(allowed.joined(separator: ", "))"
                throw ConfigError(file: entry.location, line: keyNode.mark?.line ?? entry.line, key: entry.path,
                                  problem: "unknown key; \(hint)")
            }
            entries.append((key, entry))
        }
        return Mapping(owner: self, entries: entries)
    }

    /// The entries of a mapping whose keys are data, not names from a schema (a sweep's
    /// axes): every key a plain scalar, in document order.
    func entries(expected: String) throws -> [(String, ConfigNode)] {
        guard case .mapping(let m) = node else { throw error("is \(kind)", expected: expected) }
        return try m.map { keyNode, value in
            guard case .scalar(let scalar) = keyNode, !scalar.string.isEmpty else {
                throw error("has a key that is not a plain name", expected: expected)
            }
            return (scalar.string, child(value, scalar.string))
        }
    }

    /// The value of `key` when this is a mapping that has it, without checking other keys.
    func peek(_ key: String) -> ConfigNode? {
        guard case .mapping(let m) = node else { return nil }
        for (keyNode, value) in m where keyNode.string == key { return child(value, key) }
        return nil
    }

    func sequence() throws -> [ConfigNode] {
        guard case .sequence(let s) = node else { throw error("is \(kind)", expected: "a list") }
        return s.enumerated().map { child($1, String($0)) }
    }

    var kind: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let s):
            if isNull { return "empty" }
            return "'\(s.string.prefix(40))'"
        }
    }

    var isNull: Bool {
        if case .scalar(let s) = node {
            return s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)
        }
        return false
    }

    // MARK: scalars

    func double() throws -> Double {
        guard case .scalar(let s) = node, s.style == .plain, !isNull else {
            throw error("is \(kind)", expected: "a number")
        }
        let text = s.string.replacingOccurrences(of: "_", with: "")
        switch text.lowercased() {
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        case ".nan": return .nan
        default: break
        }
        guard let value = Double(text), text.lowercased() != "inf", text.lowercased() != "nan",
              !text.lowercased().contains("infinity") else {
            throw error("is \(kind)", expected: "a number")
        }
        return value
    }

    /// A finite number satisfying `valid`, described by `expected`.
    func finite(_ expected: String = "a finite number", _ valid: (Double) -> Bool = { _ in true }) throws -> Double {
        let value = try double()
        guard value.isFinite, valid(value) else { throw error("is \(kind)", expected: expected) }
        return value
    }

    func integer(_ expected: String = "an integer", _ valid: (Int) -> Bool = { _ in true }) throws -> Int {
        guard case .scalar(let s) = node, s.style == .plain, !isNull else { throw error("is \(kind)", expected: expected) }
        let text = s.string.replacingOccurrences(of: "_", with: "")
        if let value = Int(text), valid(value) { return value }
        // 1.0e6 style integers are accepted when exact.
        if let d = Double(text), d.isFinite, d == d.rounded(), Swift.abs(d) < 9.0e15, valid(Int(d)) { return Int(d) }
        throw error("is \(kind)", expected: expected)
    }

    func unsigned(_ expected: String = "an integer in 0...18446744073709551615") throws -> UInt64 {
        guard case .scalar(let s) = node, s.style == .plain, !isNull,
              let value = UInt64(s.string.replacingOccurrences(of: "_", with: "")) else {
            throw error("is \(kind)", expected: expected)
        }
        return value
    }

    func bool() throws -> Bool {
        guard case .scalar(let s) = node, s.style == .plain else { throw error("is \(kind)", expected: "true or false") }
        switch s.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("is \(kind)", expected: "true or false")
        }
    }

    func string() throws -> String {
        guard case .scalar(let s) = node, !isNull else { throw error("is \(kind)", expected: "a string") }
        return s.string
    }

    func choice(_ options: [String]) throws -> String {
        let value = try string()
        guard options.contains(value) else {
            let hint = suggestion(for: value, among: options).map { "; did you mean '\($0)'?" } ?? ""
            throw error("'\(value.prefix(40))' is not known\(hint)", expected: "one of \(options.joined(separator: ", "))")
        }
        return value
    }

    /// A list of finite numbers, of length `count` when given.
    func vector(count: Int? = nil, expected: String = "finite numbers", _ valid: (Double) -> Bool = { _ in true }) throws -> [Double] {
        let items = try sequence()
        if let count, items.count != count {
            throw error("has \(items.count) entries", expected: "\(count) \(expected) (one per coordinate)")
        }
        if items.isEmpty { throw error("is an empty list", expected: "a list of \(expected)") }
        return try items.map { try $0.finite(expected, valid) }
    }

    /// A scalar broadcast to `count` entries, or a list of exactly `count`.
    func scalarOrVector(count: Int, expected: String, _ valid: (Double) -> Bool) throws -> [Double] {
        if case .sequence = node { return try vector(count: count, expected: expected, valid) }
        let value = try finite(expected, valid)
        return [Double](repeating: value, count: count)
    }

    /// A square matrix (list of rows) of finite numbers, row-major; `size` when given.
    func squareMatrix(size: Int?) throws -> [Double] {
        let rows = try sequence()
        guard !rows.isEmpty else { throw error("is an empty list", expected: "a square matrix (list of rows)") }
        let n = size ?? rows.count
        guard rows.count == n else { throw error("has \(rows.count) rows", expected: "\(n) rows (a \(n)×\(n) matrix)") }
        var values: [Double] = []
        for row in rows { values += try row.vector(count: n, expected: "numbers per row") }
        return values
    }

    /// A checked mapping: entries in document order, each read at most once.
    struct Mapping {
        let owner: ConfigNode
        let entries: [(String, ConfigNode)]

        subscript(_ key: String) -> ConfigNode? {
            entries.first { $0.0 == key }.flatMap { $0.1.isNull ? nil : $0.1 }
        }

        func has(_ key: String) -> Bool { self[key] != nil }

        func required(_ key: String, expected: String) throws -> ConfigNode {
            guard let node = self[key] else {
                throw owner.error("is missing key '\(key)'", expected: expected)
            }
            return node
        }
    }
}
