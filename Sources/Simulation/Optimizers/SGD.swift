/// Stochastic gradient descent exactly as torch.optim.SGD.
///
///     g ← g + λ·x                                   (coupled L2, λ = weight_decay)
///     b ← g  at t = 1,  else  b ← μ·b + (1 − τ)·g   (μ = momentum, τ = dampening)
///     d ← g + μ·b  (nesterov)  or  b  or  g  (μ = 0)
///     x ← x − lr·d
///
/// lr multiplies the buffer when it is used and is never stored in it.
public struct SGD: Optimizer {
    public let momentum: Double
    public let dampening: Double
    public let nesterov: Bool
    public let weightDecay: WeightDecay

    /// Defaults as torch: momentum 0, dampening 0, nesterov false, weight_decay 0.
    public init(momentum: Double = 0, dampening: Double = 0, nesterov: Bool = false, weightDecay: WeightDecay) {
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public var stateVectors: Int { momentum == 0 ? 0 : 1 }

    public func update(
        _ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>,
        state: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int,
        lr: Double, step: Int, normals: NormalSource, firstChain: Int
    ) {
        for k in 0..<dimension {
            let xk = x + k * stride, gk = g + k * stride
            weightDecay.apply(coordinate: k, x: xk, gradient: gk, count: count, lr: lr, decoupled: false)
            if momentum == 0 {
                for c in 0..<count { xk[c] -= lr * gk[c] }
                continue
            }
            let bk = state + k * stride
            if step == 1 {
                for c in 0..<count { bk[c] = gk[c] }
            } else {
                let mu = momentum, keep = 1 - dampening
                for c in 0..<count { bk[c] = mu * bk[c] + keep * gk[c] }
            }
            if nesterov {
                let mu = momentum
                for c in 0..<count { xk[c] -= lr * (gk[c] + mu * bk[c]) }
            } else {
                for c in 0..<count { xk[c] -= lr * bk[c] }
            }
        }
    }
}
