/// xoroshiro128++ (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
/// ACM TOMS 47(4), 2021): 128 bits of state, period 2¹²⁸ − 1, one 64-bit output per step.
///
/// The ++ scrambler leaves no weak low bits (it passes BigCrush and PractRand to 32 TB in the
/// authors' tests), so every output bit may be used — the ziggurat takes its layer from the
/// lowest eight. optcloud never runs it far: each (chain, purpose) gets a fresh state from
/// Philox every block of steps (`NormalSource`), so streams are independent by construction.
@frozen
public struct Xoroshiro128: Sendable, Equatable {
    public var s0: UInt64
    public var s1: UInt64

    /// The state (s0, s1); the all-zero state, the generator's only fixed point, becomes (1, 0).
    @inlinable
    public init(s0: UInt64, s1: UInt64) {
        self.s0 = s0 | s1 == 0 ? 1 : s0
        self.s1 = s1
    }

    /// The state of block `counter` under `key`: one Philox4x32-10 block, 128 bits.
    @inlinable
    public init(key: Philox4x32, counter: (UInt32, UInt32, UInt32, UInt32)) {
        let r = key.block(counter.0, counter.1, counter.2, counter.3)
        self.init(s0: UInt64(r.1) << 32 | UInt64(r.0), s1: UInt64(r.3) << 32 | UInt64(r.2))
    }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let a = s0
        var b = s1
        let result = Self.rotate(a &+ b, 17) &+ a
        b ^= a
        s0 = Self.rotate(a, 49) ^ b ^ (b &<< 21)
        s1 = Self.rotate(b, 28)
        return result
    }

    @inlinable @inline(__always)
    static func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x &<< k) | (x &>> (64 &- k)) }
}
