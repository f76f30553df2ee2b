/// Rank-normalised split R̂, as ArviZ's `rhat(method = "rank")` (Vehtari et al. 2021, §4.2):
/// the larger of the bulk R̂ of the rank-normalised split chains and the tail R̂ of the
/// rank-normalised folded split chains |x − median(x)|, each the classic
///
///     R̂ = √((B/W + N − 1)/N),
///
/// with N draws per split chain, W the mean within-chain variance (ddof 1) and B/N the
/// (ddof 1) variance of the chain means. NaN with fewer than 2 chains, as ArviZ.
enum SplitRHat {
    /// - Parameters:
    ///   - bulk: the rank-normalised split chains.
    ///   - folded: the rank-normalised folded split chains.
    static func rankNormalized(bulk: ChainDraws, folded: ChainDraws) -> Double {
        guard bulk.chains >= 4 else { return .nan }  // two chains, split
        let bulkRHat = classic(bulk), tailRHat = classic(folded)
        // numpy's max propagates NaN.
        if bulkRHat.isNaN || tailRHat.isNaN { return .nan }
        return Swift.max(bulkRHat, tailRHat)
    }

    /// √((B/W + N − 1)/N) of chains as given (ArviZ's `_rhat`).
    static func classic(_ draws: ChainDraws) -> Double {
        let n = Double(draws.draws)
        let means = (0..<draws.chains).map { SampleMoments.mean(draws.chain($0)) }
        let within = SampleMoments.mean((0..<draws.chains).map { SampleMoments.variance(draws.chain($0)) }[...])
        let between = n * SampleMoments.variance(means[...])
        return ((between / within + n - 1) / n).squareRoot()
    }
}
