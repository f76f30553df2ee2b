extension LogisticRegression {
    /// logistic-regression: the class balance, margin, label flips and class weights, the
    /// data set, and x* — the minimiser of the loss, or for separable data the
    /// L2-regularised minimiser with the weight decay of the first optimizer whose decay is
    /// > 0 on every coordinate (`BuildContext.positiveDecay`).
    public static let entry: ObjectiveEntry = {
        let positiveFraction = Parameter<Double>.number("positive_fraction", .value(0.5), .interval(0, 1, closedBelow: false, closedAbove: false),
                                                        "π: probability of class +1 (before label flips); z | s ~ N(s·½Sw, S)")
        let margin = Parameter<Double>.number("margin", .derived, .above(0), "separable data: each example conditioned on s·wᵀz ≥ margin",
                                              defaultText: "none")
        let labelFlip = Parameter<Double>.number("label_flip", .value(0), .interval(0, 0.5, closedAbove: false),
                                                 "probability that a label is flipped (label noise)")
        let classWeights = AnyParameter.documented("class_weights", default: "[1, 1]", valid: "balanced, or [ω₋, ω₊] each > 0",
                                                   meaning: "loss weight of classes −1 and +1; balanced: n/(2·n_c) as sklearn")
        return ObjectiveEntry(
            "logistic-regression",
            summary: "f = (1/n) Σ ω_{s_i}·log(1 + exp(−s_i z_iᵀx)), labels s = ±1 from class-conditional Gaussians: imbalance, margin, label flips, class weights",
            parameters: DataShape.parameters(n: ("integer in 1...1000000, n·dim² ≤ 1e7 (no stream)", "number of examples"),
                                             weights: "w: the Bayes classifier is σ(wᵀz + log(π/(1 − π)))", scales: "within-class ")
                + [positiveFraction.deferred, margin.deferred, labelFlip.deferred, classWeights,
                                                DataShape.dataSeed.deferred]
        ) { p, context in
            let shape = try DataShape.read(&p, kind: "logistic-regression", seed: context.seed, streamAllowed: false, maximumCount: 1_000_000)
            let map = p.map
            let d = shape.dimension, n = shape.count ?? 1000
            // Every Newton step for x* (and every Hessian of hessian noise) costs n·d², every
            // full-batch gradient n·d per chain and step.
            if Double(n) * Double(d) * Double(d) > 1e7 {
                throw (map["n"] ?? map["dim"] ?? map.owner).error("would make each Newton step for x* cost n·dim² = \(n)·\(d)²",
                                                                  expected: "n·dim² ≤ 1e7")
            }
            let fraction = try p(positiveFraction)
            let separation = try p.optional(margin)
            if separation == nil { p.record("margin", .null) }
            let flip = try p(labelFlip)
            p.record("data_seed", .unsigned(shape.seed))
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
                                             positiveFraction: fraction, margin: separation, labelFlip: flip, seed: shape.seed)
            if !data.features.allSatisfy(\.isFinite) {
                throw (map["weights"] ?? map["feature_scales"] ?? map["margin"] ?? map.owner).error(
                    "give features that overflow (the class means are ½·feature_scale²·w)", expected: "smaller weights or feature scales")
            }
            p.record("weights", .numbers(data.weights))
            let weights = try Self.classWeights(map["class_weights"], data: data)
            p.record("class_weights", .numbers([weights.negative, weights.positive]))

            // Where f has no minimiser the data are separable; the error points at the margin
            // when that is why.
            let separable = map["margin"].flatMap { flip == 0 ? $0 : nil } ?? map["n"] ?? map.owner
            let why = separation != nil && flip == 0
                ? "makes the data separable (no label_flip), so the logistic loss has no finite minimum"
                : "gives linearly separable data (Newton's method finds no finite minimum of the logistic loss)"
            var reference: String?
            do {
                let objective = try LogisticRegression(data: data, classWeights: weights) {
                    guard let found = try context.positiveDecay(d) else {
                        throw separable.error("\(why); bias would be measured from the L2-regularised minimum of the first optimizer "
                                              + "with weight_decay > 0 on every coordinate, but none has one",
                                              expected: separation != nil && flip == 0
                                                  ? "an optimizer with weight_decay > 0, or label_flip > 0"
                                                  : "an optimizer with weight_decay > 0, or more examples n")
                    }
                    reference = found.1
                    return found.0
                }
                p.record("minimum_reference", .string(reference.map {
                    "separable data: the minimum of f + ½Σλ_k x_k² with the weight_decay λ of \($0)"
                } ?? "the minimum of f"))
                return objective
            } catch MinimumError.noFiniteMinimum {
                throw separable.error("\(why), and the L2-regularised minimum with the weight_decay of \(reference ?? "an optimizer") "
                                      + "could not be computed (the loss overflows)", expected: "features of moderate size")
            }
        }
    }()

    /// `balanced` (ω_c = n/(2·n_c), as sklearn) or [ω₋, ω₊], each > 0; uniform when absent.
    static func classWeights(_ node: (any ConfigValue)?, data: LogisticData) throws -> ClassWeights {
        guard let node else { return .uniform }
        let expected = "balanced, or [w0, w1]: two weights > 0 for classes −1 and +1"
        if !node.isList {
            guard (try? node.string()) == "balanced" else { throw node.invalid(expected: expected) }
            return .balanced(data)
        }
        let items = try node.sequence()
        guard items.count == 2 else { throw node.error("has \(items.count) entries", expected: "two class weights [w0, w1] > 0, or balanced") }
        let values = try items.map { try $0.finite("a class weight > 0") { $0 > 0 } }
        return ClassWeights(negative: values[0], positive: values[1])
    }
}
