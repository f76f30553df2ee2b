/// Stochastic gradient Langevin dynamics (Welling & Teh 2011).
///
///     (g ← g + λ·x: coupled weight decay, applied before the rule, as SGD)
///     x ← x − lr·g + √(2·lr·T)·ξ,   ξ ~ N(0, I)     (T = temperature)
///
/// ξ comes from the chain's own `.optimizerNoise` stream at this step (`NormalSource`), drawn
/// into the gradient's buffer once the gradient step is taken, so no scratch is needed; a
/// chain's trajectory does not depend on how chains are tiled. With T = 0 no normals are drawn
/// and the rule is plain SGD. No state.
///
/// - Parameter temperature: T ≥ 0; T = 1 samples the Gibbs density ∝ exp(−f) for small lr.
public struct SGLD: Optimizer {
    public let temperature: Double

    public init(temperature: Double) {
        self.temperature = temperature
    }

    public var state: [StateVector] { [] }

    public func update(_ tile: OptimizerTile) {
        let lr = tile.lr, count = tile.count
        for k in 0..<tile.dimension {
            let x = tile.x(k), g = tile.g(k)
            for c in 0..<count { x[c] -= lr * g[c] }
        }
        guard temperature != 0 else { return }
        let scale = (2 * lr * temperature).squareRoot()
        tile.normals.fill(tile.g, stride: tile.stride, count: count, dimension: tile.dimension, firstChain: tile.firstChain,
                          step: UInt32(truncatingIfNeeded: tile.step), purpose: .optimizerNoise)
        for k in 0..<tile.dimension {
            let x = tile.x(k), z = tile.g(k)
            for c in 0..<count { x[c] += scale * z[c] }
        }
    }
}

extension SGLD {
    /// The parameters as the catalogue declares them: each default, range and meaning is
    /// written here once (the initialiser's defaults are these).
    public enum Parameters {
        public static let temperature = Parameter<Double>.number("temperature", .value(1), .atLeast(0),
                                                   "T: the Gibbs density exp(−f/T) is the small-lr limit")
    }

    public static let entry: OptimizerEntry = {
        return OptimizerEntry(
            "sgld", summary: "stochastic gradient Langevin dynamics: x ← x − lr·g + √(2·lr·T)·N(0, I)",
            parameters: [Parameters.temperature.erased], weightDecay: .coupled()
        ) { p in SGLD(temperature: try p(Parameters.temperature)) }
    }()
}
