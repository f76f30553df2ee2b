/// Lion (Chen et al. 2023) exactly as optax.lion; lion-pytorch agrees to 4e-15.
///
///     c ← β₁·m + (1 − β₁)·g
///     x ← x·(1 − lr·λ) − lr·sign(c)                 (sign(0) = 0; decoupled decay scaled by lr)
///     m ← β₂·m + (1 − β₂)·g                         (momentum updated after, with β₂)
///
/// State: m, starting at 0.
///
/// - Parameters:
///   - beta1: 0.9, beta2: 0.99 (optax's defaults).
///   - weightDecay: λ per coordinate (optax's default is 1e-3).
public struct Lion: Optimizer {
    public let beta1: Double
    public let beta2: Double
    public let weightDecay: WeightDecay

    public init(beta1: Double = 0.9, beta2: Double = 0.99, weightDecay: WeightDecay) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.weightDecay = weightDecay
    }

    public var stateVectors: Int { 1 }

    public func update(
        _ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>,
        state: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int,
        lr: Double, step: Int, normals: NormalSource, firstChain: Int
    ) {
        let b1 = beta1, b2 = beta2
        for k in 0..<dimension {
            let xk = x + k * stride, gk = g + k * stride, mk = state + k * stride
            let decay = weightDecay.values[k]
            if decay != 0 {
                let factor = 1 - lr * decay
                for c in 0..<count {
                    xk[c] = xk[c] * factor - lr * SignSGD.sign(b1 * mk[c] + (1 - b1) * gk[c])
                    mk[c] = b2 * mk[c] + (1 - b2) * gk[c]
                }
            } else {
                for c in 0..<count {
                    xk[c] -= lr * SignSGD.sign(b1 * mk[c] + (1 - b1) * gk[c])
                    mk[c] = b2 * mk[c] + (1 - b2) * gk[c]
                }
            }
        }
    }
}
