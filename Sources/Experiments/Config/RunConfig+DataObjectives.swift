import Simulation

extension RunConfig {
    /// The data parameters shared by linear and logistic regression, checked.
    struct DataShape {
        let dimension: Int
        /// nil for streamed data.
        let count: Int?
        let weights: [Double]?
        let scales: [Double]
        let seed: UInt64
    }

    /// logistic-regression: the class balance, margin, label flips and class weights, the
    /// data set, and x* — the minimiser of the loss, or for separable data the L2-regularised
    /// minimiser with the weight decay of the first optimizer whose decay is > 0 on every
    /// coordinate (`optimizers`, parsed here for that).
    static func logisticRegression(
        _ map: ConfigNode.Mapping, shape: DataShape, resolved: inout [(String, JSONValue)], optimizers: ConfigNode?
    ) throws -> LogisticRegression {
        let d = shape.dimension, n = shape.count ?? 1000
        // Every Newton step for x* (and every Hessian of hessian noise) costs n·d², every
        // full-batch gradient n·d per chain and step.
        if Double(n) * Double(d) * Double(d) > 1e7 {
            throw (map["n"] ?? map["dim"] ?? map.owner).error("would make each Newton step for x* cost n·dim² = \(n)·\(d)²",
                                                              expected: "n·dim² ≤ 1e7")
        }
        func number(_ key: String, _ expected: String, _ valid: (Double) -> Bool) throws -> Double? {
            try map[key]?.finite(expected, valid)
        }
        let positiveFraction = try number("positive_fraction", "a positive_fraction in (0, 1)") { $0 > 0 && $0 < 1 } ?? 0.5
        let margin = try number("margin", "a margin > 0") { $0 > 0 }
        let labelFlip = try number("label_flip", "a label_flip in [0, 0.5)") { $0 >= 0 && $0 < 0.5 } ?? 0
        resolved += [("positive_fraction", .number(positiveFraction)), ("margin", margin.map { .number($0) } ?? .null),
                     ("label_flip", .number(labelFlip)), ("data_seed", .unsigned(shape.seed))]
        // Drawn weights are those of a regression with the same seed (drawn here to check them).
        let w = shape.weights ?? RegressionData.generate(dimension: d, count: nil, weights: nil, featureScales: shape.scales,
                                                         noiseStd: 0, seed: shape.seed).weights
        if let marginNode = map["margin"] {
            // q = wᵀSw, the variance of wᵀz within a class: the margin is measured in its units.
            let q = zip(w, shape.scales).reduce(0.0) { $0 + ($1.0 * $1.1) * ($1.0 * $1.1) }
            guard q > 0, q.isFinite else {
                throw marginNode.error("needs a separating direction, but wᵀSw = \(q) for the weights and feature scales",
                                       expected: "weights with a nonzero entry, and wᵀSw finite")
            }
        }
        let data = LogisticData.generate(dimension: d, count: n, weights: w, featureScales: shape.scales,
                                         positiveFraction: positiveFraction, margin: margin, labelFlip: labelFlip, seed: shape.seed)
        if !data.features.allSatisfy(\.isFinite) {
            throw (map["weights"] ?? map["feature_scales"] ?? map["margin"] ?? map.owner).error(
                "give features that overflow (the class means are ½·feature_scale²·w)", expected: "smaller weights or feature scales")
        }
        resolved.append(("weights", .numbers(data.weights)))
        let classWeights = try Self.classWeights(map["class_weights"], data: data)
        resolved.append(("class_weights", .numbers([classWeights.negative, classWeights.positive])))

        // Where f has no minimiser the data are separable; the error points at the margin
        // when that is why.
        let separable = map["margin"].flatMap { labelFlip == 0 ? $0 : nil } ?? map["n"] ?? map.owner
        let why = margin != nil && labelFlip == 0
            ? "makes the data separable (no label_flip), so the logistic loss has no finite minimum"
            : "gives linearly separable data (Newton's method finds no finite minimum of the logistic loss)"
        var reference: String?
        do {
            let objective = try LogisticRegression(data: data, classWeights: classWeights) {
                guard let found = try firstPositiveDecay(optimizers, dimension: d) else {
                    throw separable.error("\(why); bias would be measured from the L2-regularised minimum of the first optimizer "
                                          + "with weight_decay > 0 on every coordinate, but none has one",
                                          expected: margin != nil && labelFlip == 0
                                              ? "an optimizer with weight_decay > 0, or label_flip > 0"
                                              : "an optimizer with weight_decay > 0, or more examples n")
                }
                reference = found.1
                return found.0
            }
            resolved.append(("minimum_reference", .string(reference.map {
                "separable data: the minimum of f + ½Σλ_k x_k² with the weight_decay λ of \($0)"
            } ?? "the minimum of f")))
            return objective
        } catch LogisticRegression.MinimumError.noFiniteMinimum {
            throw separable.error("\(why), and the L2-regularised minimum with the weight_decay of \(reference ?? "an optimizer") "
                                  + "could not be computed (the loss overflows)", expected: "features of moderate size")
        }
    }

    /// `balanced` (ω_c = n/(2·n_c), as sklearn) or [ω₋, ω₊], each > 0; uniform when absent.
    static func classWeights(_ node: ConfigNode?, data: LogisticData) throws -> LogisticRegression.ClassWeights {
        guard let node else { return .uniform }
        let expected = "balanced, or [w0, w1]: two weights > 0 for classes −1 and +1"
        if case .scalar = node.node {
            guard (try? node.string()) == "balanced" else { throw node.error("is \(node.kind)", expected: expected) }
            return .balanced(data)
        }
        let items = try node.sequence()
        guard items.count == 2 else { throw node.error("has \(items.count) entries", expected: "two class weights [w0, w1] > 0, or balanced") }
        let values = try items.map { try $0.finite("a class weight > 0") { $0 > 0 } }
        return LogisticRegression.ClassWeights(negative: values[0], positive: values[1])
    }

    /// The weight decay of the first optimizer whose decay is > 0 on every coordinate, and
    /// where it comes from ("optimizers.K (label)"); nil when none has one.
    static func firstPositiveDecay(_ optimizers: ConfigNode?, dimension d: Int) throws -> ([Double], String)? {
        guard let optimizers else { return nil }
        for (i, item) in try optimizers.sequence().enumerated() {
            let spec = try optimizer(item, dimension: d)
            if let decay = spec.weightDecay, decay.allSatisfy({ $0 > 0 }) { return (decay, "optimizers.\(i) (\(spec.label))") }
        }
        return nil
    }
}
