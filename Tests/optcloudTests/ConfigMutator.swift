import Experiments
import Foundation
import Simulation
import Yams

// The deterministic input generator of the fuzz tests (issue 6, "Every input answered").
//
// Case `n` of stream `s` is a pure function of (s, n) and of the seed configs: its own
// SplitMix64 generator is seeded from them, so any case can be regenerated alone
// (`OPTCLOUD_FUZZ_CASE=n`) and printed. A case is a valid seed config whose run lengths are
// first shrunk (so an accidentally valid mutant runs in milliseconds), then mutated on its
// YAML tree (drop, duplicate, rename or add keys; swap a value's type; extreme, NaN, ±inf or
// nudged numbers; odd strings; longer, shorter, empty or nested lists; catalogue fragments
// grafted in; block ↔ flow ↔ quoted styles), re-serialised with Yams and, in a fraction of the
// cases, mutated as raw bytes (truncation, byte flips, binary garbage, unicode and YAML
// syntax insertions, duplicated or deleted lines, deep nesting, anchors and aliases).

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and the same on every platform.
struct SplitMix64 {
    private(set) var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n (n ≥ 1); the modulo bias is irrelevant here.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

    mutating func int(in range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) * 0x1p-53 < p }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// The generator of case `number` of `stream`.
    static func forCase(_ number: Int, stream: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: stream &* 0xD1B5_4A32_D192_ED03 ^ UInt64(truncatingIfNeeded: number))
        return SplitMix64(seed: mixer.next())
    }
}

/// One generated config file.
struct FuzzInput {
    let stream: UInt64
    let number: Int
    let seed: String
    var mutations: [String]
    var bytes: Data

    /// How to reproduce and what the input is, for failure messages.
    var report: String {
        "case \(number) of stream \(stream) (OPTCLOUD_FUZZ_CASE=\(number)), seed config '\(seed)', mutations: "
            + mutations.joined(separator: "; ") + "\n----- input (\(bytes.count) bytes, control bytes escaped) -----\n"
            + FuzzInput.printable(bytes) + "\n----- end of input -----"
    }

    static func printable(_ data: Data, limit: Int = 6000) -> String {
        var text = ""
        for scalar in String(decoding: data.prefix(limit), as: UTF8.self).unicodeScalars {
            switch scalar {
            case "\n": text += "\n"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{FFFD}" || scalar == "\u{2028}" || scalar == "\u{2029}":
                text += "\\u{\(String(scalar.value, radix: 16))}"
            default: text.unicodeScalars.append(scalar)
            }
        }
        return data.count > limit ? text + "… (\(data.count - limit) more bytes)" : text
    }
}

struct ConfigMutator {
    struct Seed {
        let name: String
        let text: String
        let root: Node
    }

    /// The package's root directory (the fuzz tests run from the source tree).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    let seeds: [Seed]
    let fragments: [Node]
    /// Whether device and /proc paths may appear as values (only for tests that run the
    /// executable in a separate process, under a time and memory limit).
    let allowSpecialFiles: Bool

    init(allowSpecialFiles: Bool = false) throws {
        self.allowSpecialFiles = allowSpecialFiles
        var named: [(String, String)] = []
        let configs = Self.packageRoot.appendingPathComponent("configs")
        for file in try FileManager.default.contentsOfDirectory(atPath: configs.path).filter({ $0.hasSuffix(".yaml") }).sorted() {
            named.append(("configs/\(file)", try String(contentsOf: configs.appendingPathComponent(file), encoding: .utf8)))
        }
        let testConfigs = Self.packageRoot.appendingPathComponent("Tests/optcloudTests/Configs")
        for file in ["minimal.yaml", "small.yaml"] {
            named.append(("Tests/optcloudTests/Configs/\(file)",
                          try String(contentsOf: testConfigs.appendingPathComponent(file), encoding: .utf8)))
        }
        named += Self.extraSeeds
        seeds = try named.map { name, text in
            guard let root = try Yams.compose(yaml: text) else { throw FuzzSetupError("seed \(name) is empty") }
            return Seed(name: name, text: text, root: root)
        }
        fragments = try Self.fragmentTexts.map { text in
            guard let node = try Yams.compose(yaml: text) else { throw FuzzSetupError("fragment \(text) is empty") }
            return node
        }
    }

    struct FuzzSetupError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: cases

    /// Case `number` of `stream`: `treeMutations` tree edits, then raw-byte edits with
    /// probability `textChance`.
    /// With probability `extremeChance` the only edit is one number set to an extreme
    /// (`extremes`): such mutants are mostly valid, and reach the engine.
    func input(_ number: Int, stream: UInt64, treeMutations: ClosedRange<Int> = 1...3, textChance: Double = 0.3,
               extremeChance: Double = 0) -> FuzzInput {
        var rng = SplitMix64.forCase(number, stream: stream)
        let seed = rng.pick(seeds)
        var log: [String] = []
        var root = shrink(seed.root, rng: &rng)
        var textChance = textChance
        let numbers = paths(root).filter { Double(($0.1.string ?? "").replacingOccurrences(of: "_", with: "")) != nil }
        if rng.chance(extremeChance), !numbers.isEmpty {
            let (path, old) = rng.pick(numbers)
            let text = rng.pick(Self.extremes)
            log.append("number \(describe(path, in: root)) = \(old.string ?? "?") → \(text)")
            root = modify(root, at: path[...]) { _ in self.plain(text) }
            textChance = 0
        } else {
            // Mostly one edit, so that a good share of the mutants stays valid and reaches the
            // deeper checks; sometimes up to the upper bound.
            let count = rng.chance(0.6) ? treeMutations.lowerBound : rng.int(in: treeMutations)
            for _ in 0..<count {
                root = mutateTree(root, rng: &rng, log: &log)
            }
        }
        var bytes: [UInt8]
        do {
            bytes = Array(try Yams.serialize(node: root, allowUnicode: rng.chance(0.5)).utf8)
        } catch {
            // Yams refuses to emit some trees; the mutant's text is then the seed's.
            log.append("(the mutated tree could not be serialised: \(error); the seed text is used)")
            bytes = Array(seed.text.utf8)
        }
        if rng.chance(textChance) {
            let textEdits = rng.chance(0.8) ? 1 : rng.int(in: 2...4)
            for _ in 0..<textEdits { bytes = mutateBytes(bytes, rng: &rng, log: &log) }
        }
        if log.isEmpty { log.append("none") }
        return FuzzInput(stream: stream, number: number, seed: seed.name, mutations: log, bytes: Data(bytes))
    }

