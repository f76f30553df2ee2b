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
/// cloud β ≈ 0). A direction is flagged (`trend`) when its cloud
///
/// - **grows**: β > `growthThreshold` (0.2: the variance grows by more than 2^0.2 − 1 = 15 %
///   when t doubles) and the increase V_last − V_first between the first and the last
///   recorded timeseries step exceeds `significance` (5) standard errors;
/// - **contracts**: β < −0.2 and the decrease V_first − V_last exceeds 5 standard errors;
/// - **drifts**: the mean M_t = u·E y moves by more than 5 standard errors and by more than
///   `driftThreshold` (0.1) of the cloud's standard deviation √max(V_first, V_last).
///
/// A direction whose standard deviation at the last step is at most `roundingUlps` (64) ulps
/// of the iterates' magnitude along it, Σ_k |u_k|·|x*_k + M_k|, is at rounding level (e.g.
/// noiseless chains that have reached x*): it takes no part in the verdict.
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
/// `CloudEstimate` applied to the difference; that of M_last − M_first likewise, from each
/// group's Σ(u·y_i − M_t)/N_t. The cloud is stationary when no direction is flagged. It is
/// undecided (nil, with `reason`) when the learning rate changes during the recorded window
/// (a schedule: there is no stationary law to be at), with fewer than 3 timeseries steps in
/// the window, when every direction is at rounding level, or when none has a growth exponent
/// (no chains, or no spread).
public struct StationarityCheck: Sendable {
    public static let growthThreshold = 0.2
    public static let significance = 5.0
    public static let driftThreshold = 0.1
    public static let roundingUlps = 64.0

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
        /// M_t = u·E(x − x*) at the first and last recorded timeseries steps.
        public let meanFirst: Double
        public let meanLast: Double
        /// Standard error of meanLast − meanFirst (paired over replicate groups).
        public let driftStderr: Double
        /// The standard deviation at the last step is at most `roundingUlps` ulps of the
        /// iterates' magnitude along the direction.
        public let isRoundingLevel: Bool

        public enum Trend: String, Sendable {
            case growing, contracting, drifting
        }

        /// Why the direction is not stationary; nil when it is (or is at rounding level).
        public var trend: Trend? {
            guard !isRoundingLevel else { return nil }
            let g = StationarityCheck.growthThreshold, s = StationarityCheck.significance
            if growthExponent > g && varianceLast - varianceFirst > s * increaseStderr { return .growing }
            if growthExponent < -g && varianceFirst - varianceLast > s * increaseStderr { return .contracting }
            let drift = Swift.abs(meanLast - meanFirst)
            let spread = Swift.max(varianceFirst, varianceLast).squareRoot()
            if drift > s * driftStderr && drift > StationarityCheck.driftThreshold * spread { return .drifting }
            return nil
        }

