#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Weighted logistic regression on `LogisticData`, without intercept:
/// f(x) = (1/n) Σᵢ ω_{sᵢ}·log(1 + exp(−sᵢ·zᵢᵀx)), labels sᵢ = ±1 — the binary cross-entropy of
/// σ(zᵢᵀx) against yᵢ = (sᵢ + 1)/2, weighted per class.
///
/// With tᵢ = sᵢ·zᵢᵀx: ∇f = −(1/n) Σᵢ ω·sᵢ·σ(−tᵢ)·zᵢ and ∇²f = (1/n) Σᵢ ω·σ(tᵢ)σ(−tᵢ)·zᵢzᵢᵀ, the
/// loss a stable softplus. Every full-batch gradient costs O(n·d) per chain.
///
/// x* (`minimum`) is the minimiser of f, found by Newton's method to rounding precision,
/// when it exists. It does not for separable data (f → 0 along the separating direction):
/// then x* is the minimiser of f + ½ Σ λ_k x_k² for the `referenceDecay` λ, which the config
/// layer takes from the first optimizer with a weight decay > 0 on every coordinate.
public struct LogisticRegression: Sendable {
    public let data: LogisticData
    public let dimension: Int
    /// ω₋, ω₊: the weights of classes −1 and +1.
    public let classWeights: ClassWeights
    /// The minimiser of f; nil when f has none (separable data).
    public let unregularizedMinimum: [Double]?
    /// λ of the regularised reference point when f has no minimiser, else nil.
    public let referenceDecay: [Double]?
    public let minimum: [Double]
    /// ω_{sᵢ} per example.
    let exampleWeights: [Double]

    /// The weights of the two classes' losses.
    public struct ClassWeights: Sendable, Equatable {
        public let negative: Double
        public let positive: Double

        public init(negative: Double, positive: Double) {
            precondition(negative >= 0 && positive >= 0 && negative.isFinite && positive.isFinite,
                         "class weights must be finite and ≥ 0")
            self.negative = negative
            self.positive = positive
        }

        public static let uniform = ClassWeights(negative: 1, positive: 1)

        /// As sklearn's class_weight="balanced": ω_c = n/(2·n_c) from the observed labels, so
        /// both classes carry total weight n/2; a class without examples gets weight 0.
        public static func balanced(_ data: LogisticData) -> ClassWeights {
            let n = Double(data.count), positives = Double(data.positiveCount), negatives = n - positives
            return ClassWeights(negative: negatives > 0 ? n / (2 * negatives) : 0,
                                positive: positives > 0 ? n / (2 * positives) : 0)
        }

        public func weight(label: Double) -> Double { label > 0 ? positive : negative }
    }

    /// Why the objective has no reference point.
    public enum MinimumError: Error, Equatable {
        /// f has no finite minimiser, and either no weight decay (all > 0) was given to
        /// regularise it or the regularised loss could not be minimised (it overflows).
        case noFiniteMinimum
    }

    /// - Parameters:
    ///   - fallbackDecay: λ per coordinate, each > 0, used for x* only when f has no minimiser.
    /// - Throws: `MinimumError.noFiniteMinimum` when f has no minimiser and no fallback is given.
    public init(data: LogisticData, classWeights: ClassWeights = .uniform, fallbackDecay: [Double]? = nil) throws {
        try self.init(data: data, classWeights: classWeights) { fallbackDecay }
    }

    /// As `init(data:classWeights:fallbackDecay:)`, asking `fallbackDecay` for λ only when f
    /// has no minimiser (its errors are passed on).
    public init(data: LogisticData, classWeights: ClassWeights, fallbackDecay: () throws -> [Double]?) throws {
        let weights = data.labels.map { classWeights.weight(label: $0) }
        self.data = data
        self.dimension = data.dimension
        self.classWeights = classWeights
        self.exampleWeights = weights
        unregularizedMinimum = data.isSeparableByConstruction ? nil
            : Self.newtonMinimum(data: data, exampleWeights: weights, decay: nil)
        if let unregularizedMinimum {
            referenceDecay = nil
            minimum = unregularizedMinimum
        } else {
            guard let decay = try fallbackDecay(), decay.count == data.dimension, decay.allSatisfy({ $0 > 0 && $0.isFinite }),
                  let regularized = Self.newtonMinimum(data: data, exampleWeights: weights, decay: decay)
            else { throw MinimumError.noFiniteMinimum }
            referenceDecay = decay
            minimum = regularized
        }
    }

    /// The minimiser of f + ½ Σ λ_k x_k² (λ = `decay`, each ≥ 0), or nil if it has none.
    public func regularizedMinimum(decay: [Double]) -> [Double]? {
        precondition(decay.count == dimension, "one decay per coordinate")
        if decay.allSatisfy({ $0 == 0 }) { return unregularizedMinimum }
        return Self.newtonMinimum(data: data, exampleWeights: exampleWeights, decay: decay)
    }

    // MARK: one point

    public func value(at x: [Double]) -> Double {
        let d = dimension
        var total = 0.0
        for i in 0..<data.count {
            var m = 0.0
            for k in 0..<d { m += data.features[i * d + k] * x[k] }
            total += exampleWeights[i] * Self.softplus(-data.labels[i] * m)
        }
        return total / Double(data.count)
    }

    public func hessian(at x: [Double]) -> [Double] {
        var h = [Double](repeating: 0, count: dimension * dimension)
        x.withUnsafeBufferPointer { point in
            h.withUnsafeMutableBufferPointer { hessian(point.baseAddress!, stride: 1, chain: 0, into: $0.baseAddress!) }
        }
        return h
    }

    // MARK: scalar functions

    /// log(1 + eᵘ) without overflow or cancellation.
    @inline(__always)
    static func softplus(_ u: Double) -> Double {
        u > 0 ? u + log1p(exp(-u)) : log1p(exp(u))
    }

    /// σ(u) = 1/(1 + e⁻ᵘ); exp overflows to +∞ for very negative u, giving exactly 0.
    @inline(__always)
    static func sigmoid(_ u: Double) -> Double { 1 / (1 + exp(-u)) }

    /// σ(u)·σ(−u) = e^{−|u|}/(1 + e^{−|u|})², the logistic curvature.
    @inline(__always)
    static func curvature(_ u: Double) -> Double {
        let e = exp(-Swift.abs(u))
        return e / ((1 + e) * (1 + e))
    }
}
