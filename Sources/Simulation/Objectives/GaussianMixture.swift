#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The negative log-density of a Gaussian mixture: f(x) = −log Σ_k w_k·N(x; μ_k, Σ_k).
///
/// Basins of chosen depth (w_k) and sharpness (Σ_k) — e.g. one sharp, deep and one flat,
/// shallow minimum. With ℓ_k(x) = log w_k − ½ log det(2πΣ_k) − ½ (x − μ_k)ᵀ Σ_k⁻¹ (x − μ_k),
/// responsibilities r_k = softmax(ℓ)_k and u_k = Σ_k⁻¹ (x − μ_k):
///
///     f = −logsumexp(ℓ),   ∇f = Σ_k r_k·u_k,   ∇²f = Σ_k r_k·Σ_k⁻¹ + ū ūᵀ − Σ_k r_k·u_k u_kᵀ,  ū = ∇f,
///
/// all evaluated with the log-sum-exp shifted by max ℓ, so nothing overflows or underflows
/// to 0/0 far from the means. The weights need not sum to 1 (a common factor shifts f).
///
/// - Parameters:
///   - weights: w_k > 0, one per component.
///   - means: μ_k, K vectors of one dimension d ≥ 1.
///   - covariances: Σ_k, row-major d×d, symmetric positive definite.
/// - Throws: `GaussianMixture.ParameterError` describing the first invalid parameter.
public struct GaussianMixture: Objective {
    public let dimension: Int
    public let weights: [Double]
    public let means: [[Double]]
    /// As given, with each off-diagonal pair replaced by its mean (they may differ by 1e-10 relative).
    public let covariances: [[Double]]
    /// The global minimiser: the lowest of the minima in `localMinima`.
    public let minimum: [Double]
    /// The distinct local minima reached by damped Newton descent from every mean, in the
    /// order of the first mean that reaches each. A component swamped by a neighbour has no
    /// minimum of its own and contributes none; modes not reachable from any mean (possible
    /// for strongly overlapping components, Carreira-Perpiñán & Williams 2003) are not sought.
    public let localMinima: [[Double]]

    private let components: Components
    /// The index into `localMinima` of the mode each component's mean descends to.
    let componentBasins: [Int]
    var componentCount: Int { components.count }

    /// Why a mixture cannot be built.
    public enum ParameterError: Error, Equatable, CustomStringConvertible {
        case noComponents
        case componentCountMismatch(weights: Int, means: Int, covariances: Int)
        case emptyMean
        case meanDimension(component: Int, count: Int, expected: Int)
        case covarianceShape(component: Int, count: Int, expected: Int)
        case notFinite(component: Int)
        case nonPositiveWeight(component: Int, weight: Double)
        case asymmetricCovariance(component: Int, row: Int, column: Int)
        case notPositiveDefinite(component: Int)
        case noMinimumFound

        public var description: String {
            switch self {
            case .noComponents:
                return "gaussian mixture: at least one component is needed"
            case .componentCountMismatch(let w, let m, let c):
                return "gaussian mixture: \(w) weights, \(m) means and \(c) covariances; the counts must agree"
            case .emptyMean:
                return "gaussian mixture: the means must have at least one coordinate"
            case .meanDimension(let k, let count, let expected):
                return "gaussian mixture: mean \(k) has \(count) coordinates, expected \(expected) like mean 0"
            case .covarianceShape(let k, let count, let expected):
                return "gaussian mixture: covariance \(k) has \(count) entries, expected \(expected) (d×d, row-major)"
            case .notFinite(let k):
                return "gaussian mixture: component \(k) has a weight, mean or covariance entry that is not finite"
            case .nonPositiveWeight(let k, let w):
                return "gaussian mixture: weight \(k) is \(w); weights must be > 0"
            case .asymmetricCovariance(let k, let i, let j):
                return "gaussian mixture: covariance \(k) is not symmetric (entries [\(i)][\(j)] and [\(j)][\(i)] differ)"
            case .notPositiveDefinite(let k):
                return "gaussian mixture: covariance \(k) is not positive definite"
            case .noMinimumFound:
                return "gaussian mixture: no local minimum found from any mean (is the mixture degenerate?)"
            }
        }
    }

