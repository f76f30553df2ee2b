import CSV
import Foundation
import Simulation
import Statistics

extension RunConfig {
    static let topLevelKeys = [
        "name", "seed", "objective", "noise", "init", "chains", "steps", "burn_in", "thin",
        "divergence_bound", "checkpoint_every", "checkpoint_seconds", "common_random_numbers",
        "optimizers", "statistics", "output",
    ]
    /// Reads and checks a config document; `defaultName` is used when `name` is absent.
    /// Objectives, noise models, optimizers and schedules are looked up in `catalogue`.
    init(_ root: ConfigNode, defaultName: String, directory: String, catalogue: Catalogue = .standard) throws {
        if root.isNull { throw root.error("the config is empty", expected: "a mapping with objective, noise and optimizers") }
        let top = try root.mapping(allowed: Self.topLevelKeys)
        checkpointEvery = try top["checkpoint_every"].map {
            try $0.integer("an integer in 1...4294967295 (steps of the whole ensemble)") { $0 >= 1 && $0 <= Int(UInt32.max) }
        }
        checkpointSeconds = try top["checkpoint_seconds"].map {
            try $0.finite("a number of seconds in 0...1e9 (0: after every replicate group)") { $0 >= 0 && $0 <= 1e9 }
        } ?? 60

        name = try top["name"].map { try Self.fileSafe($0, what: "a name") } ?? defaultName
        seed = try top["seed"]?.unsigned() ?? 0
        let seed = seed, optimizerNodes = top["optimizers"]
        let context = BuildContext(seed: seed, directory: directory, services: StandardServices()) { d in
            try Self.firstPositiveDecay(optimizerNodes, dimension: d, catalogue: catalogue)
        }
        objective = try Self.objective(try top.required("objective", expected: "an objective such as {type: quadratic, ...}"),
                                       context: context, catalogue: catalogue)
        let d = objective.dimension
        let objectiveSpec = objective
        noise = try Self.noise(top["noise"], in: root, objective: objectiveSpec, context: context, catalogue: catalogue)
        initial = try top["init"].map { try Self.initial($0, dimension: d) } ?? .point([Double](repeating: 0, count: d))
        chains = try top["chains"].map { try $0.integer("an integer in 1...4294967295") { $0 >= 1 && $0 <= Int(UInt32.max) } } ?? 1000
        steps = try top["steps"].map { try $0.integer("an integer in 1...4294967295") { $0 >= 1 && $0 <= Int(UInt32.max) } } ?? 1000
        let steps = steps
        burnIn = try top["burn_in"].map { try $0.integer("an integer with 0 ≤ burn_in < steps (\(steps))") { $0 >= 0 && $0 < steps } } ?? steps / 2
        let burnIn = burnIn
        thin = try top["thin"].map {
            try $0.integer("an integer with 1 ≤ thin ≤ steps − burn_in (\(steps - burnIn))") { $0 >= 1 && $0 <= steps - burnIn }
        } ?? 1
        divergenceBound = try top["divergence_bound"].map { try $0.finite("a number > 0") { $0 > 0 } } ?? 1e12
        commonRandomNumbers = try top["common_random_numbers"]?.bool() ?? true

        let optimizerList = try top.required("optimizers", expected: "a list of optimizers such as [{type: sgd, lr: 0.1}]")
        let items = try optimizerList.sequence()
        if items.isEmpty { throw optimizerList.error("is an empty list", expected: "at least one optimizer") }
        optimizers = try items.map { try Self.optimizer($0, dimension: d, catalogue: catalogue) }
        var seen: [String: Int] = [:]
        for (i, o) in optimizers.enumerated() {
            if let first = seen[o.label] {
                throw items[i].error("label '\(o.label)' is also used by optimizers.\(first)", expected: "a unique label per optimizer")
            }
            seen[o.label] = i
        }

        (histogram, samples, traceChains, targetLoss) = (HistogramPlan(bins: 60, ranges: nil, pairs: d >= 2 ? [.init(0, 1)] : []), .final, 0, nil)
        if let statistics = top["statistics"] {
            histogram = try Self.statistics(statistics, dimension: d)
            targetLoss = try Self.targetLoss(statistics, chains: chains, steps: steps)
        }
        if let output = top["output"] { (samples, traceChains) = try Self.output(output, chains: chains, steps: steps, dimension: d) }
    }

