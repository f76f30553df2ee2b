/// NAdam exactly as torch.optim.NAdam (Dozat's momentum schedule).
///
///     decoupled:  x ← x·(1 − lr·λ)          otherwise:  g ← g + λ·x
///     μₜ = β₁·(1 − ½·0.96^(t·ψ)),  μₜ₊₁ = β₁·(1 − ½·0.96^((t+1)·ψ))     (ψ = momentum_decay)
///     P ← P·μₜ                                      (P starts at 1: P = ∏_{i≤t} μᵢ)
///     m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²
///     den = √(v/(1 − β₂ᵗ)) + ε
///     x ← x − lr·(1 − μₜ)/(1 − P)·g/den − lr·μₜ₊₁/(1 − P·μₜ₊₁)·m/den
///
/// P is kept as a third state vector (one copy per coordinate, all equal) and multiplied in
/// float64 step by step, as torch does under `set_default_dtype(float64)`; a float32 P moves
/// trajectories by ~2e-10. optax.nadam is a different algorithm (no μₜ schedule).
/// State: m, v (start 0), P (starts at 1).
///
/// One departure from torch's stored value, invisible in every iterate: once |P| < 2⁻⁶⁰ it
/// is held at 0. Below 2⁻⁵⁴ both 1 − P and 1 − P·μₜ₊₁ round to exactly 1, and P only decreases
/// (μ < 1), so x, m and v stay bit-identical to torch; but torch's P goes on into the
/// subnormal range (from t ≈ 976 with the defaults) and stays there, since μₜ > ½ rounds the
/// smallest subnormal back up, which makes every later step ~10× slower on x86.
///
/// - Parameters:
///   - beta1: 0.9, beta2: 0.999, eps: 1e-8, momentumDecay: 4e-3 (torch's defaults).
///   - weightDecay: λ per coordinate.
///   - decoupledWeightDecay: false (torch's decoupled_weight_decay).
public struct NAdam: Optimizer {
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let weightDecay: WeightDecay
    public let momentumDecay: Double
    public let decoupledWeightDecay: Bool
    /// P is held at 0 below this; 0 gives torch's literal product (for tests).
    var productFloor = 0x1p-60

    public init(beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: WeightDecay,
                momentumDecay: Double = 4e-3, decoupledWeightDecay: Bool = false) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.momentumDecay = momentumDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    public var stateVectors: Int { 3 }

    public func initializeState(_ state: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int) {
        for s in 0..<3 {
            let start = s == 2 ? 1.0 : 0.0
            for k in 0..<dimension {
                let row = state + (s * dimension + k) * stride
                for c in 0..<count { row[c] = start }
            }
        }
    }

    public func update(
        _ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>,
        state: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int,
        lr: Double, step: Int, normals: NormalSource, firstChain: Int
    ) {
        let b1 = beta1, b2 = beta2, eps = eps
        let t = Double(step)
        let bc2 = 1 - _pow(b2, t)
        let mu = b1 * (1 - 0.5 * _pow(0.96, t * momentumDecay))
        let muNext = b1 * (1 - 0.5 * _pow(0.96, (t + 1) * momentumDecay))
        let gradientRate = lr * (1 - mu), momentumRate = lr * muNext, floor = productFloor
        for k in 0..<dimension {
            let xk = x + k * stride, gk = g + k * stride
            let mk = state + k * stride, vk = state + (dimension + k) * stride
            let pk = state + (2 * dimension + k) * stride
            weightDecay.apply(coordinate: k, x: xk, gradient: gk, count: count, lr: lr, decoupled: decoupledWeightDecay)
            for c in 0..<count {
                let product = pk[c] * mu
                pk[c] = Swift.abs(product) < floor ? 0 : product
                mk[c] = b1 * mk[c] + (1 - b1) * gk[c]
                vk[c] = b2 * vk[c] + (1 - b2) * gk[c] * gk[c]
                let den = (vk[c] / bc2).squareRoot() + eps
                xk[c] -= gradientRate / (1 - pk[c]) * (gk[c] / den)
                xk[c] -= momentumRate / (1 - pk[c] * muNext) * (mk[c] / den)
            }
        }
    }
}
