/// Philox addresses of the draws of data objectives, beside `StreamPurpose` (0–3) and
/// `VariatePurpose` (4–5): purpose 6 for minibatch indices, 7 for examples and label noise.
///
/// The low byte of Philox's fourth counter word is the purpose, so none of these blocks can
/// meet another model's. Runtime draws of chain c at step t use block (j, t, c, purpose | s·256)
/// with s a sub-stream (the slot of a streamed example); the generated data set uses the
/// reserved chain `dataChain`, whose step word is the example number.
enum DataStreams {
    static let minibatchPurpose: UInt32 = 6
    static let examplePurpose: UInt32 = 7
    /// The chain word of the data set's own draws: no simulated chain reaches 2³² − 1.
    static let dataChain = UInt32.max
    /// The step word of the drawn weights (examples use 0 ..< 2³² − 1).
    static let weightsStep = UInt32.max

    /// Two standard normals from Philox block (c0, c1, c2, c3), by the Box–Muller transform
    /// of `NormalStream.pair` (u₁ ∈ (0, 1], u₂ ∈ [0, 1) with 53 bits each).
    @inline(__always)
    static func normalPair(
        _ generator: Philox4x32, _ c0: UInt32, _ c1: UInt32, _ c2: UInt32, _ c3: UInt32
    ) -> (Double, Double) {
        let r = generator.block(c0, c1, c2, c3)
        let a = UInt64(r.1) << 32 | UInt64(r.0)
        let b = UInt64(r.3) << 32 | UInt64(r.2)
        let u1 = Double((a >> 11) &+ 1) * 0x1.0p-53
        let u2 = Double(b >> 11) * 0x1.0p-53
        let radius = (-2.0 * _log(u1)).squareRoot()
        let (sine, cosine) = _sincos(6.283185307179586 * u2)
        return (radius * cosine, radius * sine)
    }

    /// Normals 0 ..< count of the stream (c1, c2, c3): normal m is half m mod 2 of pair m / 2,
    /// the pair from block (m / 2, c1, c2, c3).
    @inline(__always)
    static func fillNormals(
        _ u: UnsafeMutablePointer<Double>, count: Int, _ generator: Philox4x32,
        _ c1: UInt32, _ c2: UInt32, _ c3: UInt32
    ) {
        var m = 0
        while m < count {
            let (z0, z1) = normalPair(generator, UInt32(truncatingIfNeeded: m >> 1), c1, c2, c3)
            u[m] = z0
            if m + 1 < count { u[m + 1] = z1 }
            m += 2
        }
    }

    /// A uniform integer in 0 ..< bound from 64 random bits: the high word of bits·bound
    /// (Lemire), with bias below bound/2⁶⁴, as `NormalStream.index`.
    @inline(__always)
    static func index(below bound: Int, bits: UInt64) -> Int {
        Int(truncatingIfNeeded: bits.multipliedFullWidth(by: UInt64(bound)).high)
    }
}
