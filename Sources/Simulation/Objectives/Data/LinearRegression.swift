/// Least squares on `RegressionData`: f(x) = E ½(zᵀx − y)² over the data.
///
/// Finite n: f(x) = (1/2n) Σᵢ (zᵢᵀx − yᵢ)², a quadratic with Hessian A = (1/n) Σᵢ zᵢzᵢᵀ and
/// minimiser x* = A⁻¹b, b = (1/n) Σᵢ yᵢzᵢ (the normal equations, solved by Cholesky and
/// refined). Streamed data: the population objective f(x) = ½(x − w)ᵀS(x − w) + ½σ² with
/// S = diag(featureScales²) and x* = w. Either way ∇f(x) = Ax − b (S and Sw for a stream),
/// so the full-batch gradient costs O(d²) per chain whatever n is; the minibatch gradients
/// are `MinibatchNoise` (`LinearRegression+Examples`).
public struct LinearRegression: Objective {
    public let data: RegressionData
    public let dimension: Int
    public let minimum: [Double]
    /// A, row-major d×d: the second moment of the features (the Hessian).
    let secondMoment: [Double]
    /// b: the cross moment of features and targets.
    let crossMoment: [Double]

    public init(data: RegressionData) {
        let d = data.dimension
        self.data = data
        self.dimension = d
        var a = [Double](repeating: 0, count: d * d)
        var b = [Double](repeating: 0, count: d)
        if let n = data.count {
            data.features.withUnsafeBufferPointer { z in
                for i in 0..<n {
                    let row = z.baseAddress! + i * d, y = data.targets[i]
                    for k in 0..<d {
                        b[k] += row[k] * y
                        for j in k..<d { a[k * d + j] += row[k] * row[j] }
                    }
                }
            }
            let scale = 1 / Double(n)
            for k in 0..<d {
                b[k] *= scale
                for j in k..<d {
                    a[k * d + j] *= scale
                    a[j * d + k] = a[k * d + j]
                }
            }
            minimum = LinearRegression.solveNormalEquations(a, b, order: d)
        } else {
            for k in 0..<d {
                let s2 = data.featureScales[k] * data.featureScales[k]
                a[k * d + k] = s2
                b[k] = s2 * data.weights[k]
            }
            minimum = data.weights
        }
        secondMoment = a
        crossMoment = b
    }

    /// The least-squares solution of A x = b: Cholesky, then iterative refinement by the
    /// residual, which takes the error from cond(A)·ε down to the rounding of the residual.
    /// A singular A (fewer examples than features) gets the shift λ = 10⁻¹⁰·max Aₖₖ, and
    /// the refinement, iterated Tikhonov from x = 0, tends to the minimum-norm solution.
    static func solveNormalEquations(_ a: [Double], _ b: [Double], order d: Int) -> [Double] {
        var shift = 0.0, iterations = 3
        var factor = NewtonMinimizer.cholesky(a, order: d)
        if factor == nil {
            shift = 1e-10 * (0..<d).map { a[$0 * d + $0] }.reduce(0, Swift.max)
            iterations = 200
            factor = NewtonMinimizer.cholesky(a, order: d, shift: shift)
        }
        guard let l = factor else { return [Double](repeating: 0, count: d) }
        var x = [Double](repeating: 0, count: d)
        for _ in 0...iterations {
            var residual = b
            for k in 0..<d { for j in 0..<d { residual[k] -= a[k * d + j] * x[j] } }
            let correction = NewtonMinimizer.choleskySolve(l, order: d, residual)
            for k in 0..<d { x[k] += correction[k] }
        }
        return x
    }

    public func value(at x: [Double]) -> Double {
        let d = dimension
        guard let n = data.count else {
            var total = data.noiseStd * data.noiseStd
            for k in 0..<d {
                let s = data.featureScales[k] * (x[k] - data.weights[k])
                total += s * s
            }
            return 0.5 * total
        }
        var total = 0.0
        for i in 0..<n {
            var r = -data.targets[i]
            for k in 0..<d { r += data.features[i * d + k] * x[k] }
            total += r * r
        }
        return 0.5 * total / Double(n)
    }

    public func hessian(at x: [Double]) -> [Double] { secondMoment }

    public var constantHessian: [Double]? { secondMoment }

    public func hessian(_ x: UnsafePointer<Double>, stride: Int, chain: Int, into h: UnsafeMutablePointer<Double>) {
        secondMoment.withUnsafeBufferPointer { h.update(from: $0.baseAddress!, count: dimension * dimension) }
    }

    /// g = Ax − b per chain.
    public func gradient(
        _ x: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>, stride: Int, count: Int
    ) {
        let d = dimension
        secondMoment.withUnsafeBufferPointer { a in
            crossMoment.withUnsafeBufferPointer { b in
                for k in 0..<d {
                    let gk = g + k * stride, bk = b[k]
                    for c in 0..<count { gk[c] = -bk }
                    for j in 0..<d {
                        let akj = a[k * d + j]
                        if akj == 0 { continue }
                        let xj = x + j * stride
                        for c in 0..<count { gk[c] += akj * xj[c] }
                    }
                }
            }
        }
    }

    /// The covariance (row-major d×d) of one sampled example's gradient ∇ℓ(x) = z(zᵀx − y − σ_l·ε).
    ///
    /// Finite n: (1/n) Σᵢ (∇ℓᵢ − ∇f)(∇ℓᵢ − ∇f)ᵀ for an index drawn uniformly. Streamed
    /// Gaussian features (Isserlis): S r rᵀ S + (rᵀSr + σ²) S with r = x − w. Label noise of
    /// std σ_l, fresh per sampled example, adds σ_l² times the second moment of z (A or S).
    public func exampleGradientCovariance(at x: [Double], labelNoiseStd: Double = 0) -> [Double] {
        let d = dimension
        var cov = [Double](repeating: 0, count: d * d)
        if let n = data.count {
            var mean = [Double](repeating: 0, count: d)
            var residuals = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var r = -data.targets[i]
                for k in 0..<d { r += data.features[i * d + k] * x[k] }
                residuals[i] = r
                for k in 0..<d { mean[k] += data.features[i * d + k] * r }
            }
            for k in 0..<d { mean[k] /= Double(n) }
            var v = [Double](repeating: 0, count: d)
            for i in 0..<n {
                for k in 0..<d { v[k] = data.features[i * d + k] * residuals[i] - mean[k] }
                for k in 0..<d { for j in 0..<d { cov[k * d + j] += v[k] * v[j] } }
            }
            for e in 0..<(d * d) { cov[e] /= Double(n) }
        } else {
            var sr = [Double](repeating: 0, count: d)
            var rsr = data.noiseStd * data.noiseStd
            for k in 0..<d {
                let s2 = data.featureScales[k] * data.featureScales[k]
                sr[k] = s2 * (x[k] - data.weights[k])
                rsr += sr[k] * (x[k] - data.weights[k])
            }
            for k in 0..<d {
                for j in 0..<d { cov[k * d + j] = sr[k] * sr[j] }
                cov[k * d + k] += rsr * data.featureScales[k] * data.featureScales[k]
            }
        }
        let label = labelNoiseStd * labelNoiseStd
        if label > 0 { for e in 0..<(d * d) { cov[e] += label * secondMoment[e] } }
        return cov
    }
}
