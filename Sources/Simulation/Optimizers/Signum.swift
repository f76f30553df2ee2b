/// Signum (Bernstein et al. 2018) exactly as optax.signum.
///
///     m ← β·m + (1 − β)·g                           (no bias correction)
///     x ← x − lr·sign(m)                            (sign(0) = 0)
///
/// State: m, starting at 0.
///
/// - Parameter beta: 0.9 (optax's default).
public struct Signum: Optimizer {
    public let beta: Double

    public init(beta: Double = 0.9) { self.beta = beta }

    public var stateVectors: Int { 1 }

    public func update(
        _ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>,
        state: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int,
        lr: Double, step: Int, normals: NormalSource, firstChain: Int
    ) {
        let beta = beta
        for k in 0..<dimension {
            let xk = x + k * stride, gk = g + k * stride, mk = state + k * stride
            for c in 0..<count {
                mk[c] = beta * mk[c] + (1 - beta) * gk[c]
                xk[c] -= lr * SignSGD.sign(mk[c])
            }
        }
    }
}
