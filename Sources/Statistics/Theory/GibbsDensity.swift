#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The Gibbs law p(x) ∝ exp(−f(x)/T) of a 1-D potential f: the stationary law of overdamped
/// Langevin dynamics dX = −f′(X)dt + √(2T)dW, and the small-lr limit of SGLD at temperature
/// T. For a separable objective such as the double well
/// f(x) = barrier·(x₀² − 1)² + tilt·x₀ + ½ Σ_{i≥1} c_i x_i², the marginal of x₀ is the Gibbs
/// law of f₀(x₀) = barrier·(x₀² − 1)² + tilt·x₀ alone.
///
/// `binProbabilities` integrates p over each bin of a histogram with GSL
/// (gsl_integration_qagp per bin, split around the local extrema of f inside it — see
/// `PotentialScan`), normalised
/// over the whole line (the tails by gsl_integration_qagil / qagiu) or over the histogram's
/// range. The exponent is shifted by the minimum of f on a fine scan of the range, so large
/// values of f/T neither overflow nor underflow the normalisation. Put the range around
/// every well: the tails are assumed to decay without further wells. Compare with observed
/// counts by `ChiSquareTest`. Thread-safe when `potential` is.
public enum GibbsDensity {
    /// What the probabilities are relative to.
    public enum Normalisation: Sendable {
        /// ∫_ℝ p = 1: the bins hold 1 − (below + above).
        case wholeLine
        /// ∫ over [first edge, last edge] = 1 (the law conditioned on the range).
        case histogramRange
    }

    /// Bin probabilities and the mass outside the histogram's range.
    public struct BinProbabilities: Sendable {
        /// P(edges[i] ≤ X < edges[i + 1]).
        public let probabilities: [Double]
        /// P(X < first edge) and P(X > last edge) (0 for `.histogramRange`).
        public let below: Double
        public let above: Double
        public var outside: Double { below + above }
    }

    /// Why no probabilities were returned.
    public enum Failure: Error, CustomStringConvertible, Sendable, Equatable {
        case invalidArgument(String)
        case nonFinitePotential(at: Double)

        public var description: String {
            switch self {
            case .invalidArgument(let what): return "Gibbs density: \(what)"
            case .nonFinitePotential(let x): return "Gibbs density: the potential is not finite at x = \(x)"
            }
        }
    }

    /// - Parameters:
    ///   - edges: ≥ 2 finite, strictly increasing bin edges (e.g. `Histogram1D.edges`).
    ///   - temperature: T > 0.
    ///   - normalisation: default `.wholeLine`.
    ///   - potential: f, finite on the range (and decaying e^{−f/T} beyond it for `.wholeLine`).
    public static func binProbabilities(edges: [Double], temperature: Double, normalisation: Normalisation = .wholeLine,
                                        potential f: (Double) -> Double) throws -> BinProbabilities {
        guard temperature > 0, temperature.isFinite else { throw Failure.invalidArgument("temperature \(temperature) is not in (0, ∞)") }
        guard edges.count >= 2, edges.allSatisfy(\.isFinite), zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw Failure.invalidArgument("edges must be ≥ 2 finite, strictly increasing values")
        }
        let t = temperature
        let lo = edges[0], hi = edges[edges.count - 1]

        // A scan: 16 points per bin, at least 4096 in all.
        let perBin = Swift.max(16, 4096 / (edges.count - 1))
        var grid: [Double] = []
        for i in 0..<(edges.count - 1) {
            for j in 0..<perBin { grid.append(edges[i] + (edges[i + 1] - edges[i]) * Double(j) / Double(perBin)) }
        }
        grid.append(hi)
        let scan = PotentialScan(grid: grid, f)
        if let bad = scan.firstNonFinite { throw Failure.nonFinitePotential(at: bad) }
        let low = scan.values.min() ?? 0
        let points = scan.breakpoints(temperature: t)

        func density(_ x: Double) -> Double { exp(-(f(x) - low) / t) }
        var options = Integration.Options()
        options.relativeTolerance = 1e-12
        var mass: [Double] = []
        var next = 0
        for i in 0..<(edges.count - 1) {
            var inside: [Double] = []
            while next < points.count && points[next] < edges[i + 1] {
                if points[next] > edges[i] { inside.append(points[next]) }
                next += 1
            }
            mass.append(try Integration.integrate(density, from: edges[i], to: edges[i + 1], breakpoints: inside, options: options))
        }
        var below = 0.0, above = 0.0
        if case .wholeLine = normalisation {
            below = try Integration.integrate(density, to: lo, options: options)
            above = try Integration.integrate(density, from: hi, options: options)
        }
        let total = mass.reduce(0, +) + below + above
        guard total > 0, total.isFinite else { throw Failure.invalidArgument("exp(−f/T) has no finite, positive mass") }
        return BinProbabilities(probabilities: mass.map { $0 / total }, below: below / total, above: above / total)
    }
}

/// A potential f sampled on an increasing grid, and where the Boltzmann factors e^{±f/T}
/// need the quadrature's attention: an adaptive rule evaluates only interior nodes, so a
/// peak much narrower than its subinterval can vanish between them (in underflow, even the
/// error estimate is 0). Breakpoints at each strict local extremum x_e and at
/// x_e ± (1, 4, 16)·w, w = √(T/|f″(x_e)|) the width of the peak of e^{±f/T} there, give
/// subintervals on the scale of the peak. At most 64 extrema are kept (evenly thinned).
struct PotentialScan {
    let grid: [Double]
    let values: [Double]

    init(grid: [Double], _ f: (Double) -> Double) {
        self.grid = grid
        values = grid.map(f)
    }

    /// The first grid point where f is NaN or infinite.
    var firstNonFinite: Double? { values.firstIndex { !$0.isFinite }.map { grid[$0] } }

    func breakpoints(temperature t: Double) -> [Double] {
        var extrema: [Int] = []
        if grid.count >= 3 {
            for i in 1..<(grid.count - 1) {
                let left: Double = values[i] - values[i - 1], right: Double = values[i + 1] - values[i]
                if left * right < 0 { extrema.append(i) }
            }
        }
        let thinning = Swift.max(1, (extrema.count + 63) / 64)
        var points: [Double] = []
        for i in Swift.stride(from: 0, to: extrema.count, by: thinning).map({ extrema[$0] }) {
            let hLeft = grid[i] - grid[i - 1], hRight = grid[i + 1] - grid[i]
            let slopes: Double = (values[i + 1] - values[i]) / hRight - (values[i] - values[i - 1]) / hLeft
            let curvature = Swift.abs(2 * slopes / (hLeft + hRight))
            points.append(grid[i])
            let width = (t / curvature).squareRoot()
            if width.isFinite && width > 0 {
                for m in [1.0, 4, 16] { points += [grid[i] - m * width, grid[i] + m * width] }
            }
        }
        return points.sorted()
    }
}
