/// RAdam exactly as torch.optim.RAdam.
///
///     decoupled:  x ← x·(1 − lr·λ)          otherwise:  g ← g + λ·x
///     m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;  m̂ = m/(1 − β₁ᵗ)
///     ρ∞ = 2/(1 − β₂) − 1;  ρₜ = ρ∞ − 2t·β₂ᵗ/(1 − β₂ᵗ)
///     ρₜ > 5:  r = √((ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ))
///              x ← x − lr·m̂·r·√(1 − β₂ᵗ)/(√v + ε)      (ε on the raw √v)
///     else:    x ← x − lr·m̂                            (un-adapted momentum step)
///
/// optax.radam differs: m̂·r/(√(v/(1 − β₂ᵗ)) + ε), rectifying when ρₜ ≥ 5.
/// State: m, v, both starting at 0.
///
/// - Parameters:
///   - beta1: 0.9, beta2: 0.999, eps: 1e-8 (torch's defaults).
///   - weightDecay: λ per coordinate.
///   - decoupledWeightDecay: false (torch's decoupled_weight_decay).
public struct RAdam: Optimizer {
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let weightDecay: WeightDecay
    public let decoupledWeightDecay: Bool

    public init(beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: WeightDecay,
                decoupledWeightDecay: Bool = false) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    public var stateVectors: Int { 2 }

    public func update(
        _ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>,
        state: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int,
        lr: Double, step: Int, normals: NormalSource, firstChain: Int
    ) {
        let b1 = beta1, b2 = beta2, eps = eps
        let t = Double(step)
        let bc1 = 1 - _pow(b1, t), bc2 = 1 - _pow(b2, t)
        let rhoInfinity = 2 / (1 - b2) - 1
        let rho = rhoInfinity - 2 * t * _pow(b2, t) / bc2
        let rectified = rho > 5
        let rectification = rectified
            ? ((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho)).squareRoot()
            : 0
        let bc2Root = bc2.squareRoot()
        for k in 0..<dimension {
            let xk = x + k * stride, gk = g + k * stride
            let mk = state + k * stride, vk = state + (dimension + k) * stride
            weightDecay.apply(coordinate: k, x: xk, gradient: gk, count: count, lr: lr, decoupled: decoupledWeightDecay)
            updateMoments(m: mk, v: vk, gradient: gk, count: count, beta1: b1, beta2: b2)
            if rectified {
                for c in 0..<count {
                    xk[c] -= mk[c] / bc1 * lr * (bc2Root / (vk[c].squareRoot() + eps)) * rectification
                }
            } else {
                for c in 0..<count { xk[c] -= mk[c] / bc1 * lr }
            }
        }
    }
}
