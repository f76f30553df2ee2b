/// Sign descent exactly as optax.sign_sgd: x ← x − lr·sign(g), with sign(0) = 0. No state.
public struct SignSGD: Optimizer {
    public init() {}

    public var state: [StateVector] { [] }

    public func update(_ tile: OptimizerTile) {
        let lr = tile.lr, count = tile.count
        for k in 0..<tile.dimension {
            let x = tile.x(k), g = tile.g(k)
            for c in 0..<count { x[c] -= lr * Self.sign(g[c]) }
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

extension SignSGD {
    public static let entry = OptimizerEntry("signsgd", summary: "optax.sign_sgd: x ← x − lr·sign(g) (sign(0) = 0)") { _ in SignSGD() }
}
