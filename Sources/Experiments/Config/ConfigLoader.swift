import Foundation
import Simulation
import Yams

/// Reads a config file, applies `--set` overrides and validates it.
public enum ConfigLoader {
    /// The top-level key of a sweep's grid (`SweepConfig`); a run reads the config without it.
    public static let sweepKey = "sweep"

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
        try parse(text: try readText(path), file: path, overrides: overrides, defaultName: defaultName(path: path))
    }

    /// Whether the file is a sweep config (has a `sweep:` block); false for anything that is
    /// not a readable YAML mapping (loading it reports why).
    public static func isSweep(path: String) -> Bool {
        guard let text = try? readText(path), let root = try? compose(text, file: path) else { return false }
        return sweepBlock(of: root) != nil
    }

    /// Validates a config document; its entries are looked up in `catalogue` (a test may
    /// extend the standard one with entries of its own).
    public static func parse(text: String, file: String, overrides: [Override] = [], defaultName: String = "run",
                             catalogue: Catalogue = .standard) throws -> RunConfig {
        // A sweep config read as a run config is the config without its sweep: block (the
        // command line warns that the block is ignored).
        let root = withoutSweepBlock(try compose(text, file: file))
        let (document, overridden) = try applying(overrides, to: root)
        return try build(document, file: file, overridden: overridden, defaultName: defaultName, catalogue: catalogue)
    }

    /// The default name of a run read from `path`: the file's base name when it is file-safe.
    static func defaultName(path: String) -> String {
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let safeName = base.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) }
            && !base.isEmpty && !base.hasPrefix(".")
        return safeName ? base : "run"
    }

    /// The document with `overrides` applied in order, and the key paths they set with the
    /// option that set each (for error messages).
    static func applying(_ overrides: [Override], to root: Node,
                         overridden initial: [String: String] = [:]) throws -> (Node, [String: String]) {
        var root = root, overridden = initial
        for override in overrides {
            let (path, value) = try splitAssignment(override.assignment)
            root = try setting(root, path: components(path)[...], value: try compose(value, file: "\(override.source) \(path)"),
                               fullPath: path, source: override.source)
            overridden[path] = override.source
        }
        return (root, overridden)
    }

    /// Validates a composed document (overrides applied) into a config.
    static func build(_ root: Node, file: String, overridden: [String: String], defaultName: String,
                      catalogue: Catalogue = .standard) throws -> RunConfig {
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        return try RunConfig(ConfigNode(node: root, path: "", file: file, overridden: overridden), defaultName: defaultName,
                             directory: directory, catalogue: catalogue)
    }

    static func components(_ dottedKey: String) -> [String] {
        dottedKey.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    /// The `sweep:` entry of the top-level mapping (key and value), if there is one.
    static func sweepBlock(of root: Node) -> (key: Node, value: Node)? {
        guard case .mapping(let mapping) = root else { return nil }
        return mapping.first { $0.key.string == sweepKey }.map { ($0.key, $0.value) }
    }

    /// The top-level mapping without its `sweep:` entry.
    static func withoutSweepBlock(_ root: Node) -> Node {
        guard case .mapping(let mapping) = root else { return root }
        let pairs = mapping.filter { $0.key.string != sweepKey }.map { ($0.key, $0.value) }
        return .mapping(.init(pairs, mapping.tag, mapping.style, mapping.mark))
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

    /// The document with the value at `path` replaced (created in mappings that lack it);
    /// errors name `fullPath` and come from `source` (`--set`, a sweep point).
    static func setting(_ node: Node, path: ArraySlice<String>, value: Node, fullPath: String, source: String) throws -> Node {
        guard let component = path.first else { return value }
        let rest = path.dropFirst()
        switch node {
        case .mapping(let mapping):
            var pairs = mapping.map { ($0.key, $0.value) }
            if let i = pairs.firstIndex(where: { $0.0.string == component }) {
                pairs[i].1 = try setting(pairs[i].1, path: rest, value: value, fullPath: fullPath, source: source)
            } else {
                let empty = Node.mapping(.init([]))
                pairs.append((Node(component), try setting(empty, path: rest, value: value, fullPath: fullPath, source: source)))
            }
            return .mapping(.init(pairs, mapping.tag, mapping.style, mapping.mark))
        case .sequence(let sequence):
            var items = Array(sequence)
            guard let index = Int(component), index >= 0, index < items.count else {
                throw ConfigError(file: source, line: nil, key: fullPath,
                                  problem: "'\(component)' is not an index of a list with \(items.count) entries",
                                  expected: "an index in 0..<\(items.count)")
            }
            items[index] = try setting(items[index], path: rest, value: value, fullPath: fullPath, source: source)
            return .sequence(.init(items, sequence.tag, sequence.style, sequence.mark))
        case .scalar(let s) where s.string.isEmpty || s.string == "~" || s.string == "null":
            return try setting(.mapping(.init([])), path: path, value: value, fullPath: fullPath, source: source)
        default:
            throw ConfigError(file: source, line: nil, key: fullPath, problem: "goes inside a value that is not a mapping or list",
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
