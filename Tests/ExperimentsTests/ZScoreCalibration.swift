import Statistics

/// The verdict on a set of z-scores z = (θ̂ − θ)/se, one per independent replicate (seed,
/// coordinate, optimizer with separate random streams), θ the known truth: a standard
/// error that is right makes them standard — mean 0 and sd 1 — within their own sampling
/// error, at a 5σ-equivalent level so that a fixed-seed test does not flake.
///
/// - mean: z̄ of M standard draws is N(0, 1/M): accepted while |z̄| < 5/√M.
/// - sd: (M − 1)·s²/σ² ~ χ²(M − 1) for normal z (the χ² law of the sample variance): s is
///   accepted inside [√(χ²_ν(p)/ν), √(χ²_ν(1 − p)/ν)] with p = Φ(−5) = 2.9·10⁻⁷ in each tail.
///   z that are not quite normal (a t-like z from an estimated se, Hill's gamma law) have
///   Var(s²) = σ⁴·(2/(M − 1) + κ/M), κ the excess kurtosis: the bounds use the degrees of
///   freedom ν = 2/(2/(M − 1) + κ/M) that give the same variance, κ the sample excess
///   kurtosis (at least 0) — scale free, so it never excuses a standard error off by a factor.
///
/// M = 400 gives sd ∈ [0.83, 1.18]: a standard error 1.5 times too large (sd 0.67) or too
/// small (sd 1.5) is rejected with a wide margin (`rejectsScaledStandardErrors`), which M = 40
/// could not do (sd ∈ [0.49, 1.60]); hence the tests pool ≥ 400 z-scores per verdict.
struct ZScoreCalibration: CustomStringConvertible {
    static let sigmas = 5.0

    let name: String
    let count: Int
    let mean: Double
    let sd: Double
    let excessKurtosis: Double
    let meanBound: Double
    let sdBounds: ClosedRange<Double>

    init(_ name: String, _ z: [Double]) {
        precondition(z.count >= 2 && z.allSatisfy(\.isFinite), "\(name): finite z-scores, at least two")
        self.name = name
        let m = Double(z.count)
        count = z.count
        let average = z.reduce(0, +) / m
        let squares = z.map { ($0 - average) * ($0 - average) }
        let m2 = squares.reduce(0, +) / m, m4 = squares.reduce(0) { $0 + $1 * $1 } / m
        mean = average
        sd = (m2 * m / (m - 1)).squareRoot()
        excessKurtosis = Swift.max(0, m4 / (m2 * m2) - 3)
        meanBound = Self.sigmas / m.squareRoot()
        let nu = 2 / (2 / (m - 1) + excessKurtosis / m)
        let p = Distributions.normalCDF(-Self.sigmas)
        let q = Distributions.chiSquaredQuantiles(lower: p, upper: p, df: nu)
        sdBounds = (q.lower / nu).squareRoot()...(q.upper / nu).squareRoot()
    }

    var meanIsZero: Bool { Swift.abs(mean) < meanBound }
    var sdIsOne: Bool { sdBounds.contains(sd) }
    var accepts: Bool { meanIsZero && sdIsOne }

    var description: String {
        String(format: "%@: M = %d, mean %+.3f (|·| < %.3f), sd %.3f (in [%.3f, %.3f], excess kurtosis %.2f)%@",
               name, count, mean, meanBound, sd, sdBounds.lowerBound, sdBounds.upperBound, excessKurtosis,
               accepts ? "" : " REJECTED")
    }

    /// The mutation check: the same z-scores with the standard error scaled by `factor`
    /// (z/factor) are rejected, for the factor and its inverse.
    static func rejectsScaledStandardErrors(_ name: String, _ z: [Double], factor: Double = 1.5) -> (larger: ZScoreCalibration, smaller: ZScoreCalibration) {
        (ZScoreCalibration("\(name), se × \(factor)", z.map { $0 / factor }),
         ZScoreCalibration("\(name), se / \(factor)", z.map { $0 * factor }))
    }
}
