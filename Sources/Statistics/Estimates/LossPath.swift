import Simulation

/// The ensemble mean loss after every update, from the engine's per-group loss path, and
/// the first step at which it reaches a target, with standard errors over the replicate
/// groups.
///
///     L̄(t) = Σ_g a_g(t) / Σ_g n_g(t)
///
/// with a_g(t) the sum of f over group g's chains alive after update t and n_g(t) their
/// number (a chain that diverged at step s is alive before s); se(L̄(t)) is the ratio
/// estimator's cluster-robust standard error (`RatioEstimate`).
///
/// Steps to target T̂ = min{t ≥ 1 : L̄(t) ≤ L}. Its standard error is the delta method's:
/// T̂ is the inverse of L̄ at L, so se(T̂) = se(L̄(T̂)) / |L̄′(T̂)|, with the slope L̄′ the secant
/// of L̄ over T̂ ± w, w = max(1, ⌈T̂/10⌉) (clamped to 1 … steps), wide enough that the
/// secant follows the curve's shape rather than its step-to-step noise. That holds where
/// L̄ crosses L once and steeply; a curve that oscillates (momentum) or flattens near L can
/// touch it within noise elsewhere, so se is widened to at least (T̂ − t₋)/5 and (t₊ − T̂)/5,
/// t₋ the first step with L̄(t) − 5·se(L̄(t)) ≤ L and t₊ the first t ≥ T̂ with
/// L̄(t) + 5·se(L̄(t)) ≤ L (the steps at which the expected curve may first reach L, at 5σ).
/// It is the error of the continuous crossing point: the integer T̂ may differ from its
/// expectation's by up to ⌈5·se⌉ at 5σ.
public struct LossPath: Sendable {
    public let steps: Int
    public let groups: Int
    /// a_g(t) at [g·steps + t − 1].
    let sums: [Double]
    /// n_g(t) at [g·steps + t − 1].
    let alive: [Double]
    /// L̄(t) at index t − 1 (NaN where no chain is alive).
    public let mean: [Double]

    /// Nil when the run did not record a loss path.
    public init?(_ cloud: CloudAccumulation) {
        guard let path = cloud.lossPath else { return nil }
        let steps = cloud.recording.steps, layout = cloud.layout
        self.steps = steps
        groups = layout.groups
        sums = path
        var alive = [Double](repeating: 0, count: layout.groups * steps)
        for g in 0..<layout.groups {
            // Chains alive after update t: all of the group's, less those diverged at s ≤ t.
            var lost = [Double](repeating: 0, count: steps + 1)
            let chains = layout.chains(ofGroup: g)
            for c in chains where cloud.divergenceSteps[c] > 0 { lost[cloud.divergenceSteps[c]] += 1 }
            var count = Double(chains.count)
            for t in 1...steps {
                count -= lost[t]
                alive[g * steps + t - 1] = count
            }
        }
        self.alive = alive
        mean = (1...steps).map { t in
            var a = 0.0, n = 0.0
            for g in 0..<layout.groups {
                a += path[g * steps + t - 1]
                n += alive[g * steps + t - 1]
            }
            return n > 0 ? a / n : .nan
        }
    }

    /// se(L̄(t)) over the replicate groups that have chains alive at t.
    public func stderr(step t: Int) -> Double {
        let groupSums = (0..<groups).compactMap { g -> (numerator: Double, denominator: Double)? in
            let n = alive[g * steps + t - 1]
            return n > 0 ? (sums[g * steps + t - 1], n) : nil
        }
        return RatioEstimate.standardError(groupSums, ratio: mean[t - 1])
    }

    /// T̂ and its delta-method standard error (NaN where the secant does not fall); nil when
    /// the mean loss never reaches the target.
    public func stepsToTarget(_ target: Double) -> (step: Int, stderr: Double)? {
        guard let index = mean.firstIndex(where: { $0 <= target }) else { return nil }
        let t = index + 1
        let w = Swift.max(1, (t + 9) / 10)
        let before = Swift.max(1, t - w), after = Swift.min(steps, t + w)
        let slope = after > before ? (mean[before - 1] - mean[after - 1]) / Double(after - before) : .nan
        let delta = slope > 0 ? stderr(step: t) / slope : .nan
        let early = (1...t).first { mean[$0 - 1] - 5 * stderr(step: $0) <= target } ?? t
        let late = (t...steps).first { mean[$0 - 1] + 5 * stderr(step: $0) <= target } ?? steps
        let reach = Double(Swift.max(t - early, late - t)) / 5
        return (t, delta.isNaN ? (reach > 0 ? reach : .nan) : Swift.max(delta, reach))
    }
}
