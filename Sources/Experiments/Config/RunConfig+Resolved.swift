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

    private var objectiveJSON: JSONValue {
        switch objective {
        case .quadratic(let h, let minimum, let form):
            var entries: [(String, JSONValue)] = [("type", .string("quadratic")), ("dim", .integer(minimum.count))]
            switch form {
            case .hessian: break
            case .diagonal: entries.append(("diagonal", .numbers((0..<minimum.count).map { h[$0 * minimum.count + $0] })))
            case .eigenvalues(let values, let seed):
                entries.append(("eigenvalues", .numbers(values)))
                entries.append(("rotation_seed", .unsigned(seed)))
            }
            entries.append(("hessian", .matrix(h, minimum.count)))
            entries.append(("minimum", .numbers(minimum)))
            return .object(entries)
        case .landscape(let landscape, let parameters):
            return .object([("type", .string(landscape.type)), ("dim", .integer(dimension))] + parameters
                           + [("minimum", .numbers(landscape.objective.minimum))])
        }
    }

    private var noiseJSON: JSONValue {
        switch noise {
        case .none: return .object([("type", .string("none"))])
        case .gaussian(let c, _, _):
            return .object([("type", .string("gaussian")), ("covariance", .matrix(c, dimension))])
        case .recorded(_, let rows, let mode, let file):
            return .object([("type", .string("recorded")), ("file", .string(file)), ("mode", .string(mode.rawValue)),
                            ("rows", .integer(rows))])
        case .minibatch(let batch, let replacement, let labelNoise):
            return .object([("type", .string(labelNoise > 0 ? "label-noise" : "minibatch")), ("batch_size", .integer(batch)),
                            ("replacement", .bool(replacement)), ("label_noise_std", .number(labelNoise))])
        case .studentT(let df, let scale):
            return .object([("type", .string("student-t")), ("df", .number(df)), ("scale", .numbers(scale))])
        case .alphaStable(let alpha, let scale):
            return .object([("type", .string("alpha-stable")), ("alpha", .number(alpha)), ("scale", .numbers(scale))])
        case .hessian(let scale, let constant):
            var entries: [(String, JSONValue)] = [("type", .string("hessian")), ("scale", .number(scale))]
            if let constant { entries.append(("covariance", .matrix(constant.covariance, dimension))) }
            return .object(entries)
        }
    }

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
        entries.append(("schedule", schedule.resolved))
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
