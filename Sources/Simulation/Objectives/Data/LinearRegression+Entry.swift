extension LinearRegression {
    public static let entry: ObjectiveEntry = {
        let noiseStd = Parameter<Double>.number("noise_std", .value(0.5), .atLeast(0), "label noise of the data")
        return ObjectiveEntry(
            "linear-regression",
            summary: "f = E ½(zᵀx − y)², y = zᵀw + noise_std·ε, on n synthetic examples (or a fresh example per draw)",
            parameters: DataShape.parameters(n: ("integer ≥ 1, or stream", "number of examples; stream: a fresh example at every draw (the population objective)"),
                                             weights: "the true weights w", scales: "")
                + [noiseStd.deferred, DataShape.dataSeed.deferred]
        ) { p, context in
            let shape = try DataShape.read(&p, kind: "linear-regression", seed: context.seed, streamAllowed: true, maximumCount: 10_000_000)
            let sigma = try p(noiseStd)
            p.record("data_seed", .unsigned(shape.seed))
            let data = RegressionData.generate(dimension: shape.dimension, count: shape.count, weights: shape.weights,
                                               featureScales: shape.scales, noiseStd: sigma, seed: shape.seed)
            p.record("weights", .numbers(data.weights))
            let regression = LinearRegression(data: data)
            let moments = regression.hessian(at: regression.minimum) + [sigma * sigma]
            guard data.features.allSatisfy(\.isFinite), data.targets.allSatisfy(\.isFinite), moments.allSatisfy(\.isFinite),
                  regression.minimum.allSatisfy(\.isFinite), regression.value(at: regression.minimum).isFinite else {
                throw (p.map["weights"] ?? p.map["feature_scales"] ?? p.map["noise_std"] ?? p.map.owner).error(
                    "give data whose moments or least-squares solution overflow", expected: "weights, feature_scales and noise_std of moderate size")
            }
            return regression
        }
    }()
}
