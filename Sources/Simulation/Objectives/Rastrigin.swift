#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Rastrigin's function: f(x) = A·d + Σ_i (x_i² − A·cos(2π·x_i)).
///
/// A bowl covered by a lattice of local minima near the integer points; for A ≥ 0 the global
/// minimum is f = 0 at x* = 0 (each term x² − A·cos 2πx ≥ −A, with equality only at x = 0).
/// The trigonometric terms use the argument reduced exactly to x − round(x) ∈ [−½, ½], so
/// they stay accurate for large |x|.
///
/// - Parameters:
///   - dimension: d ≥ 1.
///   - amplitude: A, default 10; must be ≥ 0 (for A < 0 the origin would not be the minimum).
public struct Rastrigin: SeparableObjective {
    public let dimension: Int
    public let amplitude: Double
    /// The global minimiser, the origin.
    public let minimum: [Double]
    /// The global minimum only: the lattice of local minima is what the basin statistics are
    /// run against, and it is too large to list.
    public let localMinima: [[Double]]

    public init(dimension: Int, amplitude: Double = 10) {
        precondition(dimension >= 1, "Rastrigin needs d ≥ 1")
        precondition(amplitude >= 0 && amplitude.isFinite, "Rastrigin needs a finite amplitude ≥ 0")
        self.dimension = dimension
        self.amplitude = amplitude
        self.minimum = [Double](repeating: 0, count: dimension)
        self.localMinima = [minimum]
    }

    public func value(at x: [Double]) -> Double {
        var total = amplitude * Double(dimension)
        for v in x { total += v * v - amplitude * cos(2 * Double.pi * Self.reduced(v)) }
        return total
    }

    /// Diagonal: ∂²f/∂x_i² = 2 + 4π²A·cos(2π·x_i).
    public func hessian(at x: [Double]) -> [Double] {
        let d = dimension
        var h = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            h[i * d + i] = 2 + 4 * Double.pi * Double.pi * amplitude * cos(2 * Double.pi * Self.reduced(x[i]))
        }
        return h
    }

    /// ∂²f/∂x_k² = 2 + 4π²A·cos(2π·x_k).
    @inline(__always)
    public func curvature(coordinate k: Int, at xk: Double) -> Double {
        2 + 4 * Double.pi * Double.pi * amplitude * cos(2 * Double.pi * Self.reduced(xk))
    }

    /// ∂f/∂x_i = 2x_i + 2πA·sin(2π·x_i).
    public func gradient(
        _ x: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>, stride: Int, count: Int
    ) {
        let twoPi = 2 * Double.pi, twoPiA = 2 * Double.pi * amplitude
        for k in 0..<dimension {
            let xk = x + k * stride, gk = g + k * stride
            for c in 0..<count {
                let v = xk[c]
                gk[c] = 2 * v + twoPiA * sin(twoPi * Self.reduced(v))
            }
        }
    }

    /// x − round(x), exact in floating point; sin and cos of 2π times it equal those of 2πx.
    @inline(__always)
    static func reduced(_ x: Double) -> Double { x - x.rounded() }
}

extension Rastrigin {
    public static let entry: ObjectiveEntry = {
        let dim = Parameter<Int>.integer("dim", .value(2), .within(1...1000), "d")
        let amplitude = Parameter<Double>.number("amplitude", .value(10), .atLeast(0), "A")
        return ObjectiveEntry("rastrigin", summary: "f = A·d + Σ (x_i² − A·cos(2πx_i)): many local minima, global minimum 0 at 0",
                              parameters: [dim.erased, amplitude.erased]) { p, _ in
            try Rastrigin(dimension: p(dim), amplitude: p(amplitude))
        }
    }()
}
