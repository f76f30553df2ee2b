import Foundation
import Simulation
import Yams

/// A sweep config (SPEC §8.1): a run config plus a `sweep:` block
///
///     sweep:
///       axes:                                  # the grid is the product, last axis fastest
///         optimizers.0.lr: [0.001, 0.002]
///         optimizers.0.weight_decay: {log: [0.01, 1.0, 5]}
///       zip:                                   # keys varied together: one more product axis each
///         - {optimizers.1.lr: [0.1, 0.2], noise.batch_size: [8, 16]}
///       collapse:
///         - {metric: mean_norm, by: "optimizers.0.lr * optimizers.0.weight_decay"}
///
/// Keys are the dotted keys of `--set`. Point p (0-based, row-major over the axes in the
/// order written, the `zip` groups after the axes) is the config with the command line's
/// overrides and then the point's values applied, each read and checked as a run config:
/// every point is validated when the sweep is loaded, before anything runs.
public struct SweepConfig {
    public static let blockKey = ConfigLoader.sweepKey
    /// A bound on the grid, so a typo (n = 10⁶ in a range) is an error rather than hours of validation.
    public static let maximumPoints = 10_000

    public let file: String
    /// The command line's overrides (applied before the points' values).
    public let overrides: [ConfigLoader.Override]
    public let axes: [SweepAxis]
    public let collapse: [CollapseHypothesis]
    public let pointCount: Int
    /// The name of point 0 (output/<name> by default).
    public let name: String
    /// Of point 0's objective.
    public let dimension: Int
    public let basinCount: Int
    /// Every point's resources (`validate`) and the instabilities the linear theory predicts.
    public let estimates: [ResourceEstimate]
    public let instabilities: [Instability]
    /// FNV-1a 64 of every point's run fingerprint (`RunManifest.fingerprint`) and the axis
    /// keys: what the sweep's results depend on (not the collapse hypotheses, which only
    /// change how they are read).
    public let fingerprint: String

    private let root: Node
    private let overridden: [String: String]
    private let defaultName: String

    /// An optimizer that the linear theory says has no stationary law at a point.
    public struct Instability {
        public let point: Int
        public let label: String
        public let reason: String
    }

    /// Every key of every axis, in column order.
    public var axisKeys: [String] { axes.flatMap(\.keys) }

    public static func load(path: String, overrides: [ConfigLoader.Override] = [],
                            threads: Int = AvailableCPUs.count) throws -> SweepConfig {
        try SweepConfig(text: try ConfigLoader.readText(path), file: path, overrides: overrides,
                        defaultName: ConfigLoader.defaultName(path: path), threads: threads)
    }

    public init(text: String, file: String, overrides: [ConfigLoader.Override] = [], defaultName: String = "sweep",
                threads: Int = AvailableCPUs.count) throws {
        let document = try ConfigLoader.compose(text, file: file)
        guard let (blockKeyNode, blockNode) = ConfigLoader.sweepBlock(of: document) else {
            throw ConfigError(file: file, line: nil, key: Self.blockKey, problem: "is missing",
                              expected: "a sweep: block with axes (a config without one runs with `optcloud run`)")
        }
        self.file = file
        self.overrides = overrides
        self.defaultName = defaultName
        let (base, baseOverridden) = try ConfigLoader.applying(overrides, to: ConfigLoader.withoutSweepBlock(document))
        root = base
        overridden = baseOverridden

        let block = ConfigNode(node: blockNode, path: Self.blockKey, file: file, overridden: [:])
        if block.isNull {
            throw ConfigError(file: file, line: blockKeyNode.mark?.line, key: Self.blockKey, problem: "is empty",
                              expected: "a mapping with axes (and zip, collapse)")
        }
        let entries = try block.mapping(allowed: ["axes", "zip", "collapse"])
        var axes: [SweepAxis] = []
        var seen: Set<String> = []
        func checkKey(_ key: String, _ node: ConfigNode) throws {
            guard !ConfigLoader.components(key).contains(where: \.isEmpty) else {
                throw node.error("is not a dotted key", expected: "a key of the config such as optimizers.0.lr")
            }
            guard !seen.contains(key) else { throw node.error("is swept twice", expected: "each key in one axis or zip group") }
            if let source = baseOverridden.first(where: { $0.key == key || $0.key.hasPrefix(key + ".") || key.hasPrefix($0.key + ".") })?.value {
                throw node.error("is also set by \(source)", expected: "a swept key that no command-line option sets")
            }
            seen.insert(key)
        }
        if let axesNode = entries["axes"] {
            for (key, node) in try axesNode.entries(expected: "a mapping from dotted keys to lists of values") {
                try checkKey(key, node)
                let (values, spacing) = try SweepAxis.values(node)
                axes.append(SweepAxis(keys: [key], values: values.map { [$0] }, spacing: spacing))
            }
        }
        if let zipNode = entries["zip"] {
            for group in try zipNode.sequence() {
                let members = try group.entries(expected: "a mapping from dotted keys to lists of equal length")
                guard !members.isEmpty else { throw group.error("is empty", expected: "keys with lists of equal length") }
                var columns: [(String, [SweepValue], SweepAxis.Spacing)] = []
                for (key, node) in members {
                    try checkKey(key, node)
                    let (values, spacing) = try SweepAxis.values(node)
                    if let first = columns.first, first.1.count != values.count {
                        throw node.error("has \(values.count) values but \(first.0) has \(first.1.count)",
                                         expected: "lists of equal length in one zip group")
                    }
                    columns.append((key, values, spacing))
                }
                let length = columns[0].1.count
                axes.append(SweepAxis(keys: columns.map(\.0), values: (0..<length).map { i in columns.map { $0.1[i] } },
                                      spacing: columns[0].2))
            }
        }
        guard !axes.isEmpty else {
            throw block.error("has no axes", expected: "axes: {KEY: [values…]} or zip: [{KEY: […], …}]")
        }
        let count = axes.reduce(1.0) { $0 * Double($1.count) }
        guard count <= Double(Self.maximumPoints) else {
            throw block.error("has \(Int(count)) points", expected: "at most \(Self.maximumPoints); split the grid into several sweeps")
        }
        self.axes = axes
        pointCount = Int(count)

        // Every point, checked as a run config.
        var estimates: [ResourceEstimate] = []
        var instabilities: [Instability] = []
        var fingerprints = BinaryWriter()
        var first: RunConfig?
        for p in 0..<pointCount {
            let config = try Self.config(point: p, axes: axes, root: base, overridden: baseOverridden, file: file,
                                         defaultName: defaultName)
            if first == nil { first = config }
            estimates.append(ResourceEstimate(config, threads: threads))
            for spec in config.optimizers {
                if let reason = TheoryComparison.instability(config: config, optimizer: spec) {
                    instabilities.append(Instability(point: p, label: spec.label, reason: reason))
                }
            }
            fingerprints.bytes(Array(RunManifest.fingerprint(config).utf8))
        }
        for key in axes.flatMap(\.keys) { fingerprints.bytes(Array(key.utf8) + [0]) }
        fingerprint = String(BinaryWriter.fnv1a(fingerprints.data), radix: 16)
        self.estimates = estimates
        self.instabilities = instabilities
        name = first!.name
        dimension = first!.dimension
        basinCount = first!.objective.basinCount

        let keys = axes.flatMap(\.keys)
        var hypotheses: [CollapseHypothesis] = []
        if let collapseNode = entries["collapse"] {
            for item in try collapseNode.sequence() {
                let hypothesis = try CollapseHypothesis(item, axisKeys: keys, dimension: dimension, basins: basinCount)
                for key in hypothesis.keys {
                    let axis = axes.first { $0.keys.contains(key) }!, j = axis.keys.firstIndex(of: key)!
                    if let bad = axis.values.first(where: { $0[j].number == nil }) {
                        throw ConfigError(file: file, line: item.peek("by")?.line, key: "\(item.path).by",
                                          problem: "names \(key), whose value '\(bad[j].text.prefix(40))' is not a number",
                                          expected: "an expression of numeric axes")
                    }
                }
                hypotheses.append(hypothesis)
            }
        }
        collapse = hypotheses
    }