    public init(weights: [Double], means: [[Double]], covariances: [[Double]]) throws {
        let count = weights.count
        guard count > 0 else { throw ParameterError.noComponents }
        guard means.count == count, covariances.count == count else {
            throw ParameterError.componentCountMismatch(weights: count, means: means.count, covariances: covariances.count)
        }
        let d = means[0].count
        guard d > 0 else { throw ParameterError.emptyMean }
        var precisions: [Double] = [], logNormalizers: [Double] = [], symmetric: [[Double]] = []
        var shortestScale = Double.infinity
        for k in 0..<count {
            guard means[k].count == d else { throw ParameterError.meanDimension(component: k, count: means[k].count, expected: d) }
            guard covariances[k].count == d * d else {
                throw ParameterError.covarianceShape(component: k, count: covariances[k].count, expected: d * d)
            }
            guard weights[k].isFinite, means[k].allSatisfy(\.isFinite), covariances[k].allSatisfy(\.isFinite) else {
                throw ParameterError.notFinite(component: k)
            }
            guard weights[k] > 0 else { throw ParameterError.nonPositiveWeight(component: k, weight: weights[k]) }
            var sigma = covariances[k]
            for i in 0..<d {
                guard sigma[i * d + i] > 0 else { throw ParameterError.notPositiveDefinite(component: k) }
                shortestScale = Swift.min(shortestScale, sigma[i * d + i].squareRoot())
            }
            for i in 0..<d {
                for j in (i + 1)..<Swift.max(i + 1, d) {
                    let upper = sigma[i * d + j], lower = sigma[j * d + i]
                    let tolerance = 1e-10 * (sigma[i * d + i] * sigma[j * d + j]).squareRoot()
                    guard Swift.abs(upper - lower) <= tolerance else {
                        throw ParameterError.asymmetricCovariance(component: k, row: i, column: j)
                    }
                    sigma[i * d + j] = 0.5 * (upper + lower)
                    sigma[j * d + i] = sigma[i * d + j]
                }
            }
            // Positive definite to working precision: every pivot a visible fraction of its
            // diagonal entry, so Σ⁻¹ and log det Σ are meaningful.
            guard let l = NewtonMinimizer.cholesky(sigma, order: d),
                  (0..<d).allSatisfy({ l[$0 * d + $0] * l[$0 * d + $0] > 1e-13 * sigma[$0 * d + $0] })
            else { throw ParameterError.notPositiveDefinite(component: k) }
            var inverse = [Double](repeating: 0, count: d * d)
            for j in 0..<d {
                var unit = [Double](repeating: 0, count: d)
                unit[j] = 1
                let column = NewtonMinimizer.choleskySolve(l, order: d, unit)
                for i in 0..<d { inverse[i * d + j] = column[i] }
            }
            for i in 0..<d {
                for j in (i + 1)..<Swift.max(i + 1, d) {
                    let mean = 0.5 * (inverse[i * d + j] + inverse[j * d + i])
                    inverse[i * d + j] = mean
                    inverse[j * d + i] = mean
                }
            }
            var logDeterminant = 0.0
            for i in 0..<d { logDeterminant += 2 * log(l[i * d + i]) }
            precisions += inverse
            logNormalizers.append(log(weights[k]) - 0.5 * Double(d) * log(2 * Double.pi) - 0.5 * logDeterminant)
            symmetric.append(sigma)
        }
        let components = Components(
            dimension: d, count: count, precisions: precisions, means: means.flatMap { $0 }, logNormalizers: logNormalizers)

        // Local minima: descend from every mean; keep points where the Newton step vanishes
        // (relative to the narrowest component) and the Hessian is positive definite.
        let curvatureScale = (0..<count).reduce(0.0) { scale, k in
            (0..<d).reduce(scale) { Swift.max($0, precisions[k * d * d + $1 * d + $1]) }
        }
        var found: [NewtonMinimizer.Result] = []
        var reached = [Int?](repeating: nil, count: count)
        for k in 0..<count {
            let result = NewtonMinimizer.minimize(
                from: means[k], value: components.value, gradient: components.gradient,
                solve: NewtonMinimizer.denseSolve(hessian: components.hessian), curvatureScale: curvatureScale)
            guard let step = result.newtonStep,
                  NewtonMinimizer.norm(step) <= 1e-6 * shortestScale + 1e-12 * NewtonMinimizer.norm(result.x)
            else { continue }
            let same = found.firstIndex { other in
                let gap = NewtonMinimizer.norm(zip(other.x, result.x).map { $0 - $1 })
                return gap <= 1e-5 * shortestScale + 1e-10 * NewtonMinimizer.norm(result.x)
            }
            if let same {
                reached[k] = same
            } else {
                reached[k] = found.count
                found.append(result)
            }
        }
        guard let lowest = found.min(by: { $0.value < $1.value }) else { throw ParameterError.noMinimumFound }
        // A component whose mean led to no minimum belongs to the nearest one.
        self.componentBasins = (0..<count).map { k in
            reached[k] ?? found.indices.min { a, b in
                NewtonMinimizer.norm(zip(found[a].x, means[k]).map { $0 - $1 })
                    < NewtonMinimizer.norm(zip(found[b].x, means[k]).map { $0 - $1 })
            }!
        }

        self.dimension = d
        self.weights = weights
        self.means = means
        self.covariances = symmetric
        self.components = components
        self.localMinima = found.map(\.x)
        self.minimum = lowest.x
    }

