/// The per-example gradients of least squares, ∇ℓᵢ(x) = zᵢ(zᵢᵀx − yᵢ), for `MinibatchNoise`.
extension LinearRegression: DataObjective {
    public var exampleCount: Int? { data.count }

    public static var acceptsLabelNoise: Bool { true }

    /// acc = Ax − b.
    @inline(__always)
    public func fullGradient(at x: UnsafePointer<Double>, into acc: UnsafeMutablePointer<Double>) {
        let d = dimension
        secondMoment.withUnsafeBufferPointer { a in
            crossMoment.withUnsafeBufferPointer { b in
                for k in 0..<d {
                    var sum = -b[k]
                    for j in 0..<d { sum += a[k * d + j] * x[j] }
                    acc[k] = sum
                }
            }
        }
    }

    /// acc += Σⱼ z_{iⱼ}(z_{iⱼ}ᵀx − y_{iⱼ} − labelNoise[j]).
    @inline(__always)
    public func addExampleGradients(
        _ indices: UnsafePointer<Int>, count: Int, labelNoise: UnsafePointer<Double>?,
        at x: UnsafePointer<Double>, into acc: UnsafeMutablePointer<Double>
    ) {
        let d = dimension
        data.features.withUnsafeBufferPointer { features in
            data.targets.withUnsafeBufferPointer { targets in
                for j in 0..<count {
                    let i = indices[j]
                    let z = features.baseAddress! + i * d
                    var r = -targets[i]
                    for k in 0..<d { r += z[k] * x[k] }
                    if let labelNoise { r -= labelNoise[j] }
                    for k in 0..<d { acc[k] += r * z[k] }
                }
            }
        }
    }

    /// acc += Σⱼ zⱼ(zⱼᵀx − yⱼ − σ_l·εⱼ) over fresh examples z = featureScales ⊙ u,
    /// y = zᵀw + noiseStd·u_d, ε = u_{d+1}.
    @inline(__always)
    public func addStreamedExampleGradients(
        count: Int, labelNoiseStd: Double, at x: UnsafeMutablePointer<Double>, into acc: UnsafeMutablePointer<Double>,
        scratch u: UnsafeMutablePointer<Double>, chain: UInt32, step: UInt32, generator: Philox4x32
    ) {
        let d = dimension
        let sigma = data.noiseStd, labelSigma = labelNoiseStd
        let normalCount = labelSigma > 0 ? d + 2 : d + 1
        // zᵀx − y = zᵀ(x − w) − σ·u_d: keep x − w.
        for k in 0..<d { x[k] -= data.weights[k] }
        data.featureScales.withUnsafeBufferPointer { scales in
            for j in 0..<count {
                let stream = DataStreams.examplePurpose | UInt32(j + 1) << 8
                DataStreams.fillNormals(u, count: normalCount, generator, step, chain, stream)
                for k in 0..<d { u[k] *= scales[k] }
                var r = -sigma * u[d]
                if labelSigma > 0 { r -= labelSigma * u[d + 1] }
                for k in 0..<d { r += u[k] * x[k] }
                for k in 0..<d { acc[k] += r * u[k] }
            }
        }
    }

    /// σ_l² times the second moment of the features (A, or S for a stream).
    public func labelNoiseCovariance(std: Double) -> [Double] {
        secondMoment.map { std * std * $0 }
    }
}
