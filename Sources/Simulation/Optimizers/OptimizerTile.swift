/// One tile of chains as an optimizer sees it at update `step`: the iterates, the gradient
/// the update uses, the optimizer's state, where the tile sits in the ensemble, the
/// scheduled learning rate and the worker's normal draws.
///
/// Structure of arrays: coordinate k of chain c is at `x(k)[c]` and `g(k)[c]`, c < count;
/// state vector v of coordinate k at `row(v, k)[c]`. Slots count ..< stride belong to no
/// chain and must not be touched.
public struct OptimizerTile {
    /// Iterates, k·stride + c.
    public let x: UnsafeMutablePointer<Double>
    /// The stochastic gradient the update uses (perturbed, clipped, decayed), k·stride + c;
    /// the rule may overwrite it.
    public let g: UnsafeMutablePointer<Double>
    /// The state block: vector v of coordinate k at (v·dimension + k)·stride + c.
    let state: UnsafeMutablePointer<Double>
    public let stride: Int
    public let count: Int
    public let dimension: Int
    /// The ensemble index of slot 0: addresses the tile's own random draws.
    public let firstChain: Int
    /// The 1-based update count t.
    public let step: Int
    /// The scheduled learning rate lr_t.
    public let lr: Double
    /// The worker's normal draws, addressed by (purpose, chain, step, index).
    public let normals: NormalSource

    public init(x: UnsafeMutablePointer<Double>, g: UnsafeMutablePointer<Double>, state: UnsafeMutablePointer<Double>,
                stride: Int, count: Int, dimension: Int, firstChain: Int, step: Int, lr: Double, normals: NormalSource) {
        self.x = x
        self.g = g
        self.state = state
        self.stride = stride
        self.count = count
        self.dimension = dimension
        self.firstChain = firstChain
        self.step = step
        self.lr = lr
        self.normals = normals
    }

    /// Coordinate k of the tile's iterates.
    @inline(__always)
    public func x(_ k: Int) -> UnsafeMutablePointer<Double> { x + k * stride }

    /// Coordinate k of the tile's gradients.
    @inline(__always)
    public func g(_ k: Int) -> UnsafeMutablePointer<Double> { g + k * stride }

    /// Coordinate k of state vector `vector`.
    @inline(__always)
    public func row(_ vector: StateVector, _ k: Int) -> UnsafeMutablePointer<Double> {
        state + (vector.index * dimension + k) * stride
    }
}
