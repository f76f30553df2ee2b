#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard normal variates by the 256-layer ziggurat of Marsaglia & Tsang (2000), with
/// the layer index and the uniform taken from disjoint bits (Doornik 2005).
///
/// One 64-bit word w gives the layer i = w mod 256 (bits 0–7), the sign (bit 8) and a uniform
/// m = ⌊w / 2¹²⌋·2⁻⁵² ∈ [0, 1) (bits 12–63). Then x = m·x_i, and when m < x_{i+1}/x_i the point
/// lies under the curve: ±x is the draw (98.5 % of words). Otherwise `slowPath` decides with
/// more words of the same generator: the wedge test y < exp(−x²/2) for y uniform between the
/// layer's densities, or Marsaglia's tail method beyond r for the base layer; a rejected
/// point starts over with a fresh word. The tables come from tools/ziggurat_tables.py.
public enum Ziggurat {
    /// The fast path's tables in one allocation that is never freed, read through a pointer
    /// so the hot loop carries no bounds checks, indexed by the word's low nine bits (layer and
    /// sign): ±edges·2⁻⁵² (512, the sign of bit 8), then ratios·2⁵² (512, twice over). The powers
    /// of two fold m's scaling into the tables and the sign into the edge; both are exact, so
    /// the draws are those of the formulas above.
    @usableFromInline
    static let table: UnsafePointer<Double> = {
        precondition(edges.count == 257 && ratios.count == 256 && densities.count == 257)
        let p = UnsafeMutablePointer<Double>.allocate(capacity: 1024)
        for i in 0..<512 {
            p[i] = (i < 256 ? 1 : -1) * edges[i & 255] * 0x1.0p-52
            p[512 + i] = ratios[i & 255] * 0x1.0p52
        }
        return UnsafePointer(p)
    }()

    /// The next standard normal of `state`: the fast path inline, the rest out of line.
    @inlinable @inline(__always)
    public static func next(_ state: inout Xoroshiro128, table: UnsafePointer<Double> = Ziggurat.table) -> Double {
        let w = state.next()
        let i = Int(truncatingIfNeeded: w & 511)
        let m = Double(Int64(bitPattern: w &>> 12))
        if _fastPath(m < table[512 + i]) { return m * table[i] }
        let (x, after) = slowPath(w, state: state)
        state = after
        return x
    }

    /// The wedge and tail tests for a word that missed the fast path, then fresh words until one
    /// is accepted. Rare (1.5 % of draws), so kept out of line; the state goes in and out by
    /// value so that callers keep theirs in registers.
    @usableFromInline @inline(never)
    static func slowPath(_ first: UInt64, state initial: Xoroshiro128) -> (Double, Xoroshiro128) {
        var state = initial
        var w = first
        while true {
            let i = Int(truncatingIfNeeded: w & 255)
            let m = Double(Int64(bitPattern: w &>> 12)) * 0x1.0p-52
            let x = m * edges[i]
            let sign: Double = (w &>> 8) & 1 == 0 ? 1 : -1
            if m < ratios[i] { return (sign * x, state) }
            if i == 0 {
                // Beyond r: Marsaglia's tail method, u ∈ (0, 1] so the logarithms are finite.
                while true {
                    let a = -log(Double((state.next() &>> 11) &+ 1) * 0x1.0p-53) / tailStart
                    let b = -log(Double((state.next() &>> 11) &+ 1) * 0x1.0p-53)
                    if 2 * b > a * a { return (sign * (tailStart + a), state) }
                }
            }
            let lower = densities[i], upper = densities[i + 1]
            let y = lower + Double(state.next() &>> 11) * 0x1.0p-53 * (upper - lower)
            if y < exp(-0.5 * x * x) { return (sign * x, state) }
            w = state.next()
        }
    }
}