    public func value(at x: [Double]) -> Double { components.value(x) }

    public func hessian(at x: [Double]) -> [Double] { components.hessian(x) }

    /// ∇²f = Σ_k r_k·(Σ_k⁻¹ − u_k u_kᵀ) + ū ūᵀ at one chain of a tile, with the log-sum-exp
    /// kept online as in `gradient`: h accumulates Σ exp(ℓ_k − m)·(Σ_k⁻¹ − u_k u_kᵀ) and a
    /// stack vector Σ exp(ℓ_k − m)·u_k, both rescaled when the running maximum m rises.
    public func hessian(_ x: UnsafePointer<Double>, stride: Int, chain: Int, into h: UnsafeMutablePointer<Double>) {
        let d = dimension, componentCount = components.count
        h.update(repeating: 0, count: d * d)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * d) { buffer in
            let u = buffer.baseAddress!, mean = u + d
            mean.update(repeating: 0, count: d)
            self.components.precisions.withUnsafeBufferPointer { precisions in
                self.components.means.withUnsafeBufferPointer { means in
                    var weights = OnlineLogSumExp()
                    for k in 0..<componentCount {
                        let p = precisions.baseAddress! + k * d * d, mu = means.baseAddress! + k * d
                        var quadratic = 0.0
                        for i in 0..<d {
                            var s = 0.0
                            for j in 0..<d { s += p[i * d + j] * (x[j * stride + chain] - mu[j]) }
                            u[i] = s
                            quadratic += (x[i * stride + chain] - mu[i]) * s
                        }
                        let l = self.components.logNormalizers[k] - 0.5 * quadratic
                        let (weight, rescale) = weights.add(l)
                        if let rescale {
                            for e in 0..<(d * d) { h[e] *= rescale }
                            for i in 0..<d { mean[i] *= rescale }
                        }
                        if weight == 0 { continue }
                        for i in 0..<d {
                            mean[i] += weight * u[i]
                            for j in 0..<d { h[i * d + j] += weight * (p[i * d + j] - u[i] * u[j]) }
                        }
                    }
                    let inverse = 1 / weights.sum
                    for i in 0..<d { mean[i] *= inverse }
                    for i in 0..<d { for j in 0..<d { h[i * d + j] = h[i * d + j] * inverse + mean[i] * mean[j] } }
                }
            }
        }
    }

    /// Per chain, with scalar loops over components and coordinates and the log-sum-exp kept
    /// online: a running maximum m of ℓ_k, the running sum s = Σ exp(ℓ_k − m), and the chain's
    /// gradient column accumulating Σ exp(ℓ_k − m)·u_k, all rescaled when m rises. u_k is
    /// recomputed rather than stored (ℓ_k must be known before its weight is), so the only
    /// memory touched is the chain's own gradient column.
    public func gradient(
        _ x: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>, stride: Int, count: Int
    ) {
        let d = dimension, componentCount = components.count
        self.components.precisions.withUnsafeBufferPointer { precisions in
            self.components.means.withUnsafeBufferPointer { means in
                self.components.logNormalizers.withUnsafeBufferPointer { logNormalizers in
                    let precision = precisions.baseAddress!, mean = means.baseAddress!
                    for c in 0..<count {
                        let xc = x + c, gc = g + c
                        for i in 0..<d { gc[i &* stride] = 0 }
                        var weights = OnlineLogSumExp()
                        for k in 0..<componentCount {
                            let p = precision + k &* d &* d, mu = mean + k &* d
                            let l = Self.logDensity(precision: p, mean: mu, logNormalizer: logNormalizers[k], at: xc,
                                                    stride: stride, dimension: d)
                            let (weight, rescale) = weights.add(l)
                            if let rescale { for i in 0..<d { gc[i &* stride] *= rescale } }
                            if weight == 0 { continue }
                            for i in 0..<d {
                                let row = p + i &* d
                                var u = 0.0
                                for j in 0..<d { u += row[j] * (xc[j &* stride] - mu[j]) }
                                gc[i &* stride] += weight * u
                            }
                        }
                        let inverse = 1 / weights.sum
                        for i in 0..<d { gc[i &* stride] *= inverse }
                    }
                }
            }
        }
    }

    /// log(w_k·N(x; μ_k, Σ_k)) = ℓ_k − ½ (x − μ_k)ᵀ Σ_k⁻¹ (x − μ_k) at the chain whose
    /// coordinate i is x[i·stride], from component k's precision (d×d) and mean.
    @inline(__always)
    static func logDensity(precision p: UnsafePointer<Double>, mean mu: UnsafePointer<Double>, logNormalizer: Double,
                           at x: UnsafePointer<Double>, stride: Int, dimension d: Int) -> Double {
        var quadratic = 0.0
        for i in 0..<d {
            let row = p + i &* d
            var u = 0.0
            for j in 0..<d { u += row[j] * (x[j &* stride] - mu[j]) }
            quadratic += (x[i &* stride] - mu[i]) * u
        }
        return logNormalizer - 0.5 * quadratic
    }

    /// Calls `body` with component k's log density at a chain (`logDensity`), the
    /// parameters' buffers held once for all chains.
    func withComponentLogDensity<R>(_ body: ((Int, UnsafePointer<Double>, Int) -> Double) -> R) -> R {
        let d = dimension
        return components.precisions.withUnsafeBufferPointer { precisions in
            components.means.withUnsafeBufferPointer { means in
                body { k, x, stride in
                    Self.logDensity(precision: precisions.baseAddress! + k * d * d, mean: means.baseAddress! + k * d,
                                    logNormalizer: components.logNormalizers[k], at: x, stride: stride, dimension: d)
                }
            }
        }
    }

    /// The flattened parameters: precisions Σ_k⁻¹ (K·d·d), means (K·d) and log-normalisers
    /// log w_k − ½ log det(2πΣ_k), with the single-point evaluations.
    private struct Components: Sendable {
        let dimension: Int
        let count: Int
        let precisions: [Double]
        let means: [Double]
        let logNormalizers: [Double]

        /// u_k = Σ_k⁻¹ (x − μ_k) and ℓ_k for every k.
        func terms(_ x: [Double]) -> (u: [[Double]], l: [Double]) {
            let d = dimension
            var u: [[Double]] = [], l: [Double] = []
            for k in 0..<count {
                var uk = [Double](repeating: 0, count: d), quadratic = 0.0
                for i in 0..<d {
                    for j in 0..<d { uk[i] += precisions[k * d * d + i * d + j] * (x[j] - means[k * d + j]) }
                    quadratic += (x[i] - means[k * d + i]) * uk[i]
                }
                u.append(uk)
                l.append(logNormalizers[k] - 0.5 * quadratic)
            }
            return (u, l)
        }

        /// Responsibilities softmax(ℓ) and logsumexp(ℓ), shifted by max ℓ.
        func responsibilities(_ l: [Double]) -> (r: [Double], logSum: Double) {
            let top = l.max()!
            let e = l.map { exp($0 - top) }
            let total = e.reduce(0, +)
            return (e.map { $0 / total }, top + log(total))
        }

        func value(_ x: [Double]) -> Double { -responsibilities(terms(x).l).logSum }

        func gradient(_ x: [Double]) -> [Double] {
            let (u, l) = terms(x)
            let r = responsibilities(l).r
            var g = [Double](repeating: 0, count: dimension)
            for k in 0..<count { for i in 0..<dimension { g[i] += r[k] * u[k][i] } }
            return g
        }

        func hessian(_ x: [Double]) -> [Double] {
            let d = dimension
            let (u, l) = terms(x)
            let r = responsibilities(l).r
            var mean = [Double](repeating: 0, count: d)
            for k in 0..<count { for i in 0..<d { mean[i] += r[k] * u[k][i] } }
            var h = [Double](repeating: 0, count: d * d)
            for i in 0..<d {
                for j in 0..<d {
                    var sum = mean[i] * mean[j]
                    for k in 0..<count {
                        sum += r[k] * (precisions[k * d * d + i * d + j] - u[k][i] * u[k][j])
                    }
                    h[i * d + j] = sum
                }
            }
            return h
        }
    }
}

