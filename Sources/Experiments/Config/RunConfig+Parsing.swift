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
    static let objectiveTypes = [
        "quadratic", "rosenbrock", "rastrigin", "styblinski-tang", "double-well", "gaussian-mixture",
        "linear-network", "expression", "linear-regression", "logistic-regression",
    ]
    static let implementedObjectives = Catalogue.objectives.map(\.name)
    static let noiseTypes = ["none", "gaussian", "hessian", "student-t", "alpha-stable", "minibatch", "label-noise", "recorded"]
    static let implementedNoise = Catalogue.noise.map(\.name)
    static let optimizerTypes = [
        "sgd", "adam", "adamw", "rmsprop", "adagrad", "adamax", "nadam", "radam", "lion", "signsgd", "signum", "sgld",
    ]
    static let implementedOptimizers = Catalogue.optimizers.map(\.name)
    static let scheduleTypes = [
        "constant", "linear", "cosine", "cosine-warm-restarts", "step", "multistep", "exponential",
        "inverse-sqrt", "sequential",
    ]
    static let implementedSchedules = Catalogue.schedules.map(\.name)

    /// Reads and checks a config document; `defaultName` is used when `name` is absent.
    init(_ root: ConfigNode, defaultName: String, directory: String) throws {
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
        objective = try Self.objective(try top.required("objective", expected: "an objective such as {type: quadratic, ...}"), seed: seed,
                                       optimizers: top["optimizers"])
        let d = objective.dimension
        let objectiveSpec = objective
        noise = try top["noise"].map { try Self.noise($0, objective: objectiveSpec, directory: directory) } ?? .none
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
        optimizers = try items.map { try Self.optimizer($0, dimension: d) }
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

    /// Checks the `type` of a mapping before its other keys, so that an unimplemented type
    /// with its own parameters is reported as such rather than as unknown keys.
    static func checkType(_ node: ConfigNode, among all: [String], implemented: [String], what: String) throws {
        guard let typeNode = node.peek("type"), !typeNode.isNull else { return }
        let type = try typeNode.choice(all)
        guard implemented.contains(type) else {
            throw typeNode.error("\(what) '\(type)' is not implemented in this version", expected: "one of \(implemented.joined(separator: ", "))")
        }
    }

    static func type(_ map: ConfigNode.Mapping, among all: [String], implemented: [String], what: String) throws -> String {
        let node = try map.required("type", expected: "a \(what) type: one of \(all.joined(separator: ", "))")
        let type = try node.choice(all)
        guard implemented.contains(type) else {
            throw node.error("\(what) '\(type)' is not implemented in this version", expected: "one of \(implemented.joined(separator: ", "))")
        }
        return type
    }

    // MARK: objective

    /// - Parameter optimizers: the config's optimizer list, read when the reference point of
    ///   separable logistic data needs an optimizer's weight decay.
    static func objective(_ node: ConfigNode, seed: UInt64 = 0, optimizers: ConfigNode? = nil) throws -> ObjectiveSpec {
        try checkType(node, among: objectiveTypes, implemented: implementedObjectives, what: "objective")
        let kind = try node.peek("type").map { try $0.choice(objectiveTypes) } ?? "quadratic"
        if kind != "quadratic" { return try landscape(node, kind: kind, seed: seed, optimizers: optimizers) }
        let map = try node.mapping(allowed: ["type"] + Catalogue.entry(.objectives, "quadratic")!.parameterNames)
        _ = try type(map, among: objectiveTypes, implemented: implementedObjectives, what: "objective")
        let forms = ["hessian", "diagonal", "eigenvalues"].filter { map.has($0) }
        guard forms.count == 1 else {
            throw node.error(forms.isEmpty ? "gives no Hessian" : "gives the Hessian twice (\(forms.joined(separator: ", ")))",
                             expected: "exactly one of hessian, diagonal or eigenvalues")
        }
        if map.has("rotation_seed"), !map.has("eigenvalues") {
            throw map["rotation_seed"]!.error("only applies with eigenvalues", expected: "eigenvalues: [...] beside rotation_seed")
        }
        var hessian: [Double]
        let form: ObjectiveSpec.QuadraticForm
        let d: Int
        if let h = map["hessian"] {
            hessian = try h.squareMatrix(size: nil)
            d = Int(Double(hessian.count).squareRoot())
            let scale = hessian.map(Swift.abs).max() ?? 0
            for i in 0..<d {
                for j in 0..<i where Swift.abs(hessian[i * d + j] - hessian[j * d + i]) > 1e-12 * Swift.max(scale, 1e-300) {
                    throw h.error("is not symmetric: entry [\(i)][\(j)] = \(hessian[i * d + j]) but [\(j)][\(i)] = \(hessian[j * d + i])",
                                  expected: "a symmetric matrix")
                }
            }
            // Exactly symmetric from here on.
            for i in 0..<d { for j in 0..<i { hessian[j * d + i] = hessian[i * d + j] } }
            form = .hessian
        } else if let diag = map["diagonal"] {
            let values = try diag.vector()
            guard values.count <= 1000 else { throw node.error("has dimension \(values.count)", expected: "at most 1000 coordinates") }
            d = values.count
            hessian = [Double](repeating: 0, count: d * d)
            for k in 0..<d { hessian[k * d + k] = values[k] }
            form = .diagonal
        } else {
            let node = map["eigenvalues"]!
            let values = try node.vector()
            guard values.count <= 1000 else { throw node.error("has dimension \(values.count)", expected: "at most 1000 coordinates") }
            d = values.count
            let rotationSeed = try map["rotation_seed"]?.unsigned() ?? 0
            hessian = try rotatedHessian(eigenvalues: values, seed: rotationSeed)
            form = .eigenvalues(values, rotationSeed: rotationSeed)
        }
        guard d <= 1000 else { throw node.error("has dimension \(d)", expected: "at most 1000 coordinates") }
        let eigen: [Double]
        do { eigen = try LinearAlgebra.symmetricEigen(hessian, n: d).values } catch {
            throw node.error("the Hessian's eigenvalues could not be computed (\(error))")
        }
        let largest = eigen.map(Swift.abs).max() ?? 0
        if let smallest = eigen.first, smallest < -1e-12 * Swift.max(largest, 1e-300) {
            let key = map["hessian"] ?? map["diagonal"] ?? map["eigenvalues"]!
            throw key.error("has a negative eigenvalue \(smallest): the quadratic has no minimum",
                            expected: "a positive semi-definite Hessian")
        }
        let minimum = try map["minimum"]?.vector(count: d) ?? [Double](repeating: 0, count: d)
        return .quadratic(hessian: hessian, minimum: minimum, form: form)
    }

    /// A non-quadratic landscape with its parameters checked.
    static func landscape(_ node: ConfigNode, kind: String, seed: UInt64, optimizers: ConfigNode?) throws -> ObjectiveSpec {
        let map = try node.mapping(allowed: ["type"] + Catalogue.entry(.objectives, kind)!.parameterNames)
        var resolved: [(String, JSONValue)] = []
        func integer(_ key: String, _ defaultValue: Int?, _ expected: String, _ valid: (Int) -> Bool) throws -> Int {
            let value: Int
            if let node = map[key] { value = try node.integer(expected, valid) } else {
                guard let defaultValue else { throw map.owner.error("is missing key '\(key)'", expected: expected) }
                value = defaultValue
            }
            resolved.append((key, .integer(value)))
            return value
        }
        func number(_ key: String, _ defaultValue: Double, _ expected: String, _ valid: (Double) -> Bool) throws -> Double {
            let value = try map[key]?.finite(expected, valid) ?? defaultValue
            resolved.append((key, .number(value)))
            return value
        }
        // The data parameters shared by linear and logistic regression.
        func dataShape(streamAllowed: Bool, maximumCount: Int) throws -> DataShape {
            let d = try integer("dim", 2, "an integer in 1...1000") { (1...1000).contains($0) }
            var count: Int? = 1000
            if let nNode = map["n"] {
                if (try? nNode.string()) == "stream" {
                    guard streamAllowed else {
                        throw nNode.error("stream is not supported for \(kind): its population loss has no closed form",
                                          expected: "a number of examples in 1...\(maximumCount)")
                    }
                    count = nil
                } else {
                    count = try nNode.integer("an integer in 1...\(maximumCount)" + (streamAllowed ? ", or stream" : "")) {
                        (1...maximumCount).contains($0)
                    }
                }
            }
            resolved.append(("n", count.map { .integer($0) } ?? .string("stream")))
            if let count, count * d > 50_000_000 {
                throw (map["n"] ?? map["dim"] ?? map.owner).error("would hold \(count)·\(d) features",
                                                                  expected: streamAllowed ? "n·dim ≤ 5e7, or n: stream" : "n·dim ≤ 5e7")
            }
            let weights = try map["weights"]?.vector(count: d)
            if map.has("feature_scales"), map.has("condition_number") {
                throw map["condition_number"]!.error("is given beside feature_scales", expected: "only one of them")
            }
            var scales = try map["feature_scales"]?.scalarOrVector(count: d, expected: "a feature scale > 0") { $0 > 0 }
                ?? [Double](repeating: 1, count: d)
            if let kappa = try map["condition_number"]?.finite("a condition number ≥ 1") { $0 >= 1 } {
                // Variances log-spaced from 1 down to 1/κ.
                scales = (0..<d).map { k in d == 1 ? 1 : pow(kappa, -0.5 * Double(k) / Double(d - 1)) }
                resolved.append(("condition_number", .number(kappa)))
            }
            resolved.append(("feature_scales", .numbers(scales)))
            let dataSeed = try map["data_seed"]?.unsigned() ?? seed
            return DataShape(dimension: d, count: count, weights: weights, scales: scales, seed: dataSeed)
        }
        let landscape: ObjectiveSpec.Landscape
        switch kind {
        case "rosenbrock":
            let d = try integer("dim", 2, "an integer in 2...1000") { (2...1000).contains($0) }
            // Bounded so that x* (a² for d = 2) and f near it (b·x⁴) stay finite.
            landscape = .rosenbrock(Rosenbrock(dimension: d, a: try number("a", 1, "a number with |a| ≤ 1e6") { Swift.abs($0) <= 1e6 },
                                               b: try number("b", 100, "b in (0, 1e10]") { $0 > 0 && $0 <= 1e10 }))
        case "rastrigin":
            let d = try integer("dim", 2, "an integer in 1...1000") { (1...1000).contains($0) }
            landscape = .rastrigin(Rastrigin(dimension: d, amplitude: try number("amplitude", 10, "an amplitude ≥ 0") { $0 >= 0 }))
        case "styblinski-tang":
            landscape = .styblinskiTang(StyblinskiTang(dimension: try integer("dim", 2, "an integer in 1...1000") { (1...1000).contains($0) }))
        case "double-well":
            let listed: Int? = { if case .sequence(let s) = map["curvature"]?.node { return s.count + 1 } else { return nil } }()
            let d = try integer("dim", listed ?? 2, "an integer in 1...1000") { (1...1000).contains($0) }
            let barrier = try number("barrier", 1, "a barrier > 0") { $0 > 0 }
            // The wells solve x³ − x + tilt/(4·barrier) = 0; beyond |tilt| = 4e12·barrier they
            // would sit at |x₀| > 1e4 and f overflow near them.
            let tilt = try number("tilt", 0, "a tilt with |tilt| ≤ 4e12·barrier (\(4e12 * barrier))") {
                Swift.abs($0 / (4 * barrier)) <= 1e12
            }
            let curvatures = d == 1 ? [] : try map["curvature"]?.scalarOrVector(count: d - 1, expected: "a curvature ≥ 0") { $0 >= 0 }
                ?? [Double](repeating: 1, count: d - 1)
            resolved.append(("curvature", .numbers(curvatures)))
            landscape = .doubleWell(DoubleWell(barrier: barrier, tilt: tilt, curvatures: curvatures))
        case "gaussian-mixture":
            let weightsNode = try map.required("weights", expected: "the component weights, each > 0")
            let weights = try weightsNode.vector(expected: "weights > 0") { $0 > 0 }
            let meansNode = try map.required("means", expected: "one mean vector per component")
            let means = try meansNode.sequence().map { try $0.vector() }
            guard means.count == weights.count else {
                throw meansNode.error("has \(means.count) means for \(weights.count) weights", expected: "one mean per weight")
            }
            let d = means[0].count
            for (k, m) in means.enumerated() where m.count != d {
                throw meansNode.error("mean \(k) has \(m.count) coordinates but mean 0 has \(d)", expected: "means of equal dimension")
            }
            let covariancesNode = try map.required("covariances", expected: "a variance or d×d matrix per component")
            let items = try covariancesNode.sequence()
            guard items.count == weights.count else {
                throw covariancesNode.error("has \(items.count) entries for \(weights.count) weights", expected: "one covariance per weight")
            }
            let covariances: [[Double]] = try items.map { item in
                if case .sequence = item.node { return try item.squareMatrix(size: d) }
                let variance = try item.finite("a variance > 0") { $0 > 0 }
                return (0..<(d * d)).map { $0 % (d + 1) == 0 ? variance : 0 }
            }
            resolved += [("weights", .numbers(weights)), ("means", .array(means.map { .numbers($0) })),
                         ("covariances", .array(covariances.map { .matrix($0, d) }))]
            do {
                landscape = .gaussianMixture(try GaussianMixture(weights: weights, means: means, covariances: covariances))
            } catch {
                throw covariancesNode.error("\(error)", expected: "symmetric positive-definite covariances")
            }
        case "linear-regression":
            let shape = try dataShape(streamAllowed: true, maximumCount: 10_000_000)
            let noiseStd = try number("noise_std", 0.5, "a noise_std ≥ 0") { $0 >= 0 }
            resolved.append(("data_seed", .unsigned(shape.seed)))
            let data = RegressionData.generate(dimension: shape.dimension, count: shape.count, weights: shape.weights,
                                               featureScales: shape.scales, noiseStd: noiseStd, seed: shape.seed)
            resolved.append(("weights", .numbers(data.weights)))
            let regression = LinearRegression(data: data)
            let moments = regression.hessian(at: regression.minimum) + [noiseStd * noiseStd]
            guard data.features.allSatisfy(\.isFinite), data.targets.allSatisfy(\.isFinite), moments.allSatisfy(\.isFinite),
                  regression.minimum.allSatisfy(\.isFinite), regression.value(at: regression.minimum).isFinite else {
                throw (map["weights"] ?? map["feature_scales"] ?? map["noise_std"] ?? map.owner).error(
                    "give data whose moments or least-squares solution overflow", expected: "weights, feature_scales and noise_std of moderate size")
            }
            landscape = .linearRegression(regression)
        case "logistic-regression":
            landscape = .logisticRegression(try logisticRegression(map, shape: try dataShape(streamAllowed: false, maximumCount: 1_000_000),
                                                                   resolved: &resolved, optimizers: optimizers))
        case "linear-network":
            let depth = try integer("depth", 2, "an integer in 1...1000") { (1...1000).contains($0) }
            landscape = .linearNetwork(LinearNetwork(depth: depth, target: try number("target", 1, "a finite target") { _ in true }))
        default:
            let formulaNode = try map.required("f", expected: "a formula such as \"(x[0]^2 - 1)^2 + 0.5*x[1]^2\"")
            let formula = try formulaNode.string()
            let d = try integer("dim", nil, "dim, an integer in 1...100") { (1...100).contains($0) }
            let minimum = try map["minimum"]?.vector(count: d)
            resolved.append(("f", .string(formula)))
            do {
                landscape = .expression(try ExpressionObjective(formula: formula, dimension: d, minimum: minimum))
            } catch let error as ExpressionError {
                throw formulaNode.error(error.description, expected: error.message.hasPrefix("no minimum") ? "a bounded-below formula, or minimum: [...]" : "a valid formula")
            }
        }
        return .landscape(landscape, parameters: resolved.filter { $0.0 != "dim" })
    }

    /// H = Q diag(λ) Qᵀ with Q Haar-random from the Philox stream of `seed`.
    static func rotatedHessian(eigenvalues: [Double], seed: UInt64) throws -> [Double] {
        let d = eigenvalues.count
        let stream = NormalStream(generator: Philox4x32(seed: seed))
        var gaussian = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0..<((d + 1) / 2) {
                let (a, b) = stream.pair(chain: UInt32(i), step: 0, index: UInt32(j), purpose: .initialization)
                gaussian[i * d + 2 * j] = a
                if 2 * j + 1 < d { gaussian[i * d + 2 * j + 1] = b }
            }
        }
        let q = try LinearAlgebra.orthogonal(fromGaussian: gaussian, n: d)
        var h = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var s = 0.0
                for k in 0..<d { s += q[i * d + k] * eigenvalues[k] * q[j * d + k] }
                h[i * d + j] = s
                h[j * d + i] = s
            }
        }
        return h
    }

    // MARK: noise

    static func noise(_ node: ConfigNode, objective: ObjectiveSpec, directory: String) throws -> NoiseSpec {
        let d = objective.dimension
        try checkType(node, among: noiseTypes, implemented: implementedNoise, what: "noise")
        let kind = (try? node.peek("type")?.string()) ?? ""
        let map = try node.mapping(allowed: ["type"] + (Catalogue.entry(.noise, kind)?.parameterNames ?? Catalogue.noise.flatMap(\.parameterNames)))
        _ = try type(map, among: noiseTypes, implemented: implementedNoise, what: "noise")
        switch kind {
        case "none":
            return .none
        case "recorded":
            return try recordedNoise(map, node: node, dimension: d, directory: directory)
        case "minibatch", "label-noise":
            let n: Int?
            switch objective {
            case .landscape(.linearRegression(let o), _): n = o.data.count
            case .landscape(.logisticRegression(let o), _) where kind == "minibatch": n = o.data.count
            case .landscape(.logisticRegression, _):
                throw map["type"]!.error("label-noise needs regression targets; logistic-regression has classes",
                                         expected: "objective type linear-regression, or label_flip in the logistic data")
            default:
                throw map["type"]!.error("\(kind) noise needs a data objective",
                                         expected: kind == "minibatch" ? "objective type linear-regression or logistic-regression"
                                                                       : "objective type linear-regression")
            }
            let labelNoise = kind == "label-noise" ? try map.required("std", expected: "a label-noise std ≥ 0").finite("a std ≥ 0") { $0 >= 0 } : 0
            let limit = n.map { "an integer in 1...\($0) (n)" } ?? "an integer ≥ 1"
            let batchNode = kind == "minibatch" || n == nil ? try map.required("batch_size", expected: limit) : map["batch_size"]
            let batch = try batchNode?.integer(limit) { $0 >= 1 && $0 <= (n ?? 1_000_000) } ?? n!
            let replacement = try map["replacement"]?.bool() ?? false
            return .minibatch(batchSize: batch, replacement: replacement, labelNoiseStd: labelNoise)
        case "hessian":
            return try hessianNoise(map, objective: objective)
        case "student-t":
            let df = try map.required("df", expected: "degrees of freedom > 0").finite("df > 0") { $0 > 0 }
            let scale = try map["scale"]?.scalarOrVector(count: d, expected: "a scale ≥ 0") { $0 >= 0 } ?? [Double](repeating: 1, count: d)
            return .studentT(df: df, scale: scale)
        case "alpha-stable":
            let alpha = try map.required("alpha", expected: "a tail index in (0, 2]").finite("alpha in (0, 2]") { $0 > 0 && $0 <= 2 }
            let scale = try map["scale"]?.scalarOrVector(count: d, expected: "a scale ≥ 0") { $0 >= 0 } ?? [Double](repeating: 1, count: d)
            return .alphaStable(alpha: alpha, scale: scale)
        default:
            return try gaussianNoise(map, node: node, dimension: d)
        }
    }

    static func gaussianNoise(_ map: ConfigNode.Mapping, node: ConfigNode, dimension d: Int) throws -> NoiseSpec {
        switch (map["std"], map["covariance"]) {
        case (let std?, nil):
            let values = try std.scalarOrVector(count: d, expected: "a standard deviation ≥ 0") { $0 >= 0 }
            var covariance = [Double](repeating: 0, count: d * d), factor = covariance
            for k in 0..<d { covariance[k * d + k] = values[k] * values[k]; factor[k * d + k] = values[k] }
            return .gaussian(covariance: covariance, factor: factor, diagonal: true)
        case (nil, let cov?):
            var c = try cov.squareMatrix(size: d)
            let scale = c.map(Swift.abs).max() ?? 0
            for i in 0..<d {
                for j in 0..<i where Swift.abs(c[i * d + j] - c[j * d + i]) > 1e-12 * Swift.max(scale, 1e-300) {
                    throw cov.error("is not symmetric: entry [\(i)][\(j)] differs from [\(j)][\(i)]", expected: "a symmetric matrix")
                }
                for j in 0..<i { c[j * d + i] = c[i * d + j] }
            }
            let eigen: (values: [Double], vectors: [Double])
            do { eigen = try LinearAlgebra.symmetricEigen(c, n: d) } catch {
                throw cov.error("its eigenvalues could not be computed (\(error))")
            }
            if let smallest = eigen.values.first, smallest < -1e-12 * Swift.max(scale, 1e-300) {
                throw cov.error("has a negative eigenvalue \(smallest)", expected: "a positive semi-definite covariance")
            }
            var diagonal = true
            for i in 0..<d { for j in 0..<d where i != j && c[i * d + j] != 0 { diagonal = false } }
            var factor: [Double]
            if let l = try? LinearAlgebra.cholesky(c, n: d) {
                factor = l
            } else {
                // Singular but positive semi-definite: V·√Λ is a square root too.
                factor = [Double](repeating: 0, count: d * d)
                for i in 0..<d { for j in 0..<d { factor[i * d + j] = eigen.vectors[i * d + j] * Swift.max(0, eigen.values[j]).squareRoot() } }
            }
            return .gaussian(covariance: c, factor: factor, diagonal: diagonal)
        case (nil, nil):
            throw node.error("gives neither std nor covariance", expected: "std: σ (or one per coordinate) or covariance: [[...]]")
        case (.some, .some):
            throw node.error("gives both std and covariance", expected: "only one of them")
        }
    }

    static func recordedNoise(_ map: ConfigNode.Mapping, node: ConfigNode, dimension d: Int, directory: String) throws -> NoiseSpec {
        let fileNode = try map.required("file", expected: "the path of a .npy or .csv file of noise vectors")
        let name = try fileNode.string()
        let path = name.hasPrefix("/") ? name : URL(fileURLWithPath: directory).appendingPathComponent(name).path
        let mode = try map["mode"].map { RecordedNoise.Mode(rawValue: try $0.choice(RecordedNoise.Mode.allCases.map(\.rawValue)))! } ?? .sequential
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw fileNode.error("'\(name)' cannot be read", expected: "an existing .npy or .csv file")
        }
        var values: [Double]
        var rows: Int
        if path.lowercased().hasSuffix(".npy") {
            let array: (values: [Double], shape: [Int])
            do { array = try NPYFile.read(data) } catch {
                throw fileNode.error("'\(name)' \(error)", expected: "a float64 .npy array of shape [rows, \(d)]")
            }
            let shape = array.shape
            guard (shape.count == 2 && shape[1] == d) || (shape.count == 1 && d == 1), let first = shape.first, first > 0 else {
                throw fileNode.error("'\(name)' has shape \(shape)", expected: "shape [rows, \(d)] with rows ≥ 1")
            }
            (values, rows) = (array.values, first)
        } else {
            guard let text = String(data: data, encoding: .utf8) else { throw fileNode.error("'\(name)' is not UTF-8 text", expected: "a .csv file of numbers") }
            (values, rows) = try readNoiseCSV(text, node: fileNode, name: name, dimension: d)
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw fileNode.error("'\(name)' has a non-finite value in row \(bad / d)", expected: "finite numbers")
        }
        return .recorded(values: values, rows: rows, mode: mode, file: name)
    }

    /// Rows of d numbers; a first row that is not numeric is a header.
    static func readNoiseCSV(_ text: String, node: ConfigNode, name: String, dimension d: Int) throws -> ([Double], Int) {
        let reader: CSVReader
        do { reader = try CSVReader(string: text) } catch {
            throw node.error("'\(name)' is not valid CSV (\(error))", expected: "rows of \(d) numbers")
        }
        var values: [Double] = [], rows = 0, line = 0
        while let row = reader.next() {
            line += 1
            let fields = row.map { $0.trimmingCharacters(in: .whitespaces) }
            if fields.allSatisfy(\.isEmpty) { continue }
            let numbers = fields.compactMap(Double.init)
            if numbers.count != fields.count {
                if rows == 0 && line == 1 { continue }
                throw node.error("'\(name)' line \(line) is not numeric", expected: "rows of \(d) numbers")
            }
            guard numbers.count == d else {
                throw node.error("'\(name)' line \(line) has \(numbers.count) values", expected: "\(d) per row (one per coordinate)")
            }
            values += numbers
            rows += 1
        }
        guard rows > 0 else { throw node.error("'\(name)' has no rows of numbers", expected: "rows of \(d) numbers") }
        return (values, rows)
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

    static func optimizer(_ node: ConfigNode, dimension d: Int) throws -> OptimizerSpec {
        try checkType(node, among: optimizerTypes, implemented: implementedOptimizers, what: "optimizer")
        guard node.peek("type") != nil else {
            throw node.error("is missing key 'type'", expected: "an optimizer type: one of \(optimizerTypes.joined(separator: ", "))")
        }
        let kind = try node.peek("type")!.choice(optimizerTypes)
        let entry = Catalogue.entry(.optimizers, kind)!
        let map = try node.mapping(allowed: ["type"] + entry.parameterNames)
        let label = try map["label"].map { try fileSafe($0, what: "a label") } ?? kind
        let lr = try map.required("lr", expected: "a learning rate ≥ 0").finite("a learning rate ≥ 0") { $0 >= 0 }
        let schedule = try map["schedule"].map { try Self.schedule($0) } ?? .constant
        let (clip, stage) = try map["clip"].map { try Self.clip($0) } ?? (GradientClip.none, .gradient)
        var reader = HyperParameters(map: map, dimension: d)
        let rule: OptimizerSpec.Rule
        switch kind {
        case "sgd":
            let momentum = try reader.number("momentum", 0, "≥ 0") { $0 >= 0 }
            let dampening = try reader.number("dampening", 0, "a number") { _ in true }
            let nesterov = try reader.flag("nesterov", false)
            if nesterov, momentum <= 0 || dampening != 0 {
                throw map["nesterov"]!.error("Nesterov momentum requires a momentum and zero dampening", expected: "momentum > 0 and dampening 0")
            }
            rule = .sgd(SGD(momentum: momentum, dampening: dampening, nesterov: nesterov, weightDecay: try reader.decay("weight_decay", 0)))
        case "adam", "adamw":
            let (b1, b2) = try reader.betas(0.9, 0.999)
            let eps = try reader.eps(1e-8)
            let decay = try reader.decay("weight_decay", kind == "adamw" ? 0.01 : 0)
            rule = .adam(Adam(beta1: b1, beta2: b2, eps: eps, weightDecay: decay, decoupled: kind == "adamw", amsgrad: try reader.flag("amsgrad", false)))
        case "rmsprop":
            let alpha = try reader.number("alpha", 0.99, "a number in [0, 1]") { (0...1).contains($0) }
            let eps = try reader.eps(1e-8)
            let decay = try reader.decay("weight_decay", 0)
            let momentum = try reader.number("momentum", 0, "≥ 0") { $0 >= 0 }
            rule = .rmsprop(RMSprop(alpha: alpha, eps: eps, weightDecay: decay, momentum: momentum, centered: try reader.flag("centered", false)))
        case "adagrad":
            let lrDecay = try reader.number("lr_decay", 0, "≥ 0") { $0 >= 0 }
            let decay = try reader.decay("weight_decay", 0)
            let initial = try reader.number("initial_accumulator_value", 0, "≥ 0") { $0 >= 0 }
            rule = .adagrad(Adagrad(lrDecay: lrDecay, weightDecay: decay, initialAccumulatorValue: initial, eps: try reader.eps(1e-10)))
        case "adamax":
            let (b1, b2) = try reader.betas(0.9, 0.999)
            rule = .adamax(Adamax(beta1: b1, beta2: b2, eps: try reader.eps(1e-8), weightDecay: try reader.decay("weight_decay", 0)))
        case "nadam":
            let (b1, b2) = try reader.betas(0.9, 0.999)
            let eps = try reader.eps(1e-8)
            let decay = try reader.decay("weight_decay", 0)
            let psi = try reader.number("momentum_decay", 4e-3, "≥ 0") { $0 >= 0 }
            rule = .nadam(NAdam(beta1: b1, beta2: b2, eps: eps, weightDecay: decay, momentumDecay: psi,
                                decoupledWeightDecay: try reader.flag("decoupled_weight_decay", false)))
        case "radam":
            let (b1, b2) = try reader.betas(0.9, 0.999)
            let eps = try reader.eps(1e-8)
            let decay = try reader.decay("weight_decay", 0)
            rule = .radam(RAdam(beta1: b1, beta2: b2, eps: eps, weightDecay: decay,
                                decoupledWeightDecay: try reader.flag("decoupled_weight_decay", false)))
        case "lion":
            let (b1, b2) = try reader.betas(0.9, 0.99)
            rule = .lion(Lion(beta1: b1, beta2: b2, weightDecay: try reader.decay("weight_decay", 0)))
        case "signsgd":
            rule = .signsgd(SignSGD())
        case "signum":
            rule = .signum(Signum(beta: try reader.number("beta", 0.9, "a number in [0, 1)") { $0 >= 0 && $0 < 1 }))
        default:
            let temperature = try reader.number("temperature", 1, "≥ 0") { $0 >= 0 }
            rule = .sgld(SGLD(temperature: temperature, weightDecay: try reader.decay("weight_decay", 0)))
        }
        return OptimizerSpec(label: label, type: kind, rule: rule, lr: lr, schedule: schedule, clip: clip, clipStage: stage,
                             parameters: reader.resolved)
    }

    /// Reads hyper-parameters with their defaults, checking them as torch does, and keeps
    /// the resolved values for summary.json.
    struct HyperParameters {
        let map: ConfigNode.Mapping
        let dimension: Int
        var resolved: [(String, JSONValue)] = []

        init(map: ConfigNode.Mapping, dimension: Int) {
            self.map = map
            self.dimension = dimension
        }

        mutating func number(_ key: String, _ defaultValue: Double, _ expected: String, _ valid: (Double) -> Bool) throws -> Double {
            let value = try map[key]?.finite(expected, valid) ?? defaultValue
            resolved.append((key, .number(value)))
            return value
        }

        mutating func eps(_ defaultValue: Double) throws -> Double {
            try number("eps", defaultValue, "eps ≥ 0") { $0 >= 0 }
        }

        mutating func flag(_ key: String, _ defaultValue: Bool) throws -> Bool {
            let value = try map[key]?.bool() ?? defaultValue
            resolved.append((key, .bool(value)))
            return value
        }

        mutating func betas(_ b1: Double, _ b2: Double) throws -> (Double, Double) {
            var betas = [b1, b2]
            if let node = map["betas"] {
                betas = try node.vector(count: 2, expected: "betas in [0, 1)") { $0 >= 0 && $0 < 1 }
            }
            resolved.append(("betas", .numbers(betas)))
            return (betas[0], betas[1])
        }

        mutating func decay(_ key: String, _ defaultValue: Double) throws -> WeightDecay {
            let values = try map[key]?.scalarOrVector(count: dimension, expected: "a weight decay ≥ 0") { $0 >= 0 }
                ?? [Double](repeating: defaultValue, count: dimension)
            resolved.append((key, values.allSatisfy { $0 == values[0] } ? .number(values[0]) : .numbers(values)))
            return WeightDecay(values)
        }
    }

    static func schedule(_ node: ConfigNode, nested: Bool = false) throws -> ScheduleSpec {
        try checkType(node, among: scheduleTypes, implemented: implementedSchedules, what: "schedule")
        guard node.peek("type") != nil else {
            throw node.error("is missing key 'type'", expected: "a schedule type: one of \(scheduleTypes.joined(separator: ", "))")
        }
        let kind = try node.peek("type")!.choice(scheduleTypes)
        let map = try node.mapping(allowed: ["type"] + Catalogue.entry(.schedules, kind)!.parameterNames)
        func integer(_ key: String, _ defaultValue: Int?, _ expected: String, _ valid: (Int) -> Bool) throws -> Int {
            if let node = map[key] { return try node.integer(expected, valid) }
            guard let defaultValue else { throw map.owner.error("is missing key '\(key)'", expected: expected) }
            return defaultValue
        }
        func number(_ key: String, _ defaultValue: Double?, _ expected: String, _ valid: (Double) -> Bool) throws -> Double {
            if let node = map[key] { return try node.finite(expected, valid) }
            guard let defaultValue else { throw map.owner.error("is missing key '\(key)'", expected: expected) }
            return defaultValue
        }
        func milestones(_ minimum: Int) throws -> [Int] {
            let node = try map.required("milestones", expected: "increasing integers ≥ \(minimum)")
            let values = try node.sequence().map { try $0.integer("an integer ≥ \(minimum)") { $0 >= minimum } }
            guard !values.isEmpty, zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw node.error("is \(values)", expected: "a non-empty list of strictly increasing integers")
            }
            return values
        }
        switch kind {
        case "constant":
            return .constant
        case "linear":
            return .linear(startFactor: try number("start_factor", 1.0 / 3.0, "a start_factor in (0, 1]") { $0 > 0 && $0 <= 1 },
                           endFactor: try number("end_factor", 1, "an end_factor in [0, 1]") { $0 >= 0 && $0 <= 1 },
                           totalIters: try integer("total_iters", 5, "an integer ≥ 0") { $0 >= 0 })
        case "cosine":
            return .cosine(tMax: try integer("T_max", nil, "T_max, an integer ≥ 1") { $0 >= 1 },
                           etaMin: try number("eta_min", 0, "eta_min ≥ 0") { $0 >= 0 })
        case "cosine-warm-restarts":
            return .cosineWarmRestarts(t0: try integer("T_0", nil, "T_0, an integer ≥ 1") { $0 >= 1 },
                                       tMult: try integer("T_mult", 1, "T_mult, an integer ≥ 1") { $0 >= 1 },
                                       etaMin: try number("eta_min", 0, "eta_min ≥ 0") { $0 >= 0 })
        case "step":
            return .step(stepSize: try integer("step_size", nil, "step_size, an integer ≥ 1") { $0 >= 1 },
                         gamma: try number("gamma", 0.1, "gamma > 0") { $0 > 0 })
        case "multistep":
            return .multistep(milestones: try milestones(0), gamma: try number("gamma", 0.1, "gamma > 0") { $0 > 0 })
        case "exponential":
            return .exponential(gamma: try number("gamma", nil, "gamma > 0") { $0 > 0 })
        case "inverse-sqrt":
            let warmup = try integer("warmup_steps", 0, "an integer ≥ 0") { $0 >= 0 }
            let timescale = try map["timescale"].map { try $0.integer("an integer ≥ 1") { $0 >= 1 } }
            return .inverseSqrt(warmupSteps: warmup, timescale: timescale)
        default:
            if nested { throw map["type"]!.error("sequential schedules cannot be nested", expected: "a non-sequential schedule") }
            let list = try map.required("schedules", expected: "a list of at least two schedules")
            let pieces = try list.sequence().map { try schedule($0, nested: true) }
            guard pieces.count >= 2 else { throw list.error("has \(pieces.count) schedule(s)", expected: "at least two schedules") }
            let points = try milestones(1)
            guard points.count == pieces.count - 1 else {
                throw map["milestones"]!.error("has \(points.count) milestones for \(pieces.count) schedules", expected: "\(pieces.count - 1) milestones")
            }
            return .sequential(schedules: pieces, milestones: points)
        }
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
