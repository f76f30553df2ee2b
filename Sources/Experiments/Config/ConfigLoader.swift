import Foundation
import Yams

/// Reads a config file, applies `--set` overrides and validates it.
public enum ConfigLoader {
    /// A `KEY=VALUE` assignment with a dotted key (`optimizers.0.lr=0.05`, the value read as
    /// YAML) and the command-line option it came from, for error messages.
    public struct Override: Sendable, Equatable {
        public let assignment: String
        public let source: String
        public init(_ assignment: String, source: String = "--set") {
            self.assignment = assignment
            self.source = source
        }
    }

    /// Loads and validates `path` with `overrides` applied in order.
    public static func load(path: String, overrides: [Override] = []) throws -> RunConfig {
        let text = try readText(path)
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let safeName = base.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) }
            && !base.isEmpty && !base.hasPrefix(".")
        return try parse(text: text, file: path, overrides: overrides, defaultName: safeName ? base : "run")
    }

    public static func parse(text: String, file: String, overrides: [Override] = [], defaultName: String = "run") throws -> RunConfig {
        var root = try compose(text, file: file)
        var overridden: [String: String] = [:]
        for override in overrides {
            let (path, value) = try splitAssignment(override.assignment)
            root = try setting(root, path: path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)[...],
                               value: try compose(value, file: "\(override.source) \(path)"), fullPath: path)
            overridden[path] = override.source
        }
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        return try RunConfig(ConfigNode(node: root, path: "", file: file, overridden: overridden), defaultName: defaultName,
                             directory: directory)
    }

    static func readText(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError(file: path, line: nil, key: "", problem: "no such file", expected: "a YAML config file")
        }
        guard !isDirectory.boolValue else {
            throw ConfigError(file: path, line: nil, key: "", problem: "is a directory", expected: "a YAML config file")
        }
        // Read at most the limit (plus one byte to notice more): /dev/zero, /dev/urandom or a
        // huge file must be refused, not read until memory runs out.
        let limit = 16 << 20
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ConfigError(file: path, line: nil, key: "", problem: "cannot be read", expected: "a readable YAML config file")
        }
        defer { try? handle.close() }
        var data = Data()
        do {
            while data.count <= limit, let chunk = try handle.read(upToCount: Swift.min(1 << 20, limit + 1 - data.count)), !chunk.isEmpty {
                data.append(chunk)
            }
        } catch {
            throw ConfigError(file: path, line: nil, key: "", problem: "cannot be read (\(error.localizedDescription))",
                              expected: "a readable YAML config file")
        }
        guard data.count <= limit else {
            throw ConfigError(file: path, line: nil, key: "", problem: "is larger than 16 MiB", expected: "a config under 16 MiB")
        }
        guard let text = String(data: data, encoding: .utf8), !text.contains("\0") else {
            throw ConfigError(file: path, line: nil, key: "", problem: "is not UTF-8 text", expected: "a YAML config file")
        }
        return text
    }

    static func compose(_ text: String, file: String) throws -> Node {
        try checkAliases(text, file: file)
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return Node.scalar(.init("", .init(.null), .plain))
            }
            return node
        } catch let error as YamlError {
            throw ConfigError(yaml: error, file: file)
        } catch {
            throw ConfigError(file: file, line: nil, key: "", problem: "is not valid YAML (\(error))")
        }
    }

    /// Refuses a text whose YAML aliases could expand exponentially ("billion laughs": ten
    /// anchors each listing the previous one ten times). Yams hashes every mapping key in full,
    /// aliases expanded, so such a 300-byte key kept `validate` busy for hours. A document
    /// of `bytes` bytes with `a` aliases expands to at most about bytes·1.45^a nodes (a
    /// aliases do the most damage three per level), which is kept under 3·10⁶ — about a
    /// second; ordinary configs use a handful of aliases, if any.
    static func checkAliases(_ text: String, file: String) throws {
        let aliases = aliasCount(text)
        guard aliases > 0 else { return }
        let bytes = Double(Swift.max(text.utf8.count, 1)), budget = 3e6
        guard bytes * pow(1.45, Double(aliases)) > budget else { return }
        let allowed = Swift.max(0, Int((log(budget / bytes) / log(1.45)).rounded(.down)))
        throw ConfigError(file: file, line: nil, key: "",
                          problem: "has \(aliases) YAML aliases (*name) in \(Int(bytes)) bytes, which could expand exponentially",
                          expected: "at most \(allowed) aliases in a file of this size; write repeated values out")
    }

    /// The number of `*name` alias tokens, counted generously: a `*` at the start of a token
    /// followed by a name character, wherever it is (quoted text and comments included, so
    /// that no alias escapes the count).
    static func aliasCount(_ text: String) -> Int {
        var count = 0
        var previous: UInt8 = 0x0A
        var star = false
        for byte in text.utf8 {
            if star, !" \t\r\n,[]{}".utf8.contains(byte) { count += 1 }
            star = byte == UInt8(ascii: "*") && " \t\r\n[{,:?-".utf8.contains(previous)
            previous = byte
        }
        return count
    }

    static func splitAssignment(_ assignment: String) throws -> (String, String) {
        guard let equals = assignment.firstIndex(of: "=") else {
            throw ConfigError(file: "--set", line: nil, key: assignment, problem: "has no '='", expected: "KEY=VALUE, e.g. optimizers.0.lr=0.05")
        }
        let key = String(assignment[..<equals]), value = String(assignment[assignment.index(after: equals)...])
        let components = key.split(separator: ".", omittingEmptySubsequences: false)
        guard !key.isEmpty, !components.contains(where: \.isEmpty) else {
            throw ConfigError(file: "--set", line: nil, key: key, problem: "is not a dotted key", expected: "KEY=VALUE, e.g. optimizers.0.lr=0.05")
        }
        return (key, value)
    }

    static func setting(_ node: Node, path: ArraySlice<String>, value: Node, fullPath: String) throws -> Node {
        guard let component = path.first else { return value }
        let rest = path.dropFirst()
        switch node {
        case .mapping(let mapping):
            var pairs = mapping.map { ($0.key, $0.value) }
            if let i = pairs.firstIndex(where: { $0.0.string == component }) {
                pairs[i].1 = try setting(pairs[i].1, path: rest, value: value, fullPath: fullPath)
            } else {
                let empty = Node.mapping(.init([]))
                pairs.append((Node(component), try setting(empty, path: rest, value: value, fullPath: fullPath)))
            }
            return .mapping(.init(pairs, mapping.tag, mapping.style, mapping.mark))
        case .sequence(let sequence):
            var items = Array(sequence)
            guard let index = Int(component), index >= 0, index < items.count else {
                throw ConfigError(file: "--set", line: nil, key: fullPath,
                                  problem: "'\(component)' is not an index of a list with \(items.count) entries",
                                  expected: "an index in 0..<\(items.count)")
            }
            items[index] = try setting(items[index], path: rest, value: value, fullPath: fullPath)
            return .sequence(.init(items, sequence.tag, sequence.style, sequence.mark))
        case .scalar(let s) where s.string.isEmpty || s.string == "~" || s.string == "null":
            return try setting(.mapping(.init([])), path: path, value: value, fullPath: fullPath)
        default:
            throw ConfigError(file: "--set", line: nil, key: fullPath, problem: "goes inside a value that is not a mapping or list",
                              expected: "a key path that exists in the config")
        }
    }
}

extension ConfigError {
    init(yaml error: YamlError, file: String) {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let where_ = context.map { " \($0.text)" } ?? ""
            self.init(file: file, line: mark.line, key: "", problem: "is not valid YAML: \(problem)\(where_) at column \(mark.column)")
        case let .duplicatedKeysInMapping(duplicates, context):
            self.init(file: file, line: context.mark.line, key: duplicates.sorted().joined(separator: ", "),
                      problem: "duplicated key", expected: "each key once per mapping")
        default:
            self.init(file: file, line: nil, key: "", problem: "is not valid YAML (\(error))")
        }
    }
}
