#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Multi-chain effective sample size, as ArviZ's `_ess` (Vehtari et al. 2021, §3.2; Geyer 1992):
///
/// With M chains of N draws, chain autocovariances γ̂_m(t), W = mean_m γ̂_m(0)·N/(N − 1) and
/// var⁺ = W·(N − 1)/N + B/N, B/N the (ddof 1) variance of the chain means (0 for M = 1), the
/// combined autocorrelation is ρ̂(t) = 1 − (W − mean_m γ̂_m(t))/var⁺. Pairs
/// P_k = ρ̂(2k) + ρ̂(2k+1) are summed while positive (Geyer's initial positive sequence, with
/// ρ̂ of the first non-positive pair's even lag kept when positive), made non-increasing
/// (initial monotone sequence), and
///
///     τ̂ = −1 + 2 Σ_{t ≤ t_max} ρ̂(t) + ρ̂(t_max + 1),   ESS = M·N / max(τ̂, 1/log₁₀(M·N)).
///
/// The ESS of the mean (`ess(method = "mean")`) is `of(draws.split())`, the bulk ESS
/// (`ess(method = "bulk")`) the ESS of the rank-normalised split chains.
/// Draws whose range is below 10⁻¹⁵ (numpy's float resolution) give ESS = M·N.
enum EffectiveSampleSize {
    /// Tail ESS (ArviZ `ess(method = "tail")`): the smaller of the ESS of the split chains
    /// of the indicators 1{x ≤ q₀.₀₅} and 1{x ≤ q₀.₉₅}, the quantiles (type 7) taken over
    /// all draws of all chains, given in ascending order as `sorted`.
    static func tail(_ draws: ChainDraws, sorted: [Double]) throws -> Double {
        let low = try quantileIndicator(draws, SampleMoments.quantileType7(sorted: sorted, 0.05))
        let high = try quantileIndicator(draws, SampleMoments.quantileType7(sorted: sorted, 0.95))
        if low.isNaN || high.isNaN { return .nan }
        return Swift.min(low, high)
    }

    private static func quantileIndicator(_ draws: ChainDraws, _ quantile: Double) throws -> Double {
        try of(draws.map { $0 <= quantile ? 1 : 0 }.split())
    }

    /// The ESS of chains as given (ArviZ's `_ess`).
    static func of(_ draws: ChainDraws) throws -> Double {
        let m = draws.chains, n = draws.draws
        let size = Double(m * n)
        guard let lo = draws.values.min(), let hi = draws.values.max() else { return .nan }
        if hi - lo < 1e-15 { return size }

        var autocovariance = Autocovariance(draws: n)
        let meanAutocovariance = try autocovariance.mean(of: draws)
        let chainMeans = (0..<m).map { SampleMoments.mean(draws.chain($0)) }

        let nd = Double(n)
        let meanVariance = meanAutocovariance[0] * nd / (nd - 1)
        var varPlus = meanVariance * (nd - 1) / nd
        if m > 1 { varPlus += SampleMoments.variance(chainMeans[...]) }
        func rho(_ t: Int) -> Double { 1 - (meanVariance - meanAutocovariance[t]) / varPlus }

        var rhoHat = [Double](repeating: 0, count: n)
        var rhoEven = 1.0
        rhoHat[0] = rhoEven
        var rhoOdd = rho(1)
        rhoHat[1] = rhoOdd

        // Geyer's initial positive sequence.
        var t = 1
        while t < n - 3 && rhoEven + rhoOdd > 0 {
            rhoEven = rho(t + 1)
            rhoOdd = rho(t + 2)
            if rhoEven + rhoOdd >= 0 {
                rhoHat[t + 1] = rhoEven
                rhoHat[t + 2] = rhoOdd
            }
            t += 2
        }
        let maxT = t - 2
        if rhoEven > 0 { rhoHat[maxT + 1] = rhoEven }

        // Geyer's initial monotone sequence.
        t = 1
        while t <= maxT - 2 {
            if rhoHat[t + 1] + rhoHat[t + 2] > rhoHat[t - 1] + rhoHat[t] {
                rhoHat[t + 1] = (rhoHat[t - 1] + rhoHat[t]) / 2
                rhoHat[t + 2] = rhoHat[t + 1]
            }
            t += 2
        }

        var tau = -1.0
        if maxT >= 0 { tau += 2 * rhoHat[0...maxT].reduce(0, +) }
        tau += rhoHat[maxT + 1]
        tau = Swift.max(tau, 1 / log10(size))
        if rhoHat.contains(where: \.isNaN) { return .nan }
        return size / tau
    }
}
