/// The per-example gradients ∇ℓᵢ(x) = −ωᵢsᵢσ(−sᵢzᵢᵀx)·zᵢ, for `MinibatchNoise`. Finite data
/// only, and no label noise (the labels are classes).
extension LogisticRegression: DataObjective {
    public var exampleCount: Int? { data.count }

    public static var acceptsLabelNoise: Bool { false }

    /// acc = ∇f(x).
    @inline(__always)
    public func fullGradient(at x: UnsafePointer<Double>, into acc: UnsafeMutablePointer<Double>) {
        let d = dimension, n = data.count
        acc.update(repeating: 0, count: d)
        withExamples { features, labels, weights in
            for i in 0..<n { Self.addExampleGradient(features + i * d, labels[i], weights[i], dimension: d, at: x, into: acc) }
        }
        let scale = 1 / Double(n)
        for k in 0..<d { acc[k] *= scale }
    }

    @inline(__always)
    public func addExampleGradients(
        _ indices: UnsafePointer<Int>, count: Int, labelNoise: UnsafePointer<Double>?,
        at x: UnsafePointer<Double>, into acc: UnsafeMutablePointer<Double>
    ) {
        let d = dimension
        withExamples { features, labels, weights in
            for j in 0..<count {
                let i = indices[j]
                Self.addExampleGradient(features + i * d, labels[i], weights[i], dimension: d, at: x, into: acc)
            }
        }
    }

    /// The examples' arrays, pinned once for a whole batch.
    @inline(__always)
    func withExamples<R>(
        _ body: (UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>) -> R
    ) -> R {
        data.features.withUnsafeBufferPointer { features in
            data.labels.withUnsafeBufferPointer { labels in
                exampleWeights.withUnsafeBufferPointer { weights in
                    body(features.baseAddress!, labels.baseAddress!, weights.baseAddress!)
                }
            }
        }
    }

    /// acc += −ω·s·σ(−s·zᵀx)·z for one example (features z, label s, class weight ω).
    @inline(__always)
    static func addExampleGradient(
        _ z: UnsafePointer<Double>, _ s: Double, _ weight: Double, dimension d: Int,
        at x: UnsafePointer<Double>, into acc: UnsafeMutablePointer<Double>
    ) {
        var m = 0.0
        for k in 0..<d { m += z[k] * x[k] }
        let coefficient = -weight * s * sigmoid(-s * m)
        for k in 0..<d { acc[k] += coefficient * z[k] }
    }

    /// Logistic data are always finite: never called.
    public func addStreamedExampleGradients(
        count: Int, labelNoiseStd: Double, at x: UnsafeMutablePointer<Double>, into acc: UnsafeMutablePointer<Double>,
        scratch: UnsafeMutablePointer<Double>, chain: UInt32, step: UInt32, generator: Philox4x32
    ) {
        preconditionFailure("logistic-regression data are finite")
    }

    /// (1/n) Σᵢ (∇ℓᵢ − ∇f)(∇ℓᵢ − ∇f)ᵀ, the covariance of the gradient of a uniformly drawn
    /// example; label noise does not apply.
    public func exampleGradientCovariance(at x: [Double], labelNoiseStd: Double = 0) -> [Double] {
        let d = dimension, n = data.count
        var gradients = [Double](repeating: 0, count: n * d)
        var mean = [Double](repeating: 0, count: d)
        x.withUnsafeBufferPointer { point in
            gradients.withUnsafeMutableBufferPointer { rows in
                withExamples { features, labels, weights in
                    for i in 0..<n {
                        Self.addExampleGradient(features + i * d, labels[i], weights[i], dimension: d, at: point.baseAddress!,
                                                into: rows.baseAddress! + i * d)
                    }
                }
            }
        }
        for i in 0..<n { for k in 0..<d { mean[k] += gradients[i * d + k] } }
        for k in 0..<d { mean[k] /= Double(n) }
        var cov = [Double](repeating: 0, count: d * d)
        for i in 0..<n {
            for a in 0..<d {
                let va = gradients[i * d + a] - mean[a]
                for b in 0..<d { cov[a * d + b] += va * (gradients[i * d + b] - mean[b]) }
            }
        }
        return cov.map { $0 / Double(n) }
    }

    public func labelNoiseCovariance(std: Double) -> [Double] {
        [Double](repeating: 0, count: dimension * dimension)
    }
}
