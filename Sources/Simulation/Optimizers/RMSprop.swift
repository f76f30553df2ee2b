/// RMSprop exactly as torch.optim.RMSprop.
///
///     g ← g + λ·x                                   (coupled L2)
///     s ← α·s + (1 − α)·g²                          (no bias correction)
///     centered:  a ← α·a + (1 − α)·g;  den = √(s − a²) + ε
///     otherwise: den = √s + ε                       (ε outside the square root)
///     momentum μ > 0:  b ← μ·b + g/den;  x ← x − lr·b
///     otherwise:       x ← x − lr·g/den
///
/// lr is applied outside the momentum buffer (optax.rmsprop puts it inside, which differs
/// under a schedule). State: s, then a if centered, then b if μ > 0, all starting at 0.
///
/// - Parameters:
///   - alpha: 0.99, eps: 1e-8, momentum: 0, centered: false (torch's defaults).
///   - weightDecay: λ per coordinate.
public struct RMSprop: Optimizer {
    public let alpha: Double
    public let eps: Double
    public let weightDecay: WeightDecay
    public let momentum: Double
    public let centered: Bool

    public init(alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: WeightDecay, momentum: Double = 0,
                centered: Bool = false) {
        self.alpha = alpha
        self.eps = eps
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
    }

    public var stateVectors: Int { 1 + (centered ? 1 : 0) + (momentum > 0 ? 1 : 0) }

    public func update(
        _ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>,
        state: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int,
        lr: Double, step: Int, normals: NormalSource, firstChain: Int
    ) {
        let alpha = alpha, eps = eps, mu = momentum
        let bufferIndex = centered ? 2 : 1
        for k in 0..<dimension {
            let xk = x + k * stride, gk = g + k * stride
            let sk = state + k * stride
            weightDecay.apply(coordinate: k, x: xk, gradient: gk, count: count, lr: lr, decoupled: false)
            for c in 0..<count { sk[c] = alpha * sk[c] + (1 - alpha) * gk[c] * gk[c] }
            // From here on gk holds g/den.
            if centered {
                let ak = state + (dimension + k) * stride
                for c in 0..<count {
                    ak[c] = alpha * ak[c] + (1 - alpha) * gk[c]
                    gk[c] /= (sk[c] - ak[c] * ak[c]).squareRoot() + eps
                }
            } else {
                for c in 0..<count { gk[c] /= sk[c].squareRoot() + eps }
            }
            if mu > 0 {
                let bk = state + (bufferIndex * dimension + k) * stride
                for c in 0..<count {
                    bk[c] = mu * bk[c] + gk[c]
                    xk[c] -= lr * bk[c]
                }
            } else {
                for c in 0..<count { xk[c] -= lr * gk[c] }
            }
        }
    }
}
