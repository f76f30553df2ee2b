/// Monte Carlo standard errors of the mean and of the standard deviation, as ArviZ's
/// `mcse(method = "mean")` and `mcse(method = "sd")` (ArviZ 0.23.4, `_mcse_mean`, `_mcse_sd`):
///
///     mcse_mean = s / √ESS_mean(x),
///     mcse_sd   = √( (mean(c²) − mean(c)²) / ESS_mean(c) / mean(c) / 4 ),  c = (x − x̄)²,
///
/// where s is the (ddof 1) standard deviation of all draws and ESS_mean is the effective
/// sample size of the split chains without rank normalisation. mcse_sd is the delta-method
/// error of √mean(c) from the error of mean(c).
enum MonteCarloStandardError {
    static func mean(_ draws: ChainDraws) throws -> Double {
        let ess = try EffectiveSampleSize.of(draws.split())
        return SampleMoments.variance(draws.values[...]).squareRoot() / ess.squareRoot()
    }

    static func standardDeviation(_ draws: ChainDraws) throws -> Double {
        let mean = draws.mean
        let squares = draws.map { ($0 - mean) * ($0 - mean) }
        let ess = try EffectiveSampleSize.of(squares.split())
        let expectedVariance = squares.mean
        let meanOfSquares = SampleMoments.mean(squares.values.map { $0 * $0 }[...])
        let varianceOfVariance = (meanOfSquares - expectedVariance * expectedVariance) / ess
        return (varianceOfVariance / expectedVariance / 4).squareRoot()
    }
}
