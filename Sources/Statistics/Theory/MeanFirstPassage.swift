#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Exact mean first-passage time of 1-D overdamped Langevin dynamics
///
///     dX = −f′(X) dt + √(2T) dW
///
/// from x₀ to a target b, with a reflecting boundary at a on the other side of x₀
/// (a ≤ x₀ ≤ b, or b ≤ x₀ ≤ a). The mean passage time τ(x) solves the backward equation
/// T τ″ − f′ τ′ = −1 with τ(b) = 0 and τ′(a) = 0; integrating twice,
///
///     τ(x₀ → b) = (1/T) ∫_{x₀}^{b} dy e^{f(y)/T} ∫_{a}^{y} dz e^{−f(z)/T}      (a ≤ x₀ ≤ b)
///
/// (mirrored for b < a). For a process on the whole line, take a far enough out that
/// e^{−(f(a) − min f)/T} is negligible. For a barrier ΔF = f(saddle) − f(minimum) ≫ T, the
/// passage from a minimum to beyond the saddle tends to Kramers' time `kramersTime`, with a
/// relative correction of order T/ΔF.
///
/// Evaluation: both integrals by GSL (gsl_integration_qagp, nested, each with its own
/// workspace), the exponents shifted by the minimum and maximum of f on a 4096-point scan
/// so that neither e^{f/T} nor e^{−f/T} overflows (the result itself is exp of a finite log,
/// +∞ only when τ exceeds Double's range). The subdivision starts at 16 equal panels and
/// around every local extremum of f on the scan (`PotentialScan`), so wells and barriers
/// narrower than the interval are not missed; features of f narrower than |b − a|/4096 may be.
/// Thread-safe when `potential` is.
public enum MeanFirstPassage {
    /// Why no passage time was returned.
    public enum Failure: Error, CustomStringConvertible, Sendable, Equatable {
        case invalidArgument(String)
        /// f is NaN or infinite at the point.
        case nonFinitePotential(at: Double)

        public var description: String {
            switch self {
            case .invalidArgument(let what): return "mean first-passage time: \(what)"
            case .nonFinitePotential(let x): return "mean first-passage time: the potential is not finite at x = \(x)"
            }
        }
    }

    /// τ(x₀ → b) with reflection at a, in the time units of the SDE (for an optimizer whose
    /// step is one Euler step of length lr, divide by lr to get steps).
    ///
    /// - Parameters:
    ///   - x0: the start, between a and b (τ = 0 at b).
    ///   - b: the absorbing target.
    ///   - a: the reflecting boundary, finite, on the other side of x₀.
    ///   - temperature: T > 0.
    ///   - potential: f, finite on [a, b].
    public static func meanFirstPassageTime(from x0: Double, to b: Double, reflectingAt a: Double,
                                            temperature: Double, potential: (Double) -> Double) throws -> Double {
        exp(try logMeanFirstPassageTime(from: x0, to: b, reflectingAt: a, temperature: temperature, potential: potential))
    }

    /// log τ(x₀ → b), finite even when τ is not representable (huge barriers); −∞ when x₀ = b.
    public static func logMeanFirstPassageTime(from x0: Double, to b: Double, reflectingAt a: Double,
                                               temperature: Double, potential: (Double) -> Double) throws -> Double {
        guard temperature > 0, temperature.isFinite else { throw Failure.invalidArgument("temperature \(temperature) is not in (0, ∞)") }
        guard a.isFinite, b.isFinite, x0.isFinite else { throw Failure.invalidArgument("x0, a and b must be finite") }
        guard (a <= x0 && x0 <= b && a < b) || (b <= x0 && x0 <= a && b < a) else {
            throw Failure.invalidArgument("need a ≤ x0 ≤ b or b ≤ x0 ≤ a, a ≠ b (x0 = \(x0), b = \(b), a = \(a))")
        }
        if x0 == b { return -.infinity }
        // Mirror a target on the left into one on the right: x ↦ −x.
        let mirrored = b < a
        let (start, target, wall) = mirrored ? (-x0, -b, -a) : (x0, b, a)
        return try withoutActuallyEscaping(potential) { potential in
            let f: (Double) -> Double = mirrored ? { potential(-$0) } : potential
            return try logPassage(from: start, to: target, reflectingAt: wall, temperature: temperature, f: f)
        }
    }

    /// Kramers' escape time 2π/√(f″(minimum)·|f″(saddle)|)·e^{ΔF/T}, the small-T limit of the
    /// mean passage time from a minimum over a barrier of height ΔF to well beyond the saddle.
    public static func kramersTime(barrier: Double, curvatureAtMinimum: Double, curvatureAtSaddle: Double,
                                   temperature: Double) -> Double {
        2 * Double.pi / (curvatureAtMinimum * Swift.abs(curvatureAtSaddle)).squareRoot() * exp(barrier / temperature)
    }

    /// a ≤ x₀ < b.
    private static func logPassage(from x0: Double, to b: Double, reflectingAt a: Double, temperature t: Double,
                                   f: (Double) -> Double) throws -> Double {
        let steps = 4096
        let scan = PotentialScan(grid: (0...steps).map { a + Double($0) * (b - a) / Double(steps) }, f)
        if let bad = scan.firstNonFinite { throw Failure.nonFinitePotential(at: bad) }
        guard let low = scan.values.min() else { throw Failure.invalidArgument("empty interval") }
        let fMax = zip(scan.grid, scan.values).filter { $0.0 >= x0 }.map(\.1).max() ?? f(x0)
        let points = (1..<16).map { a + Double($0) * (b - a) / 16 } + scan.breakpoints(temperature: t)

        var inner = Integration.Options()
        inner.relativeTolerance = 1e-11
        var outer = Integration.Options()
        outer.relativeTolerance = 1e-10
        /// ∫_a^y e^{−(f(z) − min f)/T} dz.
        func mass(upTo y: Double) throws -> Double {
            try Integration.integrate({ z in exp(-(f(z) - low) / t) }, from: a, to: y, breakpoints: points, options: inner)
        }
        var failure: Error?
        let integral: Double
        do {
            integral = try Integration.integrate({ y in
                do { return try exp((f(y) - fMax) / t) * mass(upTo: y) } catch { failure = error; return .nan }
            }, from: x0, to: b, breakpoints: points, options: outer)
        } catch {
            throw failure ?? error
        }
        return log(integral) + (fMax - low) / t - log(t)
    }
}
