#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Simulation

/// Whether a cloud still spreads during the recorded window, from the ensemble timeseries
/// (`EnsembleTimeseries`) at its steps t > burn_in.
///
/// Along each unit direction u (the directions the engine tracked — the Hessian's
/// eigenvectors at x* — and every coordinate axis) the ensemble variance at step t is
///
///     V_t = n_t/(n_t − 1) · (E[(u·y)²] − (u·E y)²),   y = x − x*,
///
/// over the n_t chains alive at t. Its growth exponent β is the least-squares slope of
/// log V_t on log t over the recorded window's timeseries steps (t counted from the start of
/// the run, so free diffusion from the initial point, V_t ∝ t, has β = 1, and a stationary
/// cloud β ≈ 0). A direction is flagged when both
///
/// - β > `growthThreshold` (0.2: the variance grows by more than 2^0.2 − 1 = 15 % when t
///   doubles), and
/// - the increase V_last − V_first between the first and the last recorded timeseries step
///   exceeds `significance` (5) standard errors.
///
/// The standard error of the increase is cluster-robust over the replicate groups, paired:
/// the two variances are measured on the same chains, so rather than adding their squared
/// standard errors (which would ignore their correlation), each group's residuals at the two
/// steps are subtracted first,
///
///     Var(V̂_L − V̂_F) = G/(G − 1) · Σ_g (r_g,L/(N_L − 1) − r_g,F/(N_F − 1))²,
///     r_g,t = Σ_{i∈g} (u·y_i − m_t)² − n_g,t·v_t,
///
/// with m_t the ensemble mean of u·y and v_t the (biased) variance at t — the delta method of
/// `CloudEstimate` applied to the difference. The cloud is stationary when no direction is
/// flagged; with fewer than 3 timeseries steps in the recorded window, or no direction with a
/// growth exponent (no chains, or no spread), it is undecided (nil).
public struct StationarityCheck: Sendable {
    public static let growthThreshold = 0.2
    public static let significance = 5.0

    /// One direction's verdict.
    public struct Direction: Sendable {
        public enum Kind: Sendable, Equatable {
            /// The j-th direction given (e.g. an eigenvector of the Hessian at x*).
            case given(Int)
            /// Coordinate axis k.
            case axis(Int)
        }
        public let kind: Kind
        public let vector: [Double]
        /// β (NaN when fewer than 3 steps have a positive, finite variance).
        public let growthExponent: Double
        public let varianceFirst: Double
        public let varianceLast: Double
        /// Standard error of varianceLast − varianceFirst (paired over replicate groups).
        public let increaseStderr: Double
        public var isFlagged: Bool {
            growthExponent > StationarityCheck.growthThreshold
                && varianceLast - varianceFirst > StationarityCheck.significance * increaseStderr
        }
    }

    public let directions: [Direction]
    /// The timeseries steps of the recorded window the fit used.
    public let steps: [Int]
    /// nil when undecided (fewer than 3 timeseries steps after burn-in).
    public let isStationary: Bool?

    /// The flagged direction with the largest growth exponent.
    public var worst: Direction? {
        directions.filter(\.isFlagged).max { $0.growthExponent < $1.growthExponent }
    }

    /// - Parameters:
    ///   - series: the ensemble sums, whose `layout.directions` directions are `directions`.
    ///   - directions: row-major unit vectors, layout.directions × d.
    ///   - burnIn: steps ≤ burnIn are not part of the recorded window.
    public init(_ series: EnsembleTimeseries, directions: [Double], burnIn: Int) {
        let layout = series.layout, d = layout.dimension
        let window = series.steps.indices.filter { series.steps[$0] > burnIn }
        steps = window.map { series.steps[$0] }
        let totals = window.map { series.total(at: $0) }
        var result: [Direction] = []
        // (kind, u, field of Σ(u·y)², Σ u·y from a record)
        var probes: [(Direction.Kind, [Double], Int)] = []
        if directions.count == layout.directions * d {
            for j in 0..<layout.directions {
                probes.append((.given(j), Array(directions[(j * d)..<((j + 1) * d)]), layout.direction(j)))
            }
        }
        for k in 0..<d {
            var axis = [Double](repeating: 0, count: d)
            axis[k] = 1
            probes.append((.axis(k), axis, layout.square(k)))
        }
        func projection(_ record: ArraySlice<Double>, _ u: [Double]) -> Double {
            var s = 0.0
            for k in 0..<d { s += u[k] * record[record.startIndex + layout.sum(k)] }
            return s
        }
        for (kind, u, field) in probes {
            let variances = totals.map { t -> Double in
                let n = t[layout.alive]
                guard n > 1 else { return .nan }
                let m = projection(t[...], u) / n
                return n / (n - 1) * (t[field] / n - m * m)
            }
            var xs: [Double] = [], ys: [Double] = []
            for (i, v) in variances.enumerated() where v > 0 && v.isFinite {
                xs.append(log(Double(steps[i])))
                ys.append(log(v))
            }
            let beta = xs.count >= 3 ? Self.slope(xs, ys) : .nan
            var stderr = Double.nan
            if let first = window.first, let last = window.last, first != last {
                stderr = Self.pairedStderr(series, first: first, last: last, u: u, field: field, projection: projection)
            }
            result.append(Direction(kind: kind, vector: u, growthExponent: beta,
                                    varianceFirst: variances.first ?? .nan, varianceLast: variances.last ?? .nan,
                                    increaseStderr: stderr))
        }
        self.directions = result
        // Undecided also when no direction has a growth exponent (no chain left, or a
        // variance of 0 along every direction).
        let decidable = window.count >= 3 && result.contains { $0.growthExponent.isFinite }
        isStationary = decidable ? !result.contains(where: \.isFlagged) : nil
    }

    /// The least-squares slope of y on x.
    static func slope(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for i in x.indices {
            sxy += (x[i] - mx) * (y[i] - my)
            sxx += (x[i] - mx) * (x[i] - mx)
        }
        return sxx > 0 ? sxy / sxx : .nan
    }

    /// The paired cluster-robust standard error of V_last − V_first (see the type's doc).
    static func pairedStderr(_ series: EnsembleTimeseries, first: Int, last: Int, u: [Double], field: Int,
                             projection: (ArraySlice<Double>, [Double]) -> Double) -> Double {
        let layout = series.layout
        struct Step { let n: Double; let m: Double; let v: Double }
        func step(_ i: Int) -> Step {
            let t = series.total(at: i)
            let n = t[layout.alive], m = projection(t[...], u) / n
            return Step(n: n, m: m, v: t[field] / n - m * m)
        }
        let a = step(first), b = step(last)
        guard a.n > 1, b.n > 1 else { return .nan }
        func residual(_ record: ArraySlice<Double>, _ s: Step) -> Double {
            let n = record[record.startIndex + layout.alive]
            let s1 = projection(record, u), s2 = record[record.startIndex + field]
            return s2 - 2 * s.m * s1 + n * s.m * s.m - n * s.v
        }
        var sum = 0.0, groups = 0.0
        for g in 0..<series.groups {
            let early = series.group(g, at: first)
            guard early[early.startIndex + layout.alive] > 0 else { continue }
            groups += 1
            // Each variance carries its unbiased factor n/(n − 1).
            let r = residual(series.group(g, at: last), b) / (b.n - 1) - residual(early, a) / (a.n - 1)
            sum += r * r
        }
        guard groups > 1 else { return .nan }
        return (groups / (groups - 1) * sum).squareRoot()
    }
}
