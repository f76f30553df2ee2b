/// An update rule, applied to a block of chains in structure-of-arrays layout.
///
/// Index k·stride + c holds coordinate k of chain c in `x` and `gradient`; state vector s
/// of the optimizer lives at (s·d + k)·stride + c in `state`. The gradient handed over has
/// already been perturbed and clipped (SPEC §4 steps 1–3); the optimizer may overwrite it.
/// `step` is the 1-based update count t and `lr` the scheduled learning rate lr_t.
public protocol Optimizer: Sendable {
    /// How many d-vectors of state each chain carries (momentum buffers, moments …).
    var stateVectors: Int { get }
    /// Writes the initial state (zeros unless the rule says otherwise).
    func initializeState(_ state: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int)
    func update(
        _ x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>,
        state: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int,
        lr: Double, step: Int, normals: NormalSource, firstChain: Int
    )
}

extension Optimizer {
    public func initializeState(_ state: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int) {
        for s in 0..<stateVectors {
            for k in 0..<dimension {
                let row = state + (s * dimension + k) * stride
                for c in 0..<count { row[c] = 0 }
            }
        }
    }
}

/// Per-coordinate weight decay: one value per coordinate, or the same for all.
public struct WeightDecay: Sendable, Equatable {
    public let values: [Double]
    public init(_ values: [Double]) { self.values = values }
    public init(uniform value: Double, dimension: Int) {
        self.values = [Double](repeating: value, count: dimension)
    }
    public var isZero: Bool { values.allSatisfy { $0 == 0 } }

    /// Coordinate k of a tile: coupled L2, g ← g + λ_k·x (torch's `weight_decay`), or
    /// decoupled, x ← x·(1 − lr·λ_k) (torch AdamW's, at the start of the step).
    @inline(__always)
    func apply(coordinate k: Int, x: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>,
               count: Int, lr: Double, decoupled: Bool) {
        let decay = values[k]
        guard decay != 0 else { return }
        if decoupled {
            let factor = 1 - lr * decay
            for c in 0..<count { x[c] *= factor }
        } else {
            for c in 0..<count { g[c] += decay * x[c] }
        }
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
