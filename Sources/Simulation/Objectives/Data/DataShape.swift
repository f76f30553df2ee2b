/// The data parameters linear and logistic regression share — dim, n, weights,
/// feature_scales or condition_number, data_seed — read and checked for either.
struct DataShape {
    let dimension: Int
    /// nil for streamed data.
    let count: Int?
    let weights: [Double]?
    let scales: [Double]
    let seed: UInt64

    /// The catalogue lines of the shared parameters: `n` valid and meaning, `weights`'
    /// meaning, and what the feature scales are scales of ("", "within-class ").
    static func parameters(n: (valid: String, meaning: String), weights: String, scales within: String) -> [AnyParameter] {
        [
            dim.deferred,
            .documented("n", default: "1000", valid: n.valid, meaning: n.meaning),
            .documented("weights", default: "drawn N(0, 1) from data_seed", valid: "d numbers", meaning: weights),
            .documented("feature_scales", default: "1", valid: "> 0, scalar or one per coordinate",
                        meaning: "\(within)standard deviation of each feature"),
            .documented("condition_number", default: "—", valid: "≥ 1 (instead of feature_scales)",
                        meaning: "\(within.isEmpty ? "feature " : within)variances log-spaced from 1 down to 1/κ"),
        ]
    }
    static let dim = Parameter<Int>.integer("dim", .value(2), .within(1...1000), "d")
    static let dataSeed = Parameter<UInt64>.seed("data_seed", .derived, "seed of the data set", defaultText: "the run's seed")

    /// Reads the shared parameters of `kind`; `streamAllowed` admits `n: stream`.
    static func read(_ p: inout ParameterReader, kind: String, seed: UInt64, streamAllowed: Bool, maximumCount: Int) throws -> DataShape {
        let map = p.map
        let d = try p(dim)
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
        p.record("n", count.map { .integer($0) } ?? .string("stream"))
        if let count, count * d > 50_000_000 {
            throw (map["n"] ?? map["dim"] ?? map.owner).error("would hold \(count)·\(d) features",
                                                              expected: streamAllowed ? "n·dim ≤ 5e7, or n: stream" : "n·dim ≤ 5e7")
        }
        let weights = try map["weights"]?.vector(count: d, expected: "finite numbers") { _ in true }
        if map.has("feature_scales"), let kappaNode = map["condition_number"] {
            throw kappaNode.error("is given beside feature_scales", expected: "only one of them")
        }
        var scales = try map["feature_scales"]?.scalarOrVector(count: d, expected: "a feature scale > 0") { $0 > 0 }
            ?? [Double](repeating: 1, count: d)
        if let kappa = try map["condition_number"]?.finite("a condition number ≥ 1", { $0 >= 1 }) {
            // Variances log-spaced from 1 down to 1/κ.
            scales = (0..<d).map { k in d == 1 ? 1 : _pow(kappa, -0.5 * Double(k) / Double(d - 1)) }
            p.record("condition_number", .number(kappa))
        }
        p.record("feature_scales", .numbers(scales))
        let dataSeed = try p.optional(dataSeed, record: false) ?? seed
        return DataShape(dimension: d, count: count, weights: weights, scales: scales, seed: dataSeed)
    }
}
