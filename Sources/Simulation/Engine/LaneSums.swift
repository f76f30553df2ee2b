/// Sums over the chains of a tile in four interleaved lanes: the compiler may not reorder a
/// floating-point sum, so a plain loop is one chain of dependent additions; four lanes let it
/// use vector registers and keep several additions in flight.
///
/// The order is part of the result and fixed — lane l adds the elements c ≡ l (mod 4) in
/// turn, the lanes are combined as (l₀ + l₂) + (l₁ + l₃), then the remainder (count mod 4) is
/// added in order — so results are bit-identical on every machine and for any thread count.
enum LaneSums {
    @inline(__always)
    static func load(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
    }

    @inline(__always)
    static func total(_ lanes: SIMD4<Double>) -> Double {
        let pairs = lanes.lowHalf + lanes.highHalf
        return pairs[0] + pairs[1]
    }

    /// cross[i·d + j] += Σ_c y_i[c]·y_j[c] for i ≤ j, y_k = y + k·stride: the tile's
    /// contribution to the co-moments. Each entry is summed exactly as `dot` sums it; two
    /// entries of a row are formed together so that y_i is loaded once for both.
    @inline(__always)
    static func addCrossProducts(_ y: UnsafePointer<Double>, stride: Int, dimension d: Int, count n: Int,
                                 into cross: UnsafeMutablePointer<Double>) {
        let vectorEnd = n & ~3
        for i in 0..<d {
            let yi = y + i &* stride
            var j = i
            while j &+ 2 <= d {
                let ya = y + j &* stride, yb = ya + stride
                var la = SIMD4<Double>(), lb = SIMD4<Double>()
                var c = 0
                while c < vectorEnd {
                    let v = load(yi + c)
                    la += v * load(ya + c)
                    lb += v * load(yb + c)
                    c &+= 4
                }
                var sa = total(la), sb = total(lb)
                while c < n {
                    sa += yi[c] * ya[c]
                    sb += yi[c] * yb[c]
                    c &+= 1
                }
                cross[i &* d &+ j] += sa
                cross[i &* d &+ j &+ 1] += sb
                j &+= 2
            }
            if j < d { cross[i &* d &+ j] += dot(yi, y + j &* stride, count: n) }
        }
    }

    /// Σ_c a[c] over the chains with mask[c] ≠ 0 (alive): a dead chain's value is never
    /// read into the sum, so even a non-finite one cannot poison it.
    @inline(__always)
    static func maskedSum(_ a: UnsafePointer<Double>, where mask: UnsafePointer<Double>, count n: Int) -> Double {
        var lanes = SIMD4<Double>()
        var c = 0
        let vectorEnd = n & ~3
        while c < vectorEnd {
            lanes += load(a + c).replacing(with: 0, where: load(mask + c) .== 0)
            c &+= 4
        }
        var s = total(lanes)
        while c < n {
            if mask[c] != 0 { s += a[c] }
            c &+= 1
        }
        return s
    }

    /// Σ_c a[c]² over the chains with mask[c] ≠ 0.
    @inline(__always)
    static func maskedSumOfSquares(_ a: UnsafePointer<Double>, where mask: UnsafePointer<Double>, count n: Int) -> Double {
        var lanes = SIMD4<Double>()
        var c = 0
        let vectorEnd = n & ~3
        while c < vectorEnd {
            let v = load(a + c)
            lanes += (v * v).replacing(with: 0, where: load(mask + c) .== 0)
            c &+= 4
        }
        var s = total(lanes)
        while c < n {
            if mask[c] != 0 { s += a[c] * a[c] }
            c &+= 1
        }
        return s
    }

    /// Σ_c a[c].
    @inline(__always)
    static func sum(_ a: UnsafePointer<Double>, count n: Int) -> Double {
        var lanes = SIMD4<Double>()
        var c = 0
        let vectorEnd = n & ~3
        while c < vectorEnd {
            lanes += load(a + c)
            c &+= 4
        }
        var s = total(lanes)
        while c < n {
            s += a[c]
            c &+= 1
        }
        return s
    }

    /// Σ_c a[c]·b[c].
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count n: Int) -> Double {
        var lanes = SIMD4<Double>()
        var c = 0
        let vectorEnd = n & ~3
        while c < vectorEnd {
            lanes += load(a + c) * load(b + c)
            c &+= 4
        }
        var s = total(lanes)
        while c < n {
            s += a[c] * b[c]
            c &+= 1
        }
        return s
    }

    /// (Σ_c a[c]³, Σ_c a[c]⁴).
    @inline(__always)
    static func cubesAndFourthPowers(_ a: UnsafePointer<Double>, count n: Int) -> (Double, Double) {
        var cubes = SIMD4<Double>(), fourths = SIMD4<Double>()
        var c = 0
        let vectorEnd = n & ~3
        while c < vectorEnd {
            let v = load(a + c)
            let v2 = v * v
            cubes += v2 * v
            fourths += v2 * v2
            c &+= 4
        }
        var s3 = total(cubes), s4 = total(fourths)
        while c < n {
            let v2 = a[c] * a[c]
            s3 += v2 * a[c]
            s4 += v2 * v2
            c &+= 1
        }
        return (s3, s4)
    }
}
