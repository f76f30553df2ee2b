import CGSL

/// Siegmund's continuity correction for a level crossed by a diffusion observed only at
/// discrete steps (Siegmund 1979; Siegmund & Yuh 1982; Broadie, Glasserman & Kou 1997 for
/// discretely monitored barriers).
///
/// A chain with Gaussian increments of standard deviation s per step, e.g. SGLD
/// x ← x − lr·f′(x) + √(2·lr·T)·z (s = √(2·T·lr)), is only seen at the steps: between two
/// of them the continuous path may already have crossed a level b that the iterates have
/// not. To first order in s, the discrete first passage to b has the law of the continuous
/// first passage to the level shifted away from the start by β·s,
///
///     b′ = b ± β·s,   β = −ζ(1/2)/√(2π) ≈ 0.5826,
///
/// β·s being the expected overshoot of a Gaussian random walk over a distant level (the
/// ζ(1/2) of Spitzer's formula for the ladder heights). The error is o(s); the drift inside
/// the step, which the correction ignores, enters at order lr.
public enum ContinuityCorrection {
    /// β = −ζ(1/2)/√(2π) (gsl_sf_zeta).
    public static let beta: Double = {
        _ = GSL.setUp
        return -gsl_sf_zeta(0.5) / (2 * Double.pi).squareRoot()
    }()

    /// The level a discretely observed chain effectively crosses: `level` moved by β·s away
    /// from `start` (s the standard deviation of one step's increment).
    public static func shiftedLevel(_ level: Double, start: Double, stepStandardDeviation s: Double) -> Double {
        level + (level < start ? -1.0 : 1.0) * beta * s
    }
}
