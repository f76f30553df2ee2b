#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A deep linear network of scalar layers: f(x) = ½ (x₀·x₁·…·x_{d−1} − target)².
///
/// Every point with Π x_i = target is a global minimum: a (d − 1)-dimensional manifold whose
/// sharpness (the Hessian's one nonzero eigenvalue there, Σ_i Π_{j≠i} x_j²) is smallest at the
/// balanced points |x_i| = |target|^{1/d} and grows without bound along the unbalanced ends.
///
/// - Parameters:
///   - depth: d ≥ 1, the number of factors (and the dimension).
///   - target: default 1.
public struct LinearNetwork: Objective {
    public let dimension: Int
    public let target: Double
    /// The balanced minimum, x_i = σ_i·|target|^{1/d}: all σ_i = sign(target) when the target is
    /// ≥ 0 or the depth is odd; for a negative target and even depth no point has all factors
    /// equal, and x₀ is taken negative with the others positive.
    public let minimum: [Double]
    /// The balanced minimum only (every point of the manifold is a global minimum).
    public let localMinima: [[Double]]

    public init(depth: Int, target: Double = 1) {
        precondition(depth >= 1, "LinearNetwork needs depth ≥ 1")
        precondition(target.isFinite, "LinearNetwork needs a finite target")
        self.dimension = depth
        self.target = target
        let magnitude = depth == 1 ? Swift.abs(target)
            : depth == 2 ? Swift.abs(target).squareRoot()
            : pow(Swift.abs(target), 1 / Double(depth))
        var minimum = [Double](repeating: magnitude, count: depth)
        if target < 0 {
            if depth % 2 == 1 {
                minimum = minimum.map { -$0 }
            } else {
                minimum[0] = -magnitude
            }
        }
        self.minimum = minimum
        self.localMinima = [minimum]
    }

    public func value(at x: [Double]) -> Double {
        var product = 1.0
        for v in x { product *= v }
        let r = product - target
        return 0.5 * r * r
    }

    /// H_ii = (Π_{k≠i} x_k)², H_ij = Π_{k≠i} x_k · Π_{k≠j} x_k + r·Π_{k∉{i,j}} x_k with
    /// r = Π x − target; products without division, so zero factors are exact.
    public func hessian(at x: [Double]) -> [Double] {
        let d = dimension
        var product = 1.0
        for v in x { product *= v }
        let r = product - target
        let others = (0..<d).map { i in (0..<d).reduce(1.0) { $1 == i ? $0 : $0 * x[$1] } }
        var h = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            h[i * d + i] = others[i] * others[i]
            for j in (i + 1)..<Swift.max(i + 1, d) {
                let both = (0..<d).reduce(1.0) { $1 == i || $1 == j ? $0 : $0 * x[$1] }
                let hij = others[i] * others[j] + r * both
                h[i * d + j] = hij
                h[j * d + i] = hij
            }
        }
        return h
    }

    /// The same Hessian at one chain of a tile, in O(d²): Π_{k≠i} x_k = P_i·S_{i+1} from prefix
    /// products P and suffix products S (on the stack), and Π_{k∉{i,j}} x_k for j > i as
    /// P_i·(x_{i+1}⋯x_{j−1})·S_{j+1} with the middle product grown along j.
    public func hessian(_ x: UnsafePointer<Double>, stride: Int, chain: Int, into h: UnsafeMutablePointer<Double>) {
        let d = dimension
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * (d + 1)) { buffer in
            let prefix = buffer.baseAddress!, suffix = prefix + (d + 1)
            prefix[0] = 1
            for i in 0..<d { prefix[i + 1] = prefix[i] * x[i * stride + chain] }
            suffix[d] = 1
            for i in Swift.stride(from: d - 1, through: 0, by: -1) { suffix[i] = suffix[i + 1] * x[i * stride + chain] }
            let r = prefix[d] - target
            for i in 0..<d {
                let others = prefix[i] * suffix[i + 1]
                h[i * d + i] = others * others
                var middle = 1.0
                for j in (i + 1)..<Swift.max(i + 1, d) {
                    let othersJ = prefix[j] * suffix[j + 1]
                    let hij = others * othersJ + r * (prefix[i] * middle * suffix[j + 1])
                    h[i * d + j] = hij
                    h[j * d + i] = hij
                    middle *= x[j * stride + chain]
                }
            }
        }
    }

    /// ∂f/∂x_i = r·Π_{k≠i} x_k, without division and without scratch: the gradient rows first
    /// hold the prefix products P_{i+1} = x₀⋯x_i, the last one becomes the residual r, and a
    /// backward sweep turns each adjacent pair (P_i, c_i) — c_i = r·x_{i+1}⋯x_{d−1} — into
    /// (c_{i−1} = c_i·x_i, ∂f/∂x_i = P_i·c_i), every step elementwise across the chains.
    public func gradient(
        _ x: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>, stride: Int, count: Int
    ) {
        let d = dimension, target = target
        for c in 0..<count { g[c] = x[c] }
        for i in 1..<Swift.max(1, d) {
            let before = g + (i - 1) * stride, gi = g + i * stride, xi = x + i * stride
            for c in 0..<count { gi[c] = before[c] * xi[c] }
        }
        let last = g + (d - 1) * stride
        for c in 0..<count { last[c] -= target }
        for i in Swift.stride(from: d - 1, through: 1, by: -1) {
            let below = g + (i - 1) * stride, gi = g + i * stride, xi = x + i * stride
            for c in 0..<count {
                let prefix = below[c], carry = gi[c]
                gi[c] = prefix * carry
                below[c] = carry * xi[c]
            }
        }
    }
}

extension LinearNetwork {
    public static let entry: ObjectiveEntry = {
        let depth = Parameter<Int>.integer("depth", .value(2), .within(1...1000), "number of scalar factors (d)")
        let target = Parameter<Double>.number("target", .value(1), ValidRange("a number", phrase: { _ in "a finite target" }) { _ in true },
                                              "the product to reach")
        return ObjectiveEntry("linear-network", summary: "f = ½ (Π_i x_i − target)²: a manifold of minima whose sharpness varies along it",
                              parameters: [depth.erased, target.erased]) { p, _ in
            try LinearNetwork(depth: p(depth), target: p(target))
        }
    }()
}
