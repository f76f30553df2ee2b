/// An update rule, applied to one tile of chains at a time (`OptimizerTile`).
///
/// The gradient handed over has already been perturbed, clipped and (when the optimizer's
/// catalogue entry declares it) weight-decayed (SPEC §4 steps 1–3, `WeightDecay`); the rule
/// may overwrite it. A rule names its state vectors (`StateVector`, declared with a
/// `StateLayout`) and reaches them through the tile, never through offsets of its own.
public protocol Optimizer: Sendable {
    /// The d-vectors of state each chain carries (momentum buffers, moments …), in storage order.
    var state: [StateVector] { get }
    /// One update of every chain of the tile.
    func update(_ tile: OptimizerTile)
}

extension Optimizer {
    /// How many d-vectors of state each chain carries.
    public var stateVectors: Int { state.count }

    /// Writes every state vector's start value into a block of chains (layout of `OptimizerTile`).
    public func initializeState(_ state: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int) {
        for vector in self.state {
            let start = vector.initialValue
            for k in 0..<dimension {
                let row = state + (vector.index * dimension + k) * stride
                for c in 0..<count { row[c] = start }
            }
        }
    }
}

/// One d-vector of optimizer state per chain (a moment, a momentum buffer …): its row block
/// in the tile's state and the value it starts from.
public struct StateVector: Sendable, Equatable {
    public let index: Int
    public let initialValue: Double
}

/// Declares an optimizer's state vectors in storage order:
///
///     var layout = StateLayout()
///     m = layout.vector()
///     v = layout.vector()
///     state = layout.vectors
public struct StateLayout: Sendable {
    public private(set) var vectors: [StateVector] = []

    public init() {}

    /// The next state vector, starting at `initialValue` in every chain.
    public mutating func vector(startingAt initialValue: Double = 0) -> StateVector {
        let vector = StateVector(index: vectors.count, initialValue: initialValue)
        vectors.append(vector)
        return vector
    }
}

/// Adam's exponential moving averages of g and g², as torch updates them:
/// m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g².
@inline(__always)
func updateMoments(m: UnsafeMutablePointer<Double>, v: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>,
                   count: Int, beta1: Double, beta2: Double) {
    for c in 0..<count {
        m[c] = beta1 * m[c] + (1 - beta1) * g[c]
        v[c] = beta2 * v[c] + (1 - beta2) * g[c] * g[c]
    }
}