    static func fileSafe(_ node: ConfigNode, what: String) throws -> String {
        let value = try node.string()
        let allowed = value.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "-_.".unicodeScalars.contains($0) }
        guard !value.isEmpty, value.count <= 100, allowed, !value.hasPrefix("."), !value.hasPrefix("-") else {
            throw node.error("'\(value.prefix(40))' cannot be used in file names", expected: "\(what) of letters, digits, '-', '_' and '.'")
        }
        return value
    }

    /// The catalogue entry a mapping's `type` names, checked before the mapping's other keys
    /// (so that a misspelt type is reported as such, not as unknown keys): a name the
    /// catalogue does not list is an error, with the nearest one suggested. `defaultType`
    /// applies when `type` is absent (nil: it is required).
    static func entryName(_ node: ConfigNode, _ section: Catalogue.Section, catalogue: Catalogue,
                          defaultType: String? = nil) throws -> String {
        let names = catalogue.names(section)
        guard let typeNode = node.peek("type"), !typeNode.isNull else {
            if let defaultType { return defaultType }
            if case .mapping = node.node {
                throw node.error("is missing key 'type'", expected: "a \(section.singular) type: one of \(names.joined(separator: ", "))")
            }
            throw node.error("is \(node.kind)", expected: "a mapping with a type: one of \(names.joined(separator: ", "))")
        }
        return try typeNode.choice(names)
    }

    /// An entry's mapping, with `type` and the entry's keys allowed and nothing else, and
    /// the reader of its parameters.
    static func parameters(_ node: ConfigNode, _ section: Catalogue.Section, _ name: String, catalogue: Catalogue,
                           dimension: Int?) throws -> (ConfigNode.Mapping, ParameterReader) {
        let map = try node.mapping(allowed: ["type"] + catalogue.keys(section, name))
        return (map, ParameterReader(map: ConfigNodeMapping(mapping: map), context: ParameterContext(dimension: dimension)))
    }

    // MARK: objective and noise

    static func objective(_ node: ConfigNode, context: BuildContext, catalogue: Catalogue = .standard) throws -> ObjectiveSpec {
        let name = try entryName(node, .objectives, catalogue: catalogue)
        guard let entry = catalogue.objective(name) else { throw node.error("objective '\(name)' is not in the catalogue") }
        var (_, reader) = try parameters(node, .objectives, name, catalogue: catalogue, dimension: nil)
        return try entry.build(&reader, context: context)
    }

    /// The noise model of `node`; without one (nil), the entry "none" with nothing given.
    static func noise(_ given: ConfigNode?, in root: ConfigNode, objective: ObjectiveSpec, context: BuildContext,
                      catalogue: Catalogue = .standard) throws -> NoiseSpec {
        let node = given ?? root.child(.mapping(.init([])), "noise")
        let name = try entryName(node, .noise, catalogue: catalogue, defaultType: given == nil ? NoNoise.entry.name : nil)
        guard let entry = catalogue.noise(name) else { throw node.error("noise '\(name)' is not in the catalogue") }
        var (_, reader) = try parameters(node, .noise, name, catalogue: catalogue, dimension: objective.dimension)
        return try entry.build(&reader, context: NoiseContext(objective: objective, build: context))
    }

    // MARK: init

    static func initial(_ node: ConfigNode, dimension d: Int) throws -> InitialDistribution {
        let map = try node.mapping(allowed: ["type", "at", "mean", "std"])
        let kind = try map.required("type", expected: "point or gaussian").choice(["point", "gaussian"])
        if kind == "point" {
            for key in ["mean", "std"] where map.has(key) {
                throw map[key]!.error("does not apply to init type point", expected: "at: [...]")
            }
            return .point(try map.required("at", expected: "the start point, \(d) numbers").vector(count: d))
        }
        if map.has("at") { throw map["at"]!.error("does not apply to init type gaussian", expected: "mean and std") }
        let mean = try map.required("mean", expected: "\(d) numbers").vector(count: d)
        let std = try map.required("std", expected: "a standard deviation ≥ 0").scalarOrVector(count: d, expected: "a standard deviation ≥ 0") { $0 >= 0 }
        return .gaussian(mean: mean, std: std)
    }

    // MARK: optimizers

    static func optimizer(_ node: ConfigNode, dimension d: Int, catalogue: Catalogue = .standard) throws -> OptimizerSpec {
        let name = try entryName(node, .optimizers, catalogue: catalogue)
        guard let entry = catalogue.optimizer(name) else { throw node.error("optimizer '\(name)' is not in the catalogue") }
        var (map, reader) = try parameters(node, .optimizers, name, catalogue: catalogue, dimension: d)
        let label = try map["label"].map { try fileSafe($0, what: "a label") } ?? name
        let lr = try map.required("lr", expected: "a learning rate ≥ 0").finite("a learning rate ≥ 0") { $0 >= 0 }
        let schedule = try map["schedule"].map { try Self.schedule($0, catalogue: catalogue) } ?? .constant
        let (clip, stage) = try map["clip"].map { try Self.clip($0) } ?? (GradientClip.none, .gradient)
        let built = try entry.build(&reader)
        return OptimizerSpec(label: label, type: name, optimizer: built.rule, decay: built.decay, lr: lr, schedule: schedule,
                             clip: clip, clipStage: stage, parameters: reader.resolved.map { ($0.0, JSONValue($0.1)) })
    }

    /// The weight decay of the first optimizer whose decay is > 0 on every coordinate, and
    /// where it comes from ("optimizers.K (label)"); nil when none has one.
    static func firstPositiveDecay(_ optimizers: ConfigNode?, dimension d: Int, catalogue: Catalogue) throws -> ([Double], String)? {
        guard let optimizers else { return nil }
        for (i, item) in try optimizers.sequence().enumerated() {
            let spec = try optimizer(item, dimension: d, catalogue: catalogue)
            if let decay = spec.weightDecay, decay.allSatisfy({ $0 > 0 }) { return (decay, "optimizers.\(i) (\(spec.label))") }
        }
        return nil
    }

    static func schedule(_ node: ConfigNode, nested: Bool = false, catalogue: Catalogue = .standard) throws -> ScheduleSpec {
        let name = try entryName(node, .schedules, catalogue: catalogue)
        guard let entry = catalogue.schedule(name) else { throw node.error("schedule '\(name)' is not in the catalogue") }
        var (_, reader) = try parameters(node, .schedules, name, catalogue: catalogue, dimension: nil)
        let context = ScheduleContext(isNested: nested) { piece in
            // The pieces are nodes of this document (`ConfigNodeValue.sequence`).
            guard let piece = piece as? ConfigNodeValue else { throw node.error("holds a schedule of another document") }
            return try schedule(piece.node, nested: true, catalogue: catalogue)
        }
        return try entry.build(&reader, context: context)
    }

    static func clip(_ node: ConfigNode) throws -> (GradientClip, ClipStage) {
        let map = try node.mapping(allowed: ["max_norm", "norm_type", "max_value", "stage"])
        let stage = try map["stage"].map { ClipStage(rawValue: try $0.choice(ClipStage.allCases.map(\.rawValue)))! } ?? .gradient
        switch (map["max_norm"], map["max_value"]) {
        case (let norm?, nil):
            let maxNorm = try norm.finite("a max_norm > 0") { $0 > 0 }
            var normType = 2.0
            if let t = map["norm_type"] {
                if (try? t.string().lowercased()) == "inf" { normType = .infinity } else {
                    normType = try t.double()
                    guard [1, 2, .infinity].contains(normType) else { throw t.error("is \(t.kind)", expected: "1, 2 or inf") }
                }
            }
            return (.norm(maxNorm: maxNorm, normType: normType), stage)
        case (nil, let value?):
            if map.has("norm_type") { throw map["norm_type"]!.error("only applies with max_norm", expected: "max_norm beside norm_type") }
            return (.value(try value.finite("a max_value > 0") { $0 > 0 }), stage)
        case (nil, nil):
            throw node.error("gives neither max_norm nor max_value", expected: "{max_norm: c} or {max_value: c}")
        case (.some, .some):
            throw node.error("gives both max_norm and max_value", expected: "only one of them")
        }
    }

    // MARK: statistics and output

    static func statistics(_ node: ConfigNode, dimension d: Int) throws -> HistogramPlan {
        let map = try node.mapping(allowed: ["histogram", "pairs", "target_loss"])
        var bins = 60
        var ranges: [ClosedRange<Double>]? = nil
        if let h = map["histogram"] {
            let hm = try h.mapping(allowed: ["bins", "range"])
            bins = try hm["bins"]?.integer("an integer in 0...10000 (0 = no histograms)") { (0...10_000).contains($0) } ?? 60
            if let r = hm["range"] {
                let rows = try r.sequence()
                guard rows.count == d else { throw r.error("has \(rows.count) ranges", expected: "\(d) ranges [lo, hi], one per coordinate") }
                ranges = try rows.map { row in
                    let v = try row.vector(count: 2, expected: "numbers [lo, hi]")
                    guard v[0] < v[1] else { throw row.error("is [\(v[0]), \(v[1])]", expected: "lo < hi") }
                    return v[0]...v[1]
                }
            }
        }
        var pairs: [HistogramPlan.Pair] = d >= 2 ? [.init(0, 1)] : []
        if let p = map["pairs"] {
            pairs = try p.sequence().map { item in
                let ij = try item.sequence()
                guard ij.count == 2 else { throw item.error("has \(ij.count) entries", expected: "a pair [i, j] of coordinates") }
                let i = try ij[0].integer("a coordinate in 0..<\(d)") { (0..<d).contains($0) }
                let j = try ij[1].integer("a coordinate in 0..<\(d)") { (0..<d).contains($0) }
                guard i != j else { throw item.error("pairs coordinate \(i) with itself", expected: "two different coordinates") }
                return HistogramPlan.Pair(i, j)
            }
            guard pairs.count <= 100 else { throw p.error("has \(pairs.count) pairs", expected: "at most 100 pairs") }
        }
        return HistogramPlan(bins: bins, ranges: ranges, pairs: pairs)
    }

    /// The largest loss path (replicate groups × steps, doubles) `target_loss` may ask for.
    static let maximumLossPath = 1e8

    /// `statistics.target_loss`: any finite number (losses may be negative); the loss path it
    /// needs holds min(chains, 256)·steps doubles, at most `maximumLossPath`.
    static func targetLoss(_ node: ConfigNode, chains: Int, steps: Int) throws -> Double? {
        let map = try node.mapping(allowed: ["histogram", "pairs", "target_loss"])
        guard let value = map["target_loss"] else { return nil }
        let target = try value.finite("a finite number (the loss to reach)")
        let path = Double(Swift.min(chains, ChainLayout.maximumGroups)) * Double(steps)
        guard path <= maximumLossPath else {
            throw value.error("needs the loss of \(Swift.min(chains, ChainLayout.maximumGroups)) replicate groups at each of \(steps) steps",
                              expected: "min(chains, 256)·steps ≤ \(Int(maximumLossPath))")
        }
        return target
    }

    static func output(_ node: ConfigNode, chains: Int, steps: Int, dimension d: Int) throws -> (SampleStorage, Int) {
        let map = try node.mapping(allowed: ["samples", "trace_chains"])
        let samples = try map["samples"].map { SampleStorage(rawValue: try $0.choice(SampleStorage.allCases.map(\.rawValue)))! } ?? .final
        let trace = try map["trace_chains"]?.integer("an integer in 0...chains (\(chains))") { $0 >= 0 && $0 <= chains } ?? 0
        if trace > 0, Double(trace) * Double(steps) * Double(d) > 5e8 {
            throw map["trace_chains"]!.error("would store \(trace)·\(steps)·\(d) iterates", expected: "trace_chains·steps·d ≤ 5e8")
        }
        return (samples, trace)
    }
}
