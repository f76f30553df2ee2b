import Foundation

/// A fixed-seed stream of variates for tests: splitmix64 (Steele, Lea & Flood 2014) for
/// the bits, then uniforms on (0, 1), Box–Muller normals, χ² and Pareto by transformation.
/// Deterministic across platforms and Swift versions.
struct SeededVariates {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on (0, 1), never 0 or 1.
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    /// N(0, 1) by Box–Muller (one of the pair).
    mutating func normal() -> Double {
        (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
    }

    /// Two independent N(0, 1) by Box–Muller.
    mutating func normalPair() -> (Double, Double) {
        let r = (-2 * log(uniform())).squareRoot(), theta = 2 * Double.pi * uniform()
        return (r * cos(theta), r * sin(theta))
    }

    /// χ²_degrees as a sum of squared normals.
    mutating func chiSquared(degrees: Int) -> Double {
        var sum = 0.0
        for _ in 0..<degrees {
            let z = normal()
            sum += z * z
        }
        return sum
    }

    /// Pareto(α) with scale 1: P(X > x) = x^{−α} for x ≥ 1, by inversion.
    mutating func pareto(alpha: Double) -> Double { pow(uniform(), -1 / alpha) }
}
