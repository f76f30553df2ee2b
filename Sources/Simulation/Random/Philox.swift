/// Philox4x32-10, the counter-based generator of Salmon et al. (Random123, SC'11).
///
/// A keyed bijection of a 128-bit counter: the random numbers of any (chain, step) are
/// computed directly from their coordinates, so streams never overlap, need no state and
/// are identical whatever the number of threads or the order of work.
@frozen
public struct Philox4x32: Sendable, Equatable {
    public let key0: UInt32
    public let key1: UInt32

    @inlinable
    public init(key0: UInt32, key1: UInt32) {
        self.key0 = key0
        self.key1 = key1
    }

    /// The key of a run: splitmix64 of the seed, so that nearby seeds give unrelated keys.
    @inlinable
    public init(seed: UInt64) {
        let mixed = SplitMix64.mix(seed)
        self.init(key0: UInt32(truncatingIfNeeded: mixed), key1: UInt32(truncatingIfNeeded: mixed >> 32))
    }

    /// The four 32-bit outputs for counter (c0, c1, c2, c3).
    @inlinable @inline(__always)
    public func block(
        _ c0: UInt32, _ c1: UInt32, _ c2: UInt32, _ c3: UInt32
    ) -> (UInt32, UInt32, UInt32, UInt32) {
        var x0 = c0, x1 = c1, x2 = c2, x3 = c3
        var k0 = key0, k1 = key1
        for round in 0..<10 {
            let p0 = UInt64(0xD251_1F53) &* UInt64(x0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(x2)
            let hi0 = UInt32(truncatingIfNeeded: p0 >> 32), lo0 = UInt32(truncatingIfNeeded: p0)
            let hi1 = UInt32(truncatingIfNeeded: p1 >> 32), lo1 = UInt32(truncatingIfNeeded: p1)
            x0 = hi1 ^ x1 ^ k0
            x1 = lo1
            x2 = hi0 ^ x3 ^ k1
            x3 = lo0
            if round < 9 {
                k0 &+= 0x9E37_79B9
                k1 &+= 0xBB67_AE85
            }
        }
        return (x0, x1, x2, x3)
    }
}

/// Steele, Lea & Flood's splitmix64 finaliser, used to turn seeds into keys.
public enum SplitMix64 {
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