    /// The position of point p on each axis (row-major, last axis fastest).
    public func indices(of point: Int) -> [Int] {
        var rest = point
        var result = [Int](repeating: 0, count: axes.count)
        for a in axes.indices.reversed() {
            result[a] = rest % axes[a].count
            rest /= axes[a].count
        }
        return result
    }

    /// Point p's value of every axis key, in column order.
    public func values(of point: Int) -> [(key: String, value: SweepValue)] {
        zip(axes, indices(of: point)).flatMap { axis, i in zip(axis.keys, axis.values[i]).map { ($0, $1) } }
    }

    /// "optimizers.0.lr=0.001, optimizers.0.weight_decay=0.01"
    public func describe(point: Int) -> String {
        values(of: point).map { "\($0.key)=\($0.value.text)" }.joined(separator: ", ")
    }

    /// Point p's run config (read again: configs are not kept, a data set per point could be large).
    public func config(point: Int) throws -> RunConfig {
        try Self.config(point: point, axes: axes, root: root, overridden: overridden, file: file, defaultName: defaultName)
    }

    /// The config with some axis keys set to other values (the figure's theory curves).
    func config(values: [(key: String, value: SweepValue)]) throws -> RunConfig {
        try Self.config(values, root: root, overridden: overridden, file: file, defaultName: defaultName, source: "\(file): sweep")
    }

    /// What `run --resume` of a point's directory needs to read its config again: the
    /// command line's overrides, then the point's values.
    public func overrides(point: Int) -> [ConfigLoader.Override] {
        overrides + values(of: point).map { .init("\($0.key)=\($0.value.yaml)", source: "sweep point \(point)") }
    }

    private static func config(point p: Int, axes: [SweepAxis], root: Node, overridden: [String: String], file: String,
                               defaultName: String) throws -> RunConfig {
        var rest = p
        var values: [(key: String, value: SweepValue)] = []
        for axis in axes.reversed() {
            let i = rest % axis.count
            rest /= axis.count
            values = zip(axis.keys, axis.values[i]).map { ($0, $1) } + values
        }
        let source = "\(file): sweep point \(p)"
        do {
            return try config(values, root: root, overridden: overridden, file: file, defaultName: defaultName, source: source)
        } catch let error as ConfigError where !error.file.hasPrefix(source) {
            // A check that fails because of the point's values but names another key.
            let assignments = values.map { "\($0.key)=\($0.value.text)" }.joined(separator: ", ")
            throw ConfigError(file: error.file, line: error.line, key: error.key,
                              problem: "\(error.problem) at sweep point \(p) (\(assignments))", expected: error.expected)
        }
    }

    private static func config(_ values: [(key: String, value: SweepValue)], root: Node, overridden: [String: String], file: String,
                               defaultName: String, source: String) throws -> RunConfig {
        var document = root, paths = overridden
        for (key, value) in values {
            document = try ConfigLoader.setting(document, path: ConfigLoader.components(key)[...], value: value.node,
                                                fullPath: key, source: source)
            paths[key] = source
        }
        return try ConfigLoader.build(document, file: file, overridden: paths, defaultName: defaultName)
    }
}
