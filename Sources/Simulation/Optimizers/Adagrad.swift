/// Adagrad exactly as torch.optim.Adagrad.
///
///     g ← g + λ·x                                   (coupled L2)
///     clr = lr/(1 + (t − 1)·lr_decay)
///     S ← S + g²                                    (S starts at initial_accumulator_value)
///     x ← x − clr·g/(√S + ε)                        (ε outside the square root)
///
/// optax.adagrad differs: g/√(S + ε), initial accumulator 0.1, ε = 1e-7, no lr_decay.
///
/// - Parameters:
///   - lrDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 (torch's defaults).
///   - weightDecay: λ per coordinate.
public struct Adagrad: Optimizer {
    public let lrDecay: Double
    public let weightDecay: WeightDecay
    public let initialAccumulatorValue: Double
    public let eps: Double

    public init(lrDecay: Double = 0, weightDecay: WeightDecay, initialAccumulatorValue: Double = 0, eps: Double = 1e-10) {
        self.lrDecay = lrDecay
        self.weightDecay = weightDecay
        self.initialAccumulatorValue = initialAccumulatorValue
        self.eps = eps
    }

    public var stateVectors: Int { 1 }

    public func initializeState(_ state: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int) {
        let start = initialAccumulatorValue
        for k in 0..<dimension {
            let row = state + k * stride
            for c in 0..<count { row[c] = start }
        }
    }

    public func update(
        _ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>,
        state: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int,
        lr: Double, step: Int, normals: NormalSource, firstChain: Int
    ) {
        let eps = eps
        let clr = lr / (1 + Double(step - 1) * lrDecay)
        for k in 0..<dimension {
            let xk = x + k * stride, gk = g + k * stride, sk = state + k * stride
            weightDecay.apply(coordinate: k, x: xk, gradient: gk, count: count, lr: lr, decoupled: false)
            for c in 0..<count {
                sk[c] += gk[c] * gk[c]
                xk[c] -= clr * (gk[c] / (sk[c].squareRoot() + eps))
            }
        }
    }
}
