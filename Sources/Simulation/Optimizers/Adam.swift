/// Adam, and AdamW with `decoupled: true`, exactly as torch.optim.Adam / torch.optim.AdamW.
///
///     decoupled:  x ← x·(1 − lr·λ)          (before the step, with the scheduled lr)
///     otherwise:  g ← g + λ·x               (coupled L2)
///     m ← β₁·m + (1 − β₁)·g
///     v ← β₂·v + (1 − β₂)·g²
///     amsgrad:    v̂ ← max(v̂, v) and v̂ replaces v below (max of the raw v, as torch)
///     x ← x − (lr/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε)
///
/// ε is added after the bias correction of √v (m̂/(√v̂ + ε), not m̂/√(v̂ + ε)).
/// State: m, v, and v̂ with AMSGrad, all starting at 0.
///
/// - Parameters:
///   - beta1: 0.9, beta2: 0.999, eps: 1e-8 (torch's defaults).
///   - weightDecay: λ per coordinate (torch's Adam default is 0, AdamW's 0.01).
///   - decoupled: false (Adam); true is torch.optim.AdamW.
///   - amsgrad: false.
public struct Adam: Optimizer {
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let weightDecay: WeightDecay
    public let decoupled: Bool
    public let amsgrad: Bool

    public init(beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: WeightDecay,
                decoupled: Bool = false, amsgrad: Bool = false) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupled = decoupled
        self.amsgrad = amsgrad
    }

    public var stateVectors: Int { amsgrad ? 3 : 2 }

    public func update(
        _ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>,
        state: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int,
        lr: Double, step: Int, normals: NormalSource, firstChain: Int
    ) {
        let b1 = beta1, b2 = beta2, eps = eps
        let stepSize = lr / (1 - _pow(b1, Double(step)))
        let bc2Root = (1 - _pow(b2, Double(step))).squareRoot()
        for k in 0..<dimension {
            let xk = x + k * stride, gk = g + k * stride
            let mk = state + k * stride, vk = state + (dimension + k) * stride
            weightDecay.apply(coordinate: k, x: xk, gradient: gk, count: count, lr: lr, decoupled: decoupled)
            updateMoments(m: mk, v: vk, gradient: gk, count: count, beta1: b1, beta2: b2)
            if amsgrad {
                let maxk = state + (2 * dimension + k) * stride
                for c in 0..<count {
                    maxk[c] = Swift.max(maxk[c], vk[c])
                    xk[c] -= stepSize * (mk[c] / (maxk[c].squareRoot() / bc2Root + eps))
                }
            } else {
                for c in 0..<count { xk[c] -= stepSize * (mk[c] / (vk[c].squareRoot() / bc2Root + eps)) }
            }
        }
    }
}
