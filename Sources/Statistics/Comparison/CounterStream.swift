import Simulation

/// A deterministic stream of uniform 64-bit integers for resampling: Philox4x32-10 keyed by
/// a seed, block (draw, substream, stream low, stream high) for draw = 0, 1, 2, …, two 64-bit
/// outputs per block. Every (seed, stream, substream) names its own sequence, so e.g. each
/// permutation of a test draws the same numbers whatever the thread that runs it.
public struct CounterStream: Sendable {
    let philox: Philox4x32
    let stream: UInt64
    let substream: UInt32
    private var draw: UInt32 = 0
    private var spare: UInt64?

    public init(seed: UInt64, stream: UInt64, substream: UInt32 = 0) {
        philox = Philox4x32(seed: seed)
        self.stream = stream
        self.substream = substream
    }

    public mutating func next() -> UInt64 {
        if let value = spare {
            spare = nil
            return value
        }
        let b = philox.block(draw, substream, UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32))
        draw &+= 1
        spare = UInt64(b.2) | UInt64(b.3) << 32
        return UInt64(b.0) | UInt64(b.1) << 32
    }

    /// Uniform in 0..<bound (bound > 0), without modulo bias (Lemire 2019).
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let n = UInt64(bound)
        var product = next().multipliedFullWidth(by: n)
        if product.low < n {
            let threshold = (0 &- n) % n
            while product.low < threshold { product = next().multipliedFullWidth(by: n) }
        }
        return Int(product.high)
    }

    /// `count` distinct indices of 0..<population drawn uniformly without replacement (a
    /// partial Fisher–Yates shuffle), in ascending order; all of them when count ≥ population.
    public mutating func sample(_ count: Int, of population: Int) -> [Int] {
        var indices = Array(0..<Swift.max(population, 0))
        guard count < population else { return indices }
        for i in 0..<count { indices.swapAt(i, i + next(below: population - i)) }
        return indices[0..<count].sorted()
    }

    /// FNV-1a of a string's UTF-8 bytes: a stream number tied to a name, not to a position.
    public static func streamNumber(_ name: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
