import CGSL

/// Rank normalisation (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, "Rank-normalization,
/// folding, and localization: an improved R̂", §4), as ArviZ's `_z_scale`:
///
///     z = Φ⁻¹((r − 3/8) / (S − 2·3/8 + 1))
///
/// where r is the rank of a draw among all S draws of all chains (ties get the average of
/// their ranks, scipy.stats.rankdata(method = "average")), 3/8 is Blom's offset and Φ⁻¹ is
/// gsl_cdf_ugaussian_Pinv.
///
/// Ranking sorts (value, index) pairs with the standard library's sort rather than
/// gsl_sort_index: the heapsort through an index array is 3–4 times slower on the 10⁶–10⁷
/// draws of a cloud, and ranking dominates the cost of the diagnostics.
enum RankNormalization {
    /// Rank-normalised values (same layout as the input) and, as a by-product, the values
    /// in ascending order.
    static func zScale(_ draws: ChainDraws) -> (z: ChainDraws, sorted: [Double]) {
        _ = GSL.setUp
        let (ranks, sorted) = averageRanks(draws.values)
        let c = 3.0 / 8.0
        let size = Double(draws.values.count)
        let denominator = size - 2 * c + 1
        let z = ranks.map { gsl_cdf_ugaussian_Pinv(($0 - c) / denominator) }
        return (ChainDraws(values: z, chains: draws.chains, draws: draws.draws), sorted)
    }

    /// Average ranks, 1-based: a tie group occupying sorted positions i + 1 … j gets
    /// (i + 1 + j)/2; and the sorted values.
    static func averageRanks(_ x: [Double]) -> (ranks: [Double], sorted: [Double]) {
        struct Entry { var value: Double; var index: Int }
        var entries = x.enumerated().map { Entry(value: $0.element, index: $0.offset) }
        entries.sort { $0.value < $1.value }
        let n = x.count
        var ranks = [Double](repeating: 0, count: n)
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && entries[end].value == entries[start].value { end += 1 }
            let rank = 0.5 * (Double(end) + Double(start) + 1)
            for i in start..<end { ranks[entries[i].index] = rank }
            start = end
        }
        return (ranks, entries.map(\.value))
    }
}