    /// Values at the edges of the doubles and of the integer ranges.
    static let extremes = ["5e-324", "-5e-324", "1e-320", "1e150", "1e308", "-1e308", "1.7976931348623157e308", "0", "4294967295",
                           ".nan", "-.inf"]

    /// Every number of every (shrunk) seed set to each of `extremes`, one at a time: the
    /// systematic counterpart of the random cases. Case n is the n-th of this list.
    func extremeInputs(stream: UInt64) -> [FuzzInput] {
        var inputs: [FuzzInput] = []
        for (s, seed) in seeds.enumerated() {
            var rng = SplitMix64.forCase(s, stream: stream)
            let root = shrink(seed.root, rng: &rng)
            for (path, old) in paths(root) where Double((old.string ?? "").replacingOccurrences(of: "_", with: "")) != nil {
                for text in Self.extremes {
                    let mutant = modify(root, at: path[...]) { _ in self.plain(text) }
                    let bytes = (try? Yams.serialize(node: mutant)).map { Data($0.utf8) } ?? Data(seed.text.utf8)
                    inputs.append(FuzzInput(stream: stream, number: inputs.count, seed: seed.name,
                                            mutations: ["number \(describe(path, in: root)) = \(old.string ?? "?") → \(text)"], bytes: bytes))
                }
            }
        }
        return inputs
    }

    // MARK: shrinking

    /// Small run lengths, so that a mutant that is still valid runs in milliseconds.
    func shrink(_ root: Node, rng: inout SplitMix64) -> Node {
        guard case .mapping(let mapping) = root else { return root }
        var pairs = mapping.map { ($0.key, $0.value) }
        let small: [(String, String)] = [("chains", "16"), ("steps", "20"), ("burn_in", "10")]
        for (key, value) in small {
            if let i = pairs.firstIndex(where: { $0.0.string == key }) {
                pairs[i].1 = plain(value)
            } else if rng.chance(0.7) {
                pairs.append((plain(key), plain(value)))
            }
        }
        if let i = pairs.firstIndex(where: { $0.0.string == "thin" }) { pairs[i].1 = plain("2") }
        return .mapping(.init(pairs, mapping.tag, mapping.style))
    }

    // MARK: tree mutations

    enum Step { case key(Int), index(Int) }

    /// Every node with its path, the root included.
    func paths(_ node: Node, prefix: [Step] = []) -> [([Step], Node)] {
        var all: [([Step], Node)] = [(prefix, node)]
        switch node {
        case .mapping(let m):
            for (i, pair) in m.enumerated() { all += paths(pair.value, prefix: prefix + [.key(i)]) }
        case .sequence(let s):
            for (i, item) in s.enumerated() { all += paths(item, prefix: prefix + [.index(i)]) }
        default: break
        }
        return all
    }

    /// `node` with the node at `path` replaced by `change(node)`.
    func modify(_ node: Node, at path: ArraySlice<[Step].Element>, _ change: (Node) -> Node) -> Node {
        guard let step = path.first else { return change(node) }
        switch (node, step) {
        case (.mapping(let m), .key(let i)):
            var pairs = m.map { ($0.key, $0.value) }
            pairs[i].1 = modify(pairs[i].1, at: path.dropFirst(), change)
            return .mapping(.init(pairs, m.tag, m.style))
        case (.sequence(let s), .index(let i)):
            var items = Array(s)
            items[i] = modify(items[i], at: path.dropFirst(), change)
            return .sequence(.init(items, s.tag, s.style))
        default:
            return node
        }
    }

    func describe(_ path: [Step], in root: Node) -> String {
        var node = root, parts: [String] = []
        for step in path {
            switch (node, step) {
            case (.mapping(let m), .key(let i)):
                let pair = m[m.index(m.startIndex, offsetBy: i)]
                parts.append(pair.key.string ?? "<non-scalar key>")
                node = pair.value
            case (.sequence(let s), .index(let i)):
                parts.append(String(i))
                node = s[s.index(s.startIndex, offsetBy: i)]
            default: break
            }
        }
        return parts.isEmpty ? "<root>" : parts.joined(separator: ".")
    }

    func plain(_ text: String) -> Node { .scalar(.init(text, .implicit, .plain)) }

