/// Stochastic gradient Langevin dynamics (Welling & Teh 2011).
///
///     g ← g + λ·x                                   (coupled L2, as SGD)
///     x ← x − lr·g + √(2·lr·T)·ξ,   ξ ~ N(0, I)     (T = temperature)
///
/// ξ comes from the chain's own `.optimizerNoise` stream at this step (`NormalSource`), drawn
/// into the gradient's buffer once the gradient step is taken, so no scratch is needed; a
/// chain's trajectory does not depend on how chains are tiled. With T = 0 no normals are drawn
/// and the rule is plain SGD. No state.
///
/// - Parameters:
///   - temperature: T ≥ 0; T = 1 samples the Gibbs density ∝ exp(−f) for small lr.
///   - weightDecay: λ per coordinate.
public struct SGLD: Optimizer {
    public let temperature: Double
    public let weightDecay: WeightDecay

    public init(temperature: Double, weightDecay: WeightDecay) {
        self.temperature = temperature
        self.weightDecay = weightDecay
    }

    public var stateVectors: Int { 0 }

    public func update(
        _ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>,
        state: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int,
        lr: Double, step: Int, normals: NormalSource, firstChain: Int
    ) {
        for k in 0..<dimension {
            let xk = x + k * stride, gk = g + k * stride
            let decay = weightDecay.values[k]
            if decay != 0 {
                for c in 0..<count { xk[c] -= lr * (gk[c] + decay * xk[c]) }
            } else {
                for c in 0..<count { xk[c] -= lr * gk[c] }
            }
        }
        guard temperature != 0 else { return }
        let scale = (2 * lr * temperature).squareRoot()
        normals.fill(g, stride: stride, count: count, dimension: dimension, firstChain: firstChain,
                     step: UInt32(truncatingIfNeeded: step), purpose: .optimizerNoise)
        for k in 0..<dimension {
            let xk = x + k * stride, zk = g + k * stride
            for c in 0..<count { xk[c] += scale * zk[c] }
        }
    }
}
