/// Adamax exactly as torch.optim.Adamax (optax.adamax is the same rule).
///
///     g ← g + λ·x                                   (coupled L2)
///     m ← β₁·m + (1 − β₁)·g
///     u ← max(β₂·u, |g| + ε)                        (ε inside the max)
///     x ← x − (lr/(1 − β₁ᵗ))·m/u                    (only m is bias-corrected)
///
/// State: m, u, both starting at 0.
///
/// - Parameters:
///   - beta1: 0.9, beta2: 0.999, eps: 1e-8 (torch's defaults).
///   - weightDecay: λ per coordinate.
public struct Adamax: Optimizer {
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let weightDecay: WeightDecay

    public init(beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: WeightDecay) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
    }

    public var stateVectors: Int { 2 }

    public func update(
        _ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>,
        state: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int,
        lr: Double, step: Int, normals: NormalSource, firstChain: Int
    ) {
        let b1 = beta1, b2 = beta2, eps = eps
        let stepSize = lr / (1 - _pow(b1, Double(step)))
        for k in 0..<dimension {
            let xk = x + k * stride, gk = g + k * stride
            let mk = state + k * stride, uk = state + (dimension + k) * stride
            weightDecay.apply(coordinate: k, x: xk, gradient: gk, count: count, lr: lr, decoupled: false)
            for c in 0..<count {
                mk[c] = b1 * mk[c] + (1 - b1) * gk[c]
                uk[c] = Swift.max(b2 * uk[c], Swift.abs(gk[c]) + eps)
                xk[c] -= stepSize * (mk[c] / uk[c])
            }
        }
    }
}
