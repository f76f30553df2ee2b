/// The full-batch derivatives over a tile of chains.
extension LogisticRegression: Objective {
    /// g = −(1/n) Σᵢ ωᵢsᵢσ(−sᵢzᵢᵀx)·zᵢ per chain: for each example in turn, its margins across
    /// the chains (stack scratch), then its contribution — the same order of summation for
    /// every chain whatever the tiling.
    public func gradient(
        _ x: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>, stride: Int, count: Int
    ) {
        let d = dimension, n = data.count
        for k in 0..<d { (g + k * stride).update(repeating: 0, count: count) }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: Swift.max(count, 1)) { buffer in
            let m = buffer.baseAddress!
            data.features.withUnsafeBufferPointer { features in
                data.labels.withUnsafeBufferPointer { labels in
                    exampleWeights.withUnsafeBufferPointer { weights in
                        for i in 0..<n {
                            let z = features.baseAddress! + i * d
                            m.update(repeating: 0, count: count)
                            for k in 0..<d {
                                let zk = z[k], xk = x + k * stride
                                for c in 0..<count { m[c] += zk * xk[c] }
                            }
                            let s = labels[i], coefficient = -weights[i] * s
                            for c in 0..<count { m[c] = coefficient * Self.sigmoid(-s * m[c]) }
                            for k in 0..<d {
                                let zk = z[k], gk = g + k * stride
                                for c in 0..<count { gk[c] += m[c] * zk }
                            }
                        }
                    }
                }
            }
        }
        let scale = 1 / Double(n)
        for k in 0..<d {
            let gk = g + k * stride
            for c in 0..<count { gk[c] *= scale }
        }
    }

    /// ∇²f = (1/n) Σᵢ ωᵢσ(tᵢ)σ(−tᵢ)·zᵢzᵢᵀ at one chain of a tile, O(n·d²).
    public func hessian(_ x: UnsafePointer<Double>, stride: Int, chain: Int, into h: UnsafeMutablePointer<Double>) {
        let d = dimension, n = data.count
        h.update(repeating: 0, count: d * d)
        data.features.withUnsafeBufferPointer { features in
            exampleWeights.withUnsafeBufferPointer { weights in
                for i in 0..<n {
                    let z = features.baseAddress! + i * d
                    var m = 0.0
                    for k in 0..<d { m += z[k] * x[k * stride + chain] }
                    let w = weights[i] * Self.curvature(m)
                    if w == 0 { continue }
                    for a in 0..<d {
                        let wa = w * z[a]
                        for b in a..<d { h[a * d + b] += wa * z[b] }
                    }
                }
            }
        }
        let scale = 1 / Double(n)
        for a in 0..<d {
            for b in a..<d {
                h[a * d + b] *= scale
                h[b * d + a] = h[a * d + b]
            }
        }
    }
}
