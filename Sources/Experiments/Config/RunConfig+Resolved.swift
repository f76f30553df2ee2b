import Simulation

extension RunConfig {
    /// The fully resolved config: every key with its value or default, as `validate`
    /// prints it and summary.json records it.
    public var resolved: JSONValue {
        guard case .object(var entries) = resolvedSimulation else { return resolvedSimulation }
        let at = entries.firstIndex { $0.0 == "optimizers" } ?? entries.count
        entries.insert(contentsOf: [("checkpoint_every", checkpointEvery.map { .integer($0) } ?? .null),
                                    ("checkpoint_seconds", .number(checkpointSeconds))], at: at)
        return .object(entries)
    }

    /// `resolved` without the checkpoint keys: everything the results depend on.
    public var resolvedSimulation: JSONValue {
        var entries: [(String, JSONValue)] = [
            ("name", .string(name)), ("seed", .unsigned(seed)),
            ("objective", objectiveJSON), ("noise", noiseJSON), ("init", initJSON),
            ("chains", .integer(chains)), ("steps", .integer(steps)), ("burn_in", .integer(burnIn)),
            ("thin", .integer(thin)), ("divergence_bound", .number(divergenceBound)),
            ("common_random_numbers", .bool(commonRandomNumbers)),
        ]
        entries.append(("optimizers", .array(optimizers.map(\.resolved))))
        var histogramEntries: [(String, JSONValue)] = [("bins", .integer(histogram.bins))]
        histogramEntries.append(("range", histogram.ranges.map { .array($0.map { .numbers([$0.lowerBound, $0.upperBound]) }) } ?? .string("auto")))
        entries.append(("statistics", .object([
            ("histogram", .object(histogramEntries)),
            ("pairs", .array(histogram.pairs.map { .array([.integer($0.x), .integer($0.y)]) })),
            ("target_loss", targetLoss.map { .number($0) } ?? .null),
        ])))
        entries.append(("output", .object([("samples", .string(samples.rawValue)), ("trace_chains", .integer(traceChains))])))
        return .object(entries)
    }

    private var objectiveJSON: JSONValue { JSONValue(objective.resolved) }

    private var noiseJSON: JSONValue { JSONValue(noise.resolved) }

    private var initJSON: JSONValue {
        switch initial {
        case .point(let at): return .object([("type", .string("point")), ("at", .numbers(at))])
        case .gaussian(let mean, let std):
            return .object([("type", .string("gaussian")), ("mean", .numbers(mean)), ("std", .numbers(std))])
        }
    }
}

extension OptimizerSpec {
    var resolved: JSONValue {
        var entries: [(String, JSONValue)] = [("label", .string(label)), ("type", .string(type)), ("lr", .number(lr))]
        entries += parameters
        entries.append(("schedule", JSONValue(schedule.resolved)))
        switch clip {
        case .none: entries.append(("clip", .null))
        case .norm(let maxNorm, let normType):
            entries.append(("clip", .object([("max_norm", .number(maxNorm)),
                                             ("norm_type", normType.isInfinite ? .string("inf") : .number(normType)),
                                             ("stage", .string(clipStage.rawValue))])))
        case .value(let v):
            entries.append(("clip", .object([("max_value", .number(v)), ("stage", .string(clipStage.rawValue))])))
        }
        return .object(entries)
    }
}

extension JSONValue {
    /// A resolved parameter value as JSON.
    init(_ value: ParameterValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let x): self = .number(x)
        case .integer(let i): self = .integer(i)
        case .unsigned(let u): self = .unsigned(u)
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(items.map(JSONValue.init))
        case .object(let entries): self = .object(entries.map { ($0.0, JSONValue($0.1)) })
        }
    }
}
