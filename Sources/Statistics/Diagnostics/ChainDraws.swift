import CGSL

/// Draws of one scalar quantity from several chains, chain-major: draw d of chain c is
/// values[c·draws + d] — ArviZ's (chain, draw) order.
struct ChainDraws {
    var values: [Double]
    let chains: Int
    let draws: Int

    /// Split chains, as ArviZ's `_split_chains`: each chain's first ⌊n/2⌋ draws and its last
    /// ⌊n/2⌋ draws become two chains (all first halves, then all second halves); with an odd
    /// n the middle draw is dropped.
    func split() -> ChainDraws {
        let half = draws / 2
        var out = [Double]()
        out.reserveCapacity(2 * chains * half)
        for c in 0..<chains { out += values[(c * draws)..<(c * draws + half)] }
        for c in 0..<chains { out += values[(c * draws + draws - half)..<(c * draws + draws)] }
        return ChainDraws(values: out, chains: 2 * chains, draws: half)
    }

    /// The same layout with f applied to every value.
    func map(_ f: (Double) -> Double) -> ChainDraws {
        ChainDraws(values: values.map(f), chains: chains, draws: draws)
    }

    func chain(_ c: Int) -> ArraySlice<Double> { values[(c * draws)..<((c + 1) * draws)] }

    /// The sample mean of all draws.
    var mean: Double { SampleMoments.mean(values[...]) }
}

/// Means and unbiased variances (numpy's mean and var(ddof=1)), and ArviZ's quantiles.
enum SampleMoments {
    static func mean(_ x: ArraySlice<Double>) -> Double {
        x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count)
    }

    /// Σ(x − x̄)²/(n − 1), two-pass as numpy.
    static func variance(_ x: ArraySlice<Double>) -> Double {
        let m = mean(x)
        return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
    }

    /// The median of a sorted sample: the middle value, or the mean of the two middle values
    /// (gsl_stats_median_from_sorted_data, which agrees with numpy.median).
    static func median(sorted: [Double]) -> Double {
        sorted.withUnsafeBufferPointer { gsl_stats_median_from_sorted_data($0.baseAddress, 1, $0.count) }
    }

    /// The prob-quantile of a sorted sample by R's type 7 (linear interpolation between order
    /// statistics), written exactly as scipy.stats.mstats.mquantiles(alphap = 1, betap = 1),
    /// which ArviZ uses: aleph = n·p + (1 − p), k = ⌊clip(aleph, 1, n − 1)⌋,
    /// γ = clip(aleph − k, 0, 1), q = (1 − γ)·x₍k₎ + γ·x₍k+1₎ (1-based order statistics).
    /// The same arithmetic matters: with tied values an ulp decides which draws lie at or
    /// below the quantile.
    static func quantileType7(sorted x: [Double], _ p: Double) -> Double {
        let n = x.count
        if n == 1 { return x[0] }
        let m = 1.0 + p * (1.0 - 1.0 - 1.0)
        let aleph = Double(n) * p + m
        let k = Int(Swift.min(Swift.max(aleph, 1), Double(n - 1)).rounded(.down))
        let gamma = Swift.min(Swift.max(aleph - Double(k), 0), 1)
        return (1.0 - gamma) * x[k - 1] + gamma * x[k]
    }

    /// An ascending copy, sorted by GSL (gsl_sort).
    static func sorted(_ x: [Double]) -> [Double] {
        var y = x
        y.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress, 1, $0.count) }
        return y
    }
}
