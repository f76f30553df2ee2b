import Simulation
import Statistics

/// Hill's tail index of an optimizer's cloud (summary.json `tail_index…`), from the final
/// iterate of every non-diverged chain.
///
/// One draw per chain: the chains are independent, so the n final iterates are an iid sample
/// of the law at the last step and the iid standard error α̂/√k holds. The recorded cloud
/// would not do: its many autocorrelated draws per chain would make α̂/√k far too small.
/// X = ‖x − x*‖ for the cloud and X = |x_k − x*_k| per coordinate, x* the objective's
/// minimum; k = ⌈√n⌉ (`HillEstimator.recommendedK`).
///
/// An estimate is nil (JSON null) with fewer than `minimumSample` non-diverged chains, when
/// more than n − k values are 0 (a cloud sitting at x*), or when α̂ is infinite.
struct TailIndexReport {
    /// Below this many non-diverged chains no tail index is estimated (k = ⌈√n⌉ < 4).
    static let minimumSample = 10

    /// The number of non-diverged chains, the sample size n.
    let sampleSize: Int
    /// The tail of ‖x − x*‖.
    let distance: HillEstimator?
    /// The tail of |x_k − x*_k|, one per coordinate.
    let coordinates: [HillEstimator?]

    /// - Parameters:
    ///   - cloud: the accumulation, for its final iterates.
    ///   - minimum: x* (`CloudEstimate.minimum`), passed explicitly because the accumulation's
    ///     centring `shift` need not be x*.
    init(cloud: CloudAccumulation, minimum shift: [Double]) {
        let d = cloud.dimension, chains = cloud.chains
        let iterates = cloud.finalIterates
        let alive = iterates.count == chains * d && shift.count == d
            ? (0..<chains).filter { c in (0..<d).allSatisfy { iterates[c * d + $0].isFinite } } : []
        sampleSize = alive.count
        let usable = alive.count >= Self.minimumSample
        func estimate(_ sample: [Double]) -> HillEstimator? {
            guard usable, let hill = try? HillEstimator(sample), hill.tailIndex.isFinite else { return nil }
            return hill
        }
        coordinates = (0..<d).map { k in estimate(alive.map { Swift.abs(iterates[$0 * d + k] - shift[k]) }) }
        distance = estimate(alive.map { c in Self.norm(of: iterates[(c * d)..<((c + 1) * d)], minus: shift) })
    }

    /// ‖x − x*‖, scaled by max|x_k − x*_k| so that it overflows only where the norm itself does.
    static func norm(of x: ArraySlice<Double>, minus shift: [Double]) -> Double {
        let base = x.startIndex
        let scale = shift.indices.reduce(0.0) { Swift.max($0, Swift.abs(x[base + $1] - shift[$1])) }
        guard scale > 0, scale.isFinite else { return scale }
        let sum = shift.indices.reduce(0.0) { sum, k in
            let y = (x[base + k] - shift[k]) / scale
            return sum + y * y
        }
        return scale * sum.squareRoot()
    }

    /// tail_index, tail_index_stderr, tail_index_k (of ‖x − x*‖) and tail_index_per_coordinate.
    var summaryEntries: [(String, JSONValue)] {
        [
            ("tail_index", .optional(distance?.tailIndex)),
            ("tail_index_stderr", .optional(distance?.standardError)),
            ("tail_index_k", distance.map { .integer($0.k) } ?? .null),
            ("tail_index_per_coordinate", .array(coordinates.map { .optional($0?.tailIndex) })),
        ]
    }
}
