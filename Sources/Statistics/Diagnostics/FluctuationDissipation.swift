import Simulation

/// Yaida's fluctuation–dissipation ratio (Yaida 2018, "Fluctuation-dissipation relations for
/// stochastic gradient descent") of SGD or heavy ball, from the sums of the recorded steps
/// (`GroupMoments.fdrCross`, `fdrStep`):
///
///     R = Σ (x_{t−1} − c)·g_t / ((1 + μ)/(2·lr) · Σ |x_t − x_{t−1}|²),
///
/// g_t the (noisy, clipped) gradient the update used, μ the momentum, c any fixed point.
///
/// Why R = 1 at stationarity: heavy ball is x_t = x_{t−1} − lr·b_t, b_t = μ·b_{t−1} + g_t.
/// Stationarity of E|x − c|² gives 2·E[(x_{t−1} − c)·b_t] = lr·E|b|², and of
/// E[(x − c)·b] (with x_{t−1} − c = x_{t−2} − c − lr·b_{t−1}) gives
/// E[(x_{t−1} − c)·g_t] = (1 − μ)·E[(x_{t−1} − c)·b_t] + μ·lr·E|b|² = (1 + μ)/2·lr·E|b|²;
/// with E|Δx|² = lr²·E|b|² that is E[(x − c)·g] = (1 + μ)/(2·lr)·E|Δx|². It holds for any
/// objective and gradient noise of finite variance, so R ≠ 1 flags a cloud that is not
/// stationary (or an infinite-variance one).
///
/// Standard error by the delta method for a ratio of sums over the independent replicate
/// groups (`RatioEstimate`), numerators Σ(x − c)·g and denominators κ·Σ|Δx|² per group,
/// κ = (1 + μ)/(2·lr).
public struct FluctuationDissipation: Sendable {
    public let ratio: Double
    public let stderr: Double

    /// - Parameters:
    ///   - lr: the constant learning rate, > 0.
    ///   - momentum: μ ≥ 0 (0 for plain SGD).
    public init(_ cloud: CloudAccumulation, lr: Double, momentum: Double) {
        let groups = cloud.groups.filter { $0.count > 0 }
        let kappa = (1 + momentum) / (2 * lr)
        let cross = groups.reduce(0) { $0 + $1.fdrCross }, step = groups.reduce(0) { $0 + $1.fdrStep }
        let denominator = kappa * step
        ratio = denominator > 0 && denominator.isFinite ? cross / denominator : .nan
        stderr = ratio.isFinite ? RatioEstimate.standardError(groups.map { ($0.fdrCross, kappa * $0.fdrStep) }, ratio: ratio) : .nan
    }
}
