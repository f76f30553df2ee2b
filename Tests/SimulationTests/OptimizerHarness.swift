@testable import Simulation

/// A block of chains in the engine's structure-of-arrays layout, for driving an optimizer
/// directly as the engine does (weight decay, then the rule, on one `OptimizerTile`): chains
/// firstChain ..< firstChain + count in slots 0 ..< count of a tile with capacity `stride`.
/// Slots count ..< stride hold a sentinel that no update may touch.
struct OptimizerHarness {
    static let sentinel = -1234.5
    let dimension: Int, stride: Int, count: Int, firstChain: Int
    /// Applied before the rule at every step, as the engine does.
    var decay: WeightDecay?
    var x: [Double]
    var gradient: [Double]
    var state: [Double]

    init(_ optimizer: any Optimizer, decay: WeightDecay? = nil, dimension: Int, stride: Int, count: Int, firstChain: Int,
         start: (_ chain: Int, _ k: Int) -> Double) {
        self.decay = decay
        precondition(count <= stride)
        self.dimension = dimension
        self.stride = stride
        self.count = count
        self.firstChain = firstChain
        x = [Double](repeating: Self.sentinel, count: dimension * stride)
        gradient = x
        state = [Double](repeating: Self.sentinel, count: Swift.max(1, dimension * stride * optimizer.stateVectors))
        for k in 0..<dimension { for c in 0..<count { x[k * stride + c] = start(firstChain + c, k) } }
        state.withUnsafeMutableBufferPointer { optimizer.initializeState($0.baseAddress!, stride: stride, count: count, dimension: dimension) }
    }

    /// One update t with the gradient of each chain given by `gradient(chain, k, x of that chain)`.
    mutating func step(
        _ optimizer: any Optimizer, t: Int, lr: Double, normals: NormalSource,
        gradient: (_ chain: Int, _ k: Int, _ x: [Double]) -> Double
    ) {
        for c in 0..<count {
            let point = (0..<dimension).map { x[$0 * stride + c] }
            for k in 0..<dimension { self.gradient[k * stride + c] = gradient(firstChain + c, k, point) }
        }
        let (d, s, n, first, decay) = (dimension, stride, count, firstChain, decay)
        x.withUnsafeMutableBufferPointer { xp in
            self.gradient.withUnsafeMutableBufferPointer { gp in
                state.withUnsafeMutableBufferPointer { sp in
                    let tile = OptimizerTile(x: xp.baseAddress!, g: gp.baseAddress!, state: sp.baseAddress!, stride: s, count: n,
                                             dimension: d, firstChain: first, step: t, lr: lr, normals: normals)
                    decay?.apply(tile)
                    optimizer.update(tile)
                }
            }
        }
    }

    func x(chain: Int) -> [Double] { (0..<dimension).map { x[$0 * stride + chain - firstChain] } }

    /// State vector v of a chain.
    func state(chain: Int, vector v: Int) -> [Double] {
        (0..<dimension).map { state[(v * dimension + $0) * stride + chain - firstChain] }
    }

    /// Whether the padding slots count ..< stride of x and the state still hold the sentinel.
    var paddingIsUntouched: Bool {
        let rows = x.count / stride, stateRows = state.count / stride
        for r in 0..<rows { for c in count..<stride where x[r * stride + c] != Self.sentinel { return false } }
        for r in 0..<stateRows { for c in count..<stride where state[r * stride + c] != Self.sentinel { return false } }
        return true
    }
}

/// A deterministic noisy gradient for tests: H(x) + z with H = diag(1, 2, …) and z from the
/// chain's gradient-noise stream at step t.
func testGradient(normals: NormalSource, t: Int) -> (Int, Int, [Double]) -> Double {
    let pairs = NormalStream(generator: normals.generator)
    return { chain, k, x in
        let pair = pairs.pair(chain: UInt32(chain), step: UInt32(t), index: UInt32(k / 2), purpose: .gradientNoise)
        return Double(k + 1) * x[k] + 0.5 * (k % 2 == 0 ? pair.0 : pair.1)
    }
}
