/// Sign descent exactly as optax.sign_sgd: x ← x − lr·sign(g), with sign(0) = 0. No state.
public struct SignSGD: Optimizer {
    public init() {}

    public var stateVectors: Int { 0 }

    public func update(
        _ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>,
        state: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int,
        lr: Double, step: Int, normals: NormalSource, firstChain: Int
    ) {
        for k in 0..<dimension {
            let xk = x + k * stride, gk = g + k * stride
            for c in 0..<count { xk[c] -= lr * Self.sign(gk[c]) }
        }
    }
}

extension SignSGD {
    /// jnp.sign: −1, 0 or 1 (±0 stays ±0 and NaN stays NaN, so a diverged chain is still seen).
    @inline(__always)
    static func sign(_ value: Double) -> Double {
        value > 0 ? 1 : (value < 0 ? -1 : value)
    }
}