    func mutateTree(_ root: Node, rng: inout SplitMix64, log: inout [String]) -> Node {
        let all = paths(root)
        let mappings = all.filter { if case .mapping = $0.1 { return true } else { return false } }
        let sequences = all.filter { if case .sequence = $0.1 { return true } else { return false } }
        let scalars = all.filter { if case .scalar = $0.1 { return true } else { return false } }
        let numbers = scalars.filter { Double(($0.1.string ?? "").replacingOccurrences(of: "_", with: "")) != nil }
        let strings = scalars.filter { Double(($0.1.string ?? "").replacingOccurrences(of: "_", with: "")) == nil }

        let roll = rng.below(100)
        switch roll {
        case 0..<9 where !mappings.isEmpty:
            let (path, _) = rng.pick(mappings)
            return editMapping(root, at: path, rng: &rng, log: &log) { pairs, rng in
                guard !pairs.isEmpty else { return ("drop a key of an empty mapping (no-op)", pairs) }
                let i = rng.below(pairs.count)
                let key = pairs[i].0.string ?? "?"
                var pairs = pairs
                pairs.remove(at: i)
                return ("drop key '\(key)'", pairs)
            }
        case 9..<15 where !mappings.isEmpty:
            let (path, _) = rng.pick(mappings)
            return editMapping(root, at: path, rng: &rng, log: &log) { pairs, rng in
                guard !pairs.isEmpty else { return ("duplicate a key of an empty mapping (no-op)", pairs) }
                let i = rng.below(pairs.count)
                var pairs = pairs
                let key = pairs[i].0
                let value = rng.chance(0.5) ? pairs[i].1 : self.randomValue(&rng)
                pairs.insert((key, value), at: rng.int(in: 0...pairs.count))
                return ("duplicate key '\(key.string ?? "?")' with value \(self.show(value))", pairs)
            }
        case 15..<22 where !mappings.isEmpty:
            let (path, _) = rng.pick(mappings)
            return editMapping(root, at: path, rng: &rng, log: &log) { pairs, rng in
                guard !pairs.isEmpty else { return ("rename a key of an empty mapping (no-op)", pairs) }
                let i = rng.below(pairs.count)
                var pairs = pairs
                let old = pairs[i].0.string ?? "?"
                let key: Node
                if rng.chance(0.12) {
                    key = rng.chance(0.5) ? .sequence(.init([self.plain("a"), self.plain("b")], .implicit, .flow))
                        : .mapping(.init([(self.plain("k"), self.plain("v"))], .implicit, .flow))
                } else {
                    key = .scalar(.init(self.mangledKey(old, &rng)))
                }
                pairs[i].0 = key
                return ("rename key '\(old)' to \(self.show(key))", pairs)
            }
        case 22..<30 where !mappings.isEmpty:
            let (path, _) = rng.pick(mappings)
            return editMapping(root, at: path, rng: &rng, log: &log) { pairs, rng in
                let key = rng.pick(Self.knownKeys)
                let value = self.randomValue(&rng)
                var pairs = pairs
                pairs.insert((self.plain(key), value), at: rng.int(in: 0...pairs.count))
                return ("add key '\(key)': \(self.show(value))", pairs)
            }
        case 30..<42:
            let (path, old) = rng.pick(all)
            let value = randomValue(&rng, not: old)
            log.append("replace \(describe(path, in: root)) (\(show(old))) by \(show(value))")
            return modify(root, at: path[...]) { _ in value }
        case 42..<58 where !numbers.isEmpty:
            let (path, old) = rng.pick(numbers)
            let text = rng.chance(0.5) ? rng.pick(Self.numberPool) : nudged(old.string ?? "0", &rng)
            log.append("number \(describe(path, in: root)) = \(old.string ?? "?") → \(text)")
            return modify(root, at: path[...]) { _ in self.plain(text) }
        case 58..<66 where !strings.isEmpty:
            let (path, old) = rng.pick(strings)
            let text = rng.chance(0.3) ? mangledKey(old.string ?? "", &rng) : randomString(&rng)
            log.append("string \(describe(path, in: root)) = '\(old.string ?? "?")' → \(show(.scalar(.init(text))))")
            return modify(root, at: path[...]) { _ in .scalar(.init(text)) }
        case 66..<78 where !sequences.isEmpty:
            let (path, old) = rng.pick(sequences)
            guard case .sequence(let s) = old else { return root }
            var items = Array(s)
            let what: String
            switch rng.below(7) {
            case 0, 1:
                let extra = rng.int(in: 1...3)
                for _ in 0..<extra {
                    let item = items.isEmpty || rng.chance(0.3) ? plain(rng.pick(["1", "0.5", "-1", "2"])) : rng.pick(items)
                    items.insert(item, at: rng.int(in: 0...items.count))
                }
                what = "add \(extra) entries"
            case 2, 3:
                if !items.isEmpty { items.remove(at: rng.below(items.count)) }
                what = "remove an entry"
            case 4:
                items = []
                what = "empty the list"
            case 5:
                items = items.map { .sequence(.init([$0], .implicit, .flow)) }
                what = "wrap every entry in a list"
            default:
                // Eigenvalue lists stay short: their O(d³) rotation runs before d ≤ 1000 is
                // checked (known issue K1), which would make a case take minutes.
                let eigenvalues = describe(path, in: root).hasSuffix("eigenvalues")
                let n = rng.pick(eigenvalues ? [5, 50, 300] : [5, 50, 1001])
                items = (0..<n).map { _ in items.isEmpty ? plain("1") : rng.pick(items) }
                what = "resize to \(n) entries"
            }
            log.append("list \(describe(path, in: root)): \(what)")
            return modify(root, at: path[...]) { _ in .sequence(.init(items, s.tag, s.style)) }
        case 78..<88:
            let (path, old) = rng.pick(all)
            let fragment = rng.pick(fragments)
            log.append("graft at \(describe(path, in: root)) (was \(show(old))): \(show(fragment))")
            return modify(root, at: path[...]) { _ in fragment }
        case 88..<96:
            let (path, old) = rng.pick(all)
            let changed: Node
            let what: String
            switch old {
            case .scalar(let s):
                let style = rng.pick([Node.Scalar.Style.singleQuoted, .doubleQuoted, .literal, .folded, .plain])
                changed = .scalar(.init(s.string, .implicit, style))
                what = "scalar style \(style)"
            case .sequence(let s):
                let style: Node.Sequence.Style = s.style == .flow ? .block : .flow
                changed = .sequence(.init(Array(s), s.tag, style))
                what = "list style \(style)"
            case .mapping(let m):
                let style: Node.Mapping.Style = m.style == .flow ? .block : .flow
                changed = .mapping(.init(m.map { ($0.key, $0.value) }, m.tag, style))
                what = "mapping style \(style)"
            case .alias:
                changed = old
                what = "alias (unchanged)"
            }
            log.append("\(what) at \(describe(path, in: root))")
            return modify(root, at: path[...]) { _ in changed }
        case 96..<98:
            let replacement = rng.pick([plain(""), plain("42"), .scalar(.init("just a string")),
                                        .sequence(.init([root], .implicit, .block)), .mapping(.init([])), rng.pick(fragments)])
            log.append("replace the whole document by \(show(replacement))")
            return replacement
        default:
            // Swap two values of the same mapping.
            guard !mappings.isEmpty else { return root }
            let (path, _) = rng.pick(mappings)
            return editMapping(root, at: path, rng: &rng, log: &log) { pairs, rng in
                guard pairs.count >= 2 else { return ("swap values of a small mapping (no-op)", pairs) }
                let i = rng.below(pairs.count), j = rng.below(pairs.count)
                var pairs = pairs
                (pairs[i].1, pairs[j].1) = (pairs[j].1, pairs[i].1)
                return ("swap the values of '\(pairs[i].0.string ?? "?")' and '\(pairs[j].0.string ?? "?")'", pairs)
            }
        }
    }