        public var isFlagged: Bool { trend != nil }
    }

    public let directions: [Direction]
    /// The timeseries steps of the recorded window the fit used.
    public let steps: [Int]
    /// nil when undecided (see `reason`).
    public let isStationary: Bool?
    /// Why the verdict is undecided; nil when there is one.
    public let reason: String?

    /// The flagged direction that says most: a growing one with the largest growth exponent,
    /// else a contracting one with the smallest, else the largest drift in standard errors.
    public var worst: Direction? {
        let flagged = directions.filter(\.isFlagged)
        if let d = flagged.filter({ $0.trend == .growing }).max(by: { $0.growthExponent < $1.growthExponent }) { return d }
        if let d = flagged.filter({ $0.trend == .contracting }).min(by: { $0.growthExponent < $1.growthExponent }) { return d }
        return flagged.max { Swift.abs($0.meanLast - $0.meanFirst) / $0.driftStderr < Swift.abs($1.meanLast - $1.meanFirst) / $1.driftStderr }
    }

    /// - Parameters:
    ///   - series: the ensemble sums, whose `layout.directions` directions are `directions`.
    ///   - directions: row-major unit vectors, layout.directions × d.
    ///   - burnIn: steps ≤ burnIn are not part of the recorded window.
    ///   - minimum: x*, for the iterates' magnitude (rounding level).
    ///   - learningRateChanges: whether the lr differs between recorded steps.
    public init(_ series: EnsembleTimeseries, directions: [Double], burnIn: Int, minimum: [Double],
                learningRateChanges: Bool = false) {
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
        // E(x − x*) per coordinate at the last recorded step, for the iterates' magnitude.
        let lastMean = (0..<d).map { k -> Double in
            guard let t = totals.last, t[layout.alive] > 0 else { return 0 }
            return t[layout.sum(k)] / t[layout.alive]
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
            let means = totals.map { t -> Double in t[layout.alive] > 0 ? projection(t[...], u) / t[layout.alive] : .nan }
            var stderr = Double.nan, driftStderr = Double.nan
            if let first = window.first, let last = window.last, first != last {
                stderr = Self.pairedStderr(series, first: first, last: last, u: u, field: field, projection: projection)
                driftStderr = Self.pairedMeanStderr(series, first: first, last: last, u: u, projection: projection)
            }
            var magnitude = 0.0
            for k in 0..<d { magnitude += Swift.abs(u[k]) * Swift.abs(minimum[k] + lastMean[k]) }
            let roundingFloor = Self.roundingUlps * Swift.max(magnitude, Double.leastNormalMagnitude).ulp
            let lastSD = (variances.last ?? .nan).squareRoot()
            result.append(Direction(kind: kind, vector: u, growthExponent: beta,
                                    varianceFirst: variances.first ?? .nan, varianceLast: variances.last ?? .nan,
                                    increaseStderr: stderr, meanFirst: means.first ?? .nan, meanLast: means.last ?? .nan,
                                    driftStderr: driftStderr, isRoundingLevel: lastSD <= roundingFloor))
        }
        self.directions = result
        let deciding = result.filter { $0.growthExponent.isFinite && !$0.isRoundingLevel }
        if learningRateChanges {
            reason = "the learning rate changes during the recorded window: there is no stationary law to be at"
        } else if window.count < 3 {
            reason = "fewer than 3 timeseries steps in the recorded window"
        } else if deciding.isEmpty && result.contains(where: \.isRoundingLevel) {
            reason = "the cloud's spread is at rounding level (at most \(Int(Self.roundingUlps)) ulps of the iterates)"
        } else if deciding.isEmpty {
            reason = "no spread to follow (every chain diverged, or all sit at one point)"
        } else {
            reason = nil
        }
        isStationary = reason == nil ? !deciding.contains(where: \.isFlagged) : nil
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

    /// The paired cluster-robust standard error of M_last − M_first, M_t = u·Σy/N_t: over the
    /// groups, G/(G − 1)·Σ_g (e_g,L − e_g,F)² with e_g,t = (u·Σ_{i∈g} y_i − n_g,t·M_t)/N_t.
    static func pairedMeanStderr(_ series: EnsembleTimeseries, first: Int, last: Int, u: [Double],
                                 projection: (ArraySlice<Double>, [Double]) -> Double) -> Double {
        let layout = series.layout
        let a = series.total(at: first), b = series.total(at: last)
        let na = a[layout.alive], nb = b[layout.alive]
        guard na > 1, nb > 1 else { return .nan }
        let ma = projection(a[...], u) / na, mb = projection(b[...], u) / nb
        var sum = 0.0, groups = 0.0
        for g in 0..<series.groups {
            let early = series.group(g, at: first), late = series.group(g, at: last)
            guard early[early.startIndex + layout.alive] > 0 else { continue }
            groups += 1
            let e = (projection(late, u) - late[late.startIndex + layout.alive] * mb) / nb
                - (projection(early, u) - early[early.startIndex + layout.alive] * ma) / na
            sum += e * e
        }
        guard groups > 1 else { return .nan }
        return (groups / (groups - 1) * sum).squareRoot()
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