/// A log-sum-exp taken in one pass: the running maximum m of the terms ℓ_k and
/// sum = Σ exp(ℓ_k − m), so that softmax-weighted sums can be accumulated alongside without
/// overflow — rescaled by exp(m_old − m_new) whenever the maximum rises.
struct OnlineLogSumExp {
    private(set) var maximum = -Double.infinity
    private(set) var sum = 0.0

    /// Adds ℓ: its weight exp(ℓ − m) (1 when ℓ is the new maximum) and, when the maximum
    /// rose, the factor by which everything accumulated so far must be multiplied.
    @inline(__always)
    mutating func add(_ l: Double) -> (weight: Double, rescale: Double?) {
        if l > maximum {
            let rescale = exp(maximum - l)
            sum = sum * rescale + 1
            maximum = l
            return (1, rescale)
        }
        let weight = exp(l - maximum)
        sum += weight
        return (weight, nil)
    }
}

extension GaussianMixture {
    public static let entry = ObjectiveEntry(
        "gaussian-mixture", summary: "f = −log Σ_k w_k·N(x; μ_k, Σ_k): basins of chosen depth and sharpness",
        parameters: [
            .documented("weights", default: "required", valid: "> 0 each", meaning: "w_k (depth of basin k)"),
            .documented("means", default: "required", valid: "one d-vector per component", meaning: "μ_k"),
            .documented("covariances", default: "required", valid: "per component a variance > 0 (isotropic) or an SPD d×d matrix",
                        meaning: "Σ_k (sharpness of basin k)"),
        ]
    ) { p, _ in
        let weightsNode = try p.map.required("weights", expected: "the component weights, each > 0")
        let weights = try weightsNode.vector(count: nil, expected: "weights > 0") { $0 > 0 }
        let meansNode = try p.map.required("means", expected: "one mean vector per component")
        let means = try meansNode.sequence().map { try $0.vector(count: nil, expected: "finite numbers") { _ in true } }
        guard means.count == weights.count else {
            throw meansNode.error("has \(means.count) means for \(weights.count) weights", expected: "one mean per weight")
        }
        let d = means[0].count
        for (k, m) in means.enumerated() where m.count != d {
            throw meansNode.error("mean \(k) has \(m.count) coordinates but mean 0 has \(d)", expected: "means of equal dimension")
        }
        let covariancesNode = try p.map.required("covariances", expected: "a variance or d×d matrix per component")
        let items = try covariancesNode.sequence()
        guard items.count == weights.count else {
            throw covariancesNode.error("has \(items.count) entries for \(weights.count) weights", expected: "one covariance per weight")
        }
        let covariances: [[Double]] = try items.map { item in
            if item.isList { return try item.squareMatrix(size: d) }
            let variance = try item.finite("a variance > 0") { $0 > 0 }
            return (0..<(d * d)).map { $0 % (d + 1) == 0 ? variance : 0 }
        }
        p.record("weights", .numbers(weights))
        p.record("means", .array(means.map { .numbers($0) }))
        p.record("covariances", .array(covariances.map { .matrix($0, d) }))
        do {
            return try GaussianMixture(weights: weights, means: means, covariances: covariances)
        } catch {
            throw covariancesNode.error("\(error)", expected: "symmetric positive-definite covariances")
        }
    }
}