    /// A mapping edit at `path`, logged with its description and the mapping's path.
    func editMapping(_ root: Node, at path: [Step], rng: inout SplitMix64, log: inout [String],
                     _ edit: ([(Node, Node)], inout SplitMix64) -> (String, [(Node, Node)])) -> Node {
        let where_ = describe(path, in: root)
        return modify(root, at: path[...]) { node in
            guard case .mapping(let m) = node else { return node }
            let (what, pairs) = edit(m.map { ($0.key, $0.value) }, &rng)
            log.append("\(what) in \(where_)")
            return .mapping(.init(pairs, m.tag, m.style))
        }
    }

    func show(_ node: Node) -> String {
        let text = (try? Yams.serialize(node: node, width: -1)) ?? "\(node)"
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: "⏎")
        return line.count > 120 ? String(line.prefix(120)) + "…" : line
    }

    // MARK: values

    static let numberPool = [
        "0", "-0", "1", "-1", "2", "3", "0.5", "-0.5", "0.1", "1.5", "10.5", "0.999999", "1.0000001", "1000", "1001", "10000",
        "1e308", "-1e308", "1.7976931348623157e308", "1e400", "-1e400", "1e+400", "1e-320", "5e-324", "-5e-324", "1e-400",
        ".nan", ".NaN", "NaN", "nan", ".inf", "+.inf", "-.inf", ".Inf", "inf", "-inf", "Infinity", "-Infinity",
        "4294967295", "4294967296", "2147483647", "2147483648", "-2147483649", "9007199254740993", "9.0e15", "9.1e15", "1e16",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "340282366920938463463374607431768211456",
        "1_000", "1__0", "_1", "0x1F", "0o17", "0b101", "017", "1e3", "1.0e6", "1e7", "10000001", "+5", "-+5", "1,5",
        "1e", "e5", "1..2", "1.2.3", ".5", "-.5", "5.", "0.0", "-0.0", "1e-9", "100000", "12345678901234567890",
        "١٢", "１２", "½", "∞", "−1", "1 000", "0xFFFFFFFFFFFFFFFFF",
    ]

    /// A numeric text near `old`: ± 1, negated, scaled, or a hair away.
    func nudged(_ old: String, _ rng: inout SplitMix64) -> String {
        let value = Double(old.replacingOccurrences(of: "_", with: "")) ?? 0
        let isInteger = Int(old.replacingOccurrences(of: "_", with: "")) != nil
        switch rng.below(8) {
        case 0: return isInteger ? String(Int(value) + 1) : String(value + 1)
        case 1: return isInteger ? String(Int(value) - 1) : String(value - 1)
        case 2: return isInteger ? String(-Int(value)) : String(-value)
        case 3: return String(value * 10)
        case 4: return isInteger ? String(Int(value) * 1000) : String(value * 1e6)
        case 5: return String(value / 7)
        case 6: return String(value.nextUp)
        default: return String(value * 1e300)
        }
    }

    static let stringPool: [String] = [
        "", " ", "sgd", "SGD", "sdg", "adamw ", " adam", "quadratic", "Quadratic", "gaussian", "none", "recorded",
        "constant", "cosine", "sequential", "final", "all", "stream", "bootstrap", "update", "inf", "true", "yes", "off",
        "null", "~", "λ", "日本語", "😀", "e\u{301}", "\u{202E}evil", "\u{FEFF}bom", "\u{200B}", "a\tb", "line\nbreak", "\r",
        "cr\rlf\r\n", "\u{1B}[31mred\u{1B}[0m", "\u{7}bell", "\u{85}nel", "\u{2028}ls", "\u{0}nul", "../../etc/passwd", "/tmp",
        ".hidden", "-dash", "a b", "a/b", "CON", "x*y", String(repeating: "x", count: 200), String(repeating: "é", count: 3000),
        "*", "&", "!", "%", "@", "`", "|", ">", "{}", "[]", "#", "'", "\"", "\\", ":", "- ", "? ",
        "x[0]^2", "(x[0]^2 - 1)^2 + x[1]^2", "x[0]/0", "log(x[0])", "sqrt(-1)", "x[99]", "x[-1]", "x[1.5]",
        "x[99999999999999999999]", "exp(exp(exp(exp(x[0]))))", "x[0]^1e308", "1e400*x[0]", "x[0] x[1]", "--x[0]", "^", "x",
        "((((((((((((((((((((x[0]))))))))))))))))))))", String(repeating: "(", count: 300) + "x[0]" + String(repeating: ")", count: 300),
        String(repeating: "-", count: 500) + "x[0]", String(repeating: "x[0]*", count: 500) + "1", "sin(", ")", "x[", "x[0",
        "data/logreg-minibatch-noise.csv", "data", "data/make_logreg_noise.py", "missing.npy", "missing.csv", "noise.npy",
        "bad.npy", "bad.csv", ".", "..", "/",
    ]

    static let specialFiles = ["/dev/null", "/dev/zero", "/dev/urandom", "/proc/self/status", "/proc/self/mem", "/etc"]

    func randomString(_ rng: inout SplitMix64) -> String {
        if allowSpecialFiles, rng.chance(0.05) { return rng.pick(Self.specialFiles) }
        return rng.pick(Self.stringPool)
    }

    /// A misspelling or variation of a key or a name.
    func mangledKey(_ key: String, _ rng: inout SplitMix64) -> String {
        var chars = Array(key)
        switch rng.below(12) {
        case 0 where !chars.isEmpty: chars.remove(at: rng.below(chars.count))
        case 1 where chars.count >= 2:
            let i = rng.below(chars.count - 1)
            chars.swapAt(i, i + 1)
        case 2: chars.insert(rng.pick(Array("aeiou_-.λ😀 ")), at: rng.int(in: 0...chars.count))
        case 3: return key.uppercased()
        case 4: return key + rng.pick(["s", "_", " ", "\u{200B}", "\u{301}", "2", ".0"])
        case 5: return key.replacingOccurrences(of: "_", with: "-")
        case 6: return key.replacingOccurrences(of: "l", with: "I").replacingOccurrences(of: "o", with: "ο")  // Latin I, Greek omicron
        case 7: return rng.pick(["", " ", "<<", "~", "null", "0", "-1", "true", "1.5", "?"])
        case 8: return String(repeating: key, count: rng.pick([2, 50]))
        case 9:
            // Full-width look-alikes (ｌｒ for lr).
            return String(String.UnicodeScalarView(key.unicodeScalars.map {
                (0x21...0x7E).contains($0.value) ? Unicode.Scalar($0.value + 0xFEE0)! : $0
            }))
        case 10: return rng.pick(Self.knownKeys)
        default: return String(key.reversed())
        }
        return String(chars)
    }

    static let knownKeys: [String] = {
        let top = ["name", "seed", "objective", "noise", "init", "chains", "steps", "burn_in", "thin", "divergence_bound",
                   "checkpoint_every", "checkpoint_seconds", "common_random_numbers", "optimizers", "statistics", "output",
                   "type", "histogram", "bins", "range", "pairs", "samples", "trace_chains", "at", "mean", "std", "covariance"]
        var all = Set(top)
        for section in Catalogue.Section.allCases {
            for entry in Catalogue.standard.listings(section) { all.formUnion(entry.parameters.map(\.name)) }
        }
        all.formUnion(OptimizerEntry.commonParameters.map(\.name))
        all.formUnion(["max_norm", "norm_type", "max_value", "stage", "schedules", "milestones"])
        return all.sorted()
    }()

    /// A random value of any kind, preferably of another kind than `old`.
    func randomValue(_ rng: inout SplitMix64, not old: Node? = nil) -> Node {
        for _ in 0..<4 {
            let value: Node
            switch rng.below(10) {
            case 0, 1: value = plain(rng.pick(Self.numberPool))
            case 2, 3: value = .scalar(.init(randomString(&rng)))
            case 4: value = plain(rng.pick(["", "~", "null", "true", "false", "no"]))
            case 5:
                let n = rng.pick([0, 1, 2, 3, 4])
                value = .sequence(.init((0..<n).map { _ in self.plain(rng.pick(["0", "1", "0.5", "-1", "2", "1e308", ".nan"])) },
                                        .implicit, .flow))
            case 6:
                let n = rng.pick([1, 2, 3])
                value = .sequence(.init((0..<n).map { _ in
                    .sequence(.init((0..<n).map { _ in self.plain(rng.pick(["0", "1", "0.5", "-1"])) }, .implicit, .flow))
                }, .implicit, .flow))
            case 7: value = .mapping(.init(rng.chance(0.5) ? [] : [(plain(rng.pick(Self.knownKeys)), plain(rng.pick(Self.numberPool)))],
                                           .implicit, .flow))
            default: value = rng.pick(fragments)
            }
            guard let old, Self.sameKind(old, value) else { return value }
        }
        return plain(rng.pick(Self.numberPool))
    }

    static func sameKind(_ a: Node, _ b: Node) -> Bool {
        switch (a, b) {
        case (.scalar, .scalar), (.sequence, .sequence), (.mapping, .mapping): return true
        default: return false
        }
    }

    // MARK: raw-byte mutations

    static let insertions: [String] = [
        "\u{FEFF}", "\u{200B}", "é", "😀", "\u{202E}", "\t", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{1B}[2J", "ｌｒ", "\u{0}",
        "\u{301}", "\u{FFFD}", "\u{10FFFF}", "--- ", "\n---\n", "\n...\n", "%YAML 1.1\n", "%YAML 9.9\n", "%TAG ! tag:x,2000:\n",
        "&a ", "*a ", "*undefined ", "<<: *a\n", "!!binary ", "!!str ", "!!int ", "!!float ", "!!map ", "!!seq ", "!!null ",
        "!custom ", "!<tag:yaml.org,2002:str> ", "? ", "- ", ": ", "|", ">", "|-\n", "#", "'", "\"", "{", "}", "[", "]", ",",
        "\\", "@", "`", "%", "  ", "\n  ", "\n\t", "\"\\u00", "\"\\xZZ\"", "'''", "\n- \n", ": : :",
    ]

    func mutateBytes(_ bytes: [UInt8], rng: inout SplitMix64, log: inout [String]) -> [UInt8] {
        var bytes = bytes
        switch rng.below(100) {
        case 0..<15:
            let cut = rng.below(bytes.count + 1)
            log.append("truncate at byte \(cut) of \(bytes.count)")
            return Array(bytes.prefix(cut))
        case 15..<27:
            let flips = rng.int(in: 1...8)
            for _ in 0..<flips where !bytes.isEmpty {
                bytes[rng.below(bytes.count)] = rng.chance(0.3) ? rng.pick([0x00, 0xFF, 0x80, 0xC0, 0xE2, 0x0A, 0x22, 0x5B]) : UInt8(truncatingIfNeeded: rng.next())
            }
            log.append("flip \(flips) random bytes")
        case 27..<35:
            let n = rng.int(in: 1...64)
            let at = rng.below(bytes.count + 1)
            bytes.insert(contentsOf: (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
            log.append("insert \(n) random bytes at \(at)")
        case 35..<52:
            let snippet = rng.pick(Self.insertions)
            let at = rng.chance(0.5) ? lineStart(bytes, &rng) : rng.below(bytes.count + 1)
            bytes.insert(contentsOf: Array(snippet.utf8), at: at)
            log.append("insert \(FuzzInput.printable(Data(snippet.utf8))) at byte \(at)")
        case 52..<70:
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            guard !lines.isEmpty else { return bytes }
            let i = rng.below(lines.count)
            switch rng.below(5) {
            case 0:
                lines.insert(lines[i], at: rng.int(in: 0...lines.count))
                log.append("duplicate line \(i + 1)")
            case 1:
                lines.remove(at: i)
                log.append("delete line \(i + 1)")
            case 2 where lines.count >= 2:
                let j = rng.below(lines.count)
                lines.swapAt(i, j)
                log.append("swap lines \(i + 1) and \(j + 1)")
            case 3:
                let spaces = rng.pick([1, 2, 3, 8])
                lines[i] = Array(repeating: 0x20, count: spaces) + lines[i]
                log.append("indent line \(i + 1) by \(spaces)")
            default:
                lines[i] = Array(lines[i].drop { $0 == 0x20 })
                log.append("dedent line \(i + 1)")
            }
            bytes = Array(lines.joined(separator: [0x0A]))
        case 70..<76:
            let n = rng.pick([0, 1, 7, 100, 512, 4096])
            bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            log.append("replace everything by \(n) random bytes")
        case 76..<80:
            let n = rng.pick([0, 1, 50, 2000])
            let printable = Array("abc:{}[]-, \n\t#&*!|>'\"?%@0123456789.eE+_".utf8)
            bytes = (0..<n).map { _ in rng.pick(printable) }
            log.append("replace everything by \(n) random YAML-ish characters")
        case 80..<86:
            let depth = rng.pick([10, 100, 1000, 5000, 20_000])
            let (open, close): (String, String) = rng.pick([("[", "]"), ("{a: ", "}"), ("- ", "")])
            let nested = String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth)
            let key = rng.pick(["optimizers", "objective", "noise", "steps", "deep", "statistics"])
            let line = open == "- " ? "\(key):\n" + nested : "\(key): \(nested)"
            bytes = rng.chance(0.5) ? Array((line + "\n").utf8) + bytes : bytes + Array(("\n" + line + "\n").utf8)
            log.append("nest '\(open)' \(depth) deep under '\(key)'")
        case 86..<91:
            // Anchors and aliases, including an exponential "billion laughs" expansion.
            let levels = rng.pick([1, 3, 9])
            var lines = ["l0: &l0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
            for k in 1..<(levels + 1) {
                lines.append("l\(k): &l\(k) [" + Array(repeating: "*l\(k - 1)", count: 10).joined(separator: ", ") + "]")
            }
            let use = rng.pick(["optimizers: *l\(levels)", "objective: {type: quadratic, diagonal: *l\(levels)}",
                                "? *l\(levels)\n: 1", "steps: *l\(levels)", "noise: {std: *l\(levels)}"])
            let text = (lines + [use]).joined(separator: "\n") + "\n"
            bytes = rng.chance(0.5) ? Array(text.utf8) + bytes : Array(text.utf8)
            log.append("anchors and aliases, \(levels) levels of 10×, used as '\(use.replacingOccurrences(of: "\n", with: "⏎"))'")
        case 91..<95:
            // Repeat the whole document, or a line, many times.
            // At most 400 repeated lines: a list of more than 1000 coordinates is the known
            // crash and hang of FuzzReproducerTests, which must not take this process down.
            let times = rng.pick([2, 50, 400])
            if rng.chance(0.5) {
                bytes = Array([[UInt8]](repeating: bytes + [0x0A], count: times).joined())
                log.append("repeat the document \(times) times")
            } else {
                var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
                let i = rng.below(max(lines.count, 1))
                if !lines.isEmpty { lines.insert(contentsOf: Array(repeating: lines[i], count: times), at: i) }
                bytes = Array(lines.joined(separator: [0x0A]))
                log.append("repeat line \(i + 1) \(times) times")
            }
        default:
            // Encodings: UTF-16, Latin-1, a stray BOM, CRLF line ends.
            let text = String(decoding: bytes, as: UTF8.self)
            switch rng.below(4) {
            case 0:
                bytes = [0xFF, 0xFE] + Array(text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
                log.append("re-encode as UTF-16LE with BOM")
            case 1:
                bytes = Array(text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
                log.append("re-encode as UTF-16BE without BOM")
            case 2:
                bytes = Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
                log.append("CRLF line ends")
            default:
                bytes = [0xEF, 0xBB, 0xBF] + bytes + [0xEF, 0xBB, 0xBF]
                log.append("UTF-8 BOM at the start and the end")
            }
        }
        return bytes
    }

    func lineStart(_ bytes: [UInt8], _ rng: inout SplitMix64) -> Int {
        let starts = [0] + bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 }
        return rng.pick(starts)
    }

    // MARK: command-line values

    /// A random `KEY=VALUE` for `--set` (or something that is not one).
    func randomAssignment(_ rng: inout SplitMix64) -> String {
        let keys = ["chains", "steps", "burn_in", "thin", "seed", "name", "divergence_bound", "optimizers.0.lr", "optimizers.0",
                    "optimizers.1.momentum", "optimizers.0.betas.1", "optimizers.5.lr", "optimizers.-1.lr",
                    "optimizers.99999999999999999999.lr", "optimizers", "objective", "objective.type", "objective.diagonal",
                    "objective.eigenvalues.0", "objective.minimum", "noise.std", "noise", "noise.type", "init.at",
                    "statistics.histogram.bins", "output.samples", "output.trace_chains", "a.b.c.d.e", "", ".", "..",
                    "chains.", ".chains", "chains..x", "λ", "optimizers.0.lr.x", "name.first", "optimizers.0.schedule.type",
                    " chains", "chains ", "CHAINS", "optimisers.0.lr"]
        let values = ["", "1", "-1", "0", "3", "1e400", ".nan", "-.inf", "0.05", "[1", "{a: 1", "[1, 2, 3]", "[[1, 0], [0, 1]]",
                      "{type: sgd, lr: 0.1}", "[{type: adam, lr: 0.01}]", "*a", "&a 1", "!!binary AAAA", "!!str 5", "- 1", "a: b",
                      "null", "~", "'quoted'", "\"unterminated", "😀", String(repeating: "x", count: 5000), "4294967296",
                      "[[[[[[[[[[]]]]]]]]]]", String(repeating: "[", count: 5000), "---", "...", "%YAML 1.1", "? x", "\t", "|\n x",
                      "gaussian", "rosenbrock", "all", "a=b", "=", "1 # comment", "\u{0085}", "\r\n", "18446744073709551616"]
        switch rng.below(10) {
        case 0: return rng.pick(keys)  // no '='
        case 1: return rng.pick(values)
        default: return rng.pick(keys) + "=" + rng.pick(values)
        }
    }

    /// Extra seeds that reach the parts of the schema the shipped configs do not use.
    static let extraSeeds: [(String, String)] = [
        ("inline:every-optimizer", """
        name: every-optimizer
        seed: 3
        objective: {type: quadratic, hessian: [[2.0, 0.5], [0.5, 1.0]], minimum: [1.0, -1.0]}
        noise: {type: gaussian, covariance: [[1.0, 0.2], [0.2, 0.5]]}
        init: {type: gaussian, mean: [0.0, 0.0], std: [1.0, 0.5]}
        chains: 16
        steps: 20
        burn_in: 10
        divergence_bound: 1.0e6
        common_random_numbers: false
        optimizers:
          - {label: sgd, type: sgd, lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weight_decay: [0.1, 0.0]}
          - {label: adam, type: adam, lr: 0.01, betas: [0.9, 0.999], eps: 1.0e-8, weight_decay: 0.0, amsgrad: true}
          - label: adamw
            type: adamw
            lr: 0.01
            weight_decay: 0.01
            schedule:
              type: sequential
              schedules: [{type: linear, start_factor: 0.01, total_iters: 5}, {type: cosine, T_max: 15, eta_min: 0.001}]
              milestones: [5]
            clip: {max_norm: 1.0, norm_type: 2}
          - {label: rmsprop, type: rmsprop, lr: 0.01, alpha: 0.99, eps: 1.0e-8, momentum: 0.5, centered: true}
          - {label: adagrad, type: adagrad, lr: 0.1, lr_decay: 0.01, initial_accumulator_value: 0.1, eps: 1.0e-10}
          - {label: adamax, type: adamax, lr: 0.01, betas: [0.9, 0.99], schedule: {type: step, step_size: 5, gamma: 0.5}}
          - {label: nadam, type: nadam, lr: 0.01, momentum_decay: 0.004, decoupled_weight_decay: true, weight_decay: 0.1}
          - {label: radam, type: radam, lr: 0.01, decoupled_weight_decay: false, schedule: {type: exponential, gamma: 0.9}}
          - {label: lion, type: lion, lr: 0.001, betas: [0.9, 0.99], weight_decay: 0.1, clip: {max_value: 1.0, stage: update}}
          - {label: signsgd, type: signsgd, lr: 0.01, schedule: {type: multistep, milestones: [2, 5], gamma: 0.1}}
          - {label: signum, type: signum, lr: 0.01, beta: 0.9, schedule: {type: inverse-sqrt, warmup_steps: 5, timescale: 10}}
          - {label: sgld, type: sgld, lr: 0.01, temperature: 0.5, schedule: {type: cosine-warm-restarts, T_0: 5, T_mult: 2}}
        statistics:
          histogram: {bins: 10, range: [[-5, 5], [-5, 5]]}
          pairs: [[0, 1], [1, 0]]
        output: {samples: all, trace_chains: 2}
        """),
        ("inline:landscapes", """
        {"name": "landscapes", "seed": 5,
         "objective": {"type": "gaussian-mixture", "weights": [0.5, 0.5], "means": [[-1.0, 0.0, 0.0], [1.0, 0.0, 0.0]],
                       "covariances": [[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], 0.5]},
         "noise": {"type": "student-t", "df": 3, "scale": [1.0, 0.5, 0.25]},
         "init": {"type": "point", "at": [0.5, 0.0, 0.0]},
         "chains": 16, "steps": 20, "burn_in": 10, "thin": 2,
         "optimizers": [{"type": "sgd", "lr": 0.05, "clip": {"max_norm": 2.0, "norm_type": "inf", "stage": "gradient"}}],
         "statistics": {"histogram": {"bins": 0}, "pairs": []},
         "output": {"samples": "none"}}
        """),
        ("inline:regression", """
        name: regression
        objective: {type: linear-regression, dim: 3, n: 64, weights: [1.0, -1.0, 0.5], feature_scales: [1.0, 0.5, 0.1], noise_std: 0.2, data_seed: 9}
        noise: {type: label-noise, std: 0.5, batch_size: 8}
        chains: 16
        steps: 20
        burn_in: 10
        optimizers:
          - {type: sgd, lr: 0.1, weight_decay: 0.01}
        """),
    ]

    /// Catalogue-shaped subtrees grafted into mutants.
    static let fragmentTexts: [String] = [
        "{type: quadratic, hessian: [[2, 0.5], [0.5, 1]], minimum: [1, -1]}",
        "{type: quadratic, eigenvalues: [0.5, 10], rotation_seed: 7}",
        "{type: quadratic, diagonal: [1, 2, 3]}",
        "{type: rosenbrock, dim: 3, a: 1, b: 100}",
        "{type: rastrigin, dim: 2, amplitude: 10}",
        "{type: styblinski-tang, dim: 2}",
        "{type: double-well, barrier: 1, tilt: 0.3, curvature: [1]}",
        "{type: double-well, dim: 3, curvature: 2}",
        "{type: gaussian-mixture, weights: [0.5, 0.5], means: [[-1, 0], [1, 0]], covariances: [[[1, 0], [0, 1]], 0.5]}",
        "{type: linear-network, depth: 3, target: 1}",
        "{type: expression, f: \"x[0]^2 + x[1]^2\", dim: 2}",
        "{type: expression, f: \"(x[0]^2 - 1)^2\", dim: 1, minimum: [1]}",
        "{type: linear-regression, dim: 2, n: 50, condition_number: 10, noise_std: 0.5}",
        "{type: linear-regression, dim: 1, n: stream, weights: [1], feature_scales: 1}",
        "{type: logistic-regression, dim: 2}",
        "{type: none}",
        "{type: gaussian, std: [0.5, 1]}",
        "{type: gaussian, covariance: [[1, 0.2], [0.2, 1]]}",
        "{type: student-t, df: 3, scale: 1}",
        "{type: alpha-stable, alpha: 1.5, scale: [1, 2]}",
        "{type: minibatch, batch_size: 8, replacement: true}",
        "{type: label-noise, std: 1, batch_size: 4}",
        "{type: recorded, file: data/logreg-minibatch-noise.csv, mode: sequential}",
        "{type: recorded, file: noise.npy, mode: bootstrap}",
        "{type: recorded, file: bad.npy}",
        "{type: recorded, file: bad.csv}",
        "{type: hessian, scale: 1}",
        "{type: point, at: [0, 0]}",
        "{type: gaussian, mean: [0, 0], std: 1}",
        "{type: uniform, low: 0}",
        "{label: s, type: sgd, lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: [0.1, 0]}",
        "{type: adam, lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, amsgrad: true}",
        "{type: adamw, lr: 0.01, schedule: {type: cosine, T_max: 10}, clip: {max_norm: 1, norm_type: 2}}",
        "{type: rmsprop, lr: 0.01, alpha: 0.99, momentum: 0.5, centered: true}",
        "{type: adagrad, lr: 0.1, lr_decay: 0.01, initial_accumulator_value: 0.1}",
        "{type: signsgd, lr: 0.01, clip: {max_value: 1, stage: update}}",
        "{type: sgld, lr: 0.01, temperature: 0.5}",
        "[{type: sgd, lr: 0.1}, {type: adam, lr: 0.01}]",
        "{type: constant}",
        "{type: linear, start_factor: 0.01, end_factor: 1, total_iters: 5}",
        "{type: cosine, T_max: 10, eta_min: 0.001}",
        "{type: cosine-warm-restarts, T_0: 5, T_mult: 2, eta_min: 0}",
        "{type: step, step_size: 5, gamma: 0.5}",
        "{type: multistep, milestones: [2, 5], gamma: 0.1}",
        "{type: exponential, gamma: 0.9}",
        "{type: inverse-sqrt, warmup_steps: 5, timescale: 10}",
        "{type: sequential, schedules: [{type: linear, total_iters: 5}, {type: exponential, gamma: 0.99}], milestones: [5]}",
        "{max_norm: 1.0, norm_type: inf}",
        "{max_norm: 2, norm_type: 1, stage: update}",
        "{max_value: 0.5}",
        "{histogram: {bins: 10, range: [[-5, 5], [-5, 5]]}, pairs: [[0, 1], [1, 0]]}",
        "{histogram: {bins: 0}}",
        "{samples: all, trace_chains: 2}",
        "{samples: none}",
    ]
}

/// Files a mutant config may refer to, written beside it: the shipped recorded noise
/// (`data/…`), a valid 2-column `noise.npy`, and malformed `bad.npy` and `bad.csv`.
enum FuzzDirectory {
    static func populate(_ directory: URL) throws {
        let manager = FileManager.default
        let data = directory.appendingPathComponent("data")
        try manager.createDirectory(at: data, withIntermediateDirectories: true)
        let source = ConfigMutator.packageRoot.appendingPathComponent("configs/data/logreg-minibatch-noise.csv")
        try manager.copyItem(at: source, to: data.appendingPathComponent("logreg-minibatch-noise.csv"))
        try npy(rows: 4, columns: 2).write(to: directory.appendingPathComponent("noise.npy"))
        var bad = npy(rows: 4, columns: 2)
        bad.replaceSubrange(20..<40, with: Data("{'descr': '<f4', 'sh".utf8))
        try bad.prefix(70).write(to: directory.appendingPathComponent("bad.npy"))
        try Data("a,b\n1,2,3\nx,y\n1e400,nan\n,\n".utf8).write(to: directory.appendingPathComponent("bad.csv"))
    }

    /// A little-endian float64 .npy array of shape [rows, columns].
    static func npy(rows: Int, columns: Int) -> Data {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        for k in 0..<(rows * columns) {
            var bits = (Double(k % 5) - 2.0).bitPattern.littleEndian
            withUnsafeBytes(of: &bits) { data.append(contentsOf: $0) }
        }
        return data
    }

    /// The names under `directory`, recursively, hidden ones included.
    static func listing(_ directory: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        return (enumerator.allObjects as? [String] ?? []).sorted()
    }
}
