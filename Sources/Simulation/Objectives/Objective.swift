/// A landscape f: Rᵈ → R with its gradient, Hessian and reference minimum x*.
///
/// Gradients are computed for a whole block of chains at once, in the structure-of-arrays
/// layout of the engine: coordinate k of chain c lives at index k·stride + c.
public protocol Objective: Sendable {
    var dimension: Int { get }
    /// The point bias is measured from (the global minimiser).
    var minimum: [Double] { get }
    /// f at one point.
    func value(at x: [Double]) -> Double
    /// The Hessian at one point, row-major d×d.
    func hessian(at x: [Double]) -> [Double]
    /// g[k·stride + c] = ∂f/∂x_k at chain c, for c < count.
    func gradient(
        _ x: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>, stride: Int, count: Int
    )
    /// h[i·d + j] = ∂²f/∂x_i∂x_j at chain `chain` of a tile (coordinate k at x[k·stride + chain]),
    /// row-major d×d, every entry written. For the hot path of state-dependent noise: it
    /// neither allocates nor shares mutable state (scratch, if any, is on the stack).
    func hessian(_ x: UnsafePointer<Double>, stride: Int, chain: Int, into h: UnsafeMutablePointer<Double>)
    /// out[c] = f at chain c of a tile, for c < count. For the ensemble time series, a few
    /// dozen steps per run: not on the per-step path.
    func values(_ x: UnsafePointer<Double>, stride: Int, count: Int, into out: UnsafeMutablePointer<Double>)
    /// The local minima whose domains of attraction `classifyBasins` tells apart: at least
    /// two for a multi-basin landscape, empty otherwise.
    var basinMinima: [[Double]] { get }
    /// basin[c] = the index into `basinMinima` of the basin holding chain c of a tile, for
    /// c < count. Called at every step when basins are tracked: cheap, no allocation.
    func classifyBasins(_ x: UnsafePointer<Double>, stride: Int, count: Int, into basin: UnsafeMutablePointer<Int>)
    /// The Hessian (row-major d×d) where it is the same at every x (quadratics, linear
    /// regression), else nil: noise shaped by it is then drawn with a factor computed once.
    var constantHessian: [Double]? { get }
    /// How `classifyBasins` assigns a point to a basin, in words (summary.json); "none" for a
    /// single-basin landscape.
    var basinRule: String { get }
}

extension Objective {
    public func values(_ x: UnsafePointer<Double>, stride: Int, count: Int, into out: UnsafeMutablePointer<Double>) {
        var point = [Double](repeating: 0, count: dimension)
        for c in 0..<count {
            for k in 0..<dimension { point[k] = x[k * stride + c] }
            out[c] = value(at: point)
        }
    }

    public var basinMinima: [[Double]] { [] }

    public var constantHessian: [Double]? { nil }

    public var basinRule: String { "none" }

    public func classifyBasins(_ x: UnsafePointer<Double>, stride: Int, count: Int, into basin: UnsafeMutablePointer<Int>) {
        for c in 0..<count { basin[c] = 0 }
    }
}

/// A landscape whose Hessian is diagonal everywhere, each diagonal entry a function of its
/// own coordinate (Rastrigin, Styblinski–Tang, the double well): state-dependent noise then
/// costs O(d) per chain instead of a d×d factorisation.
public protocol SeparableObjective: Objective {
    /// ∂²f/∂x_k² where coordinate k has the value xk.
    func curvature(coordinate k: Int, at xk: Double) -> Double
    /// g[k·stride + c] += scale·√max(h_k(x_k), 0)·z[k·stride + c] over a tile: the
    /// Hessian-shaped noise of `SeparableHessianNoise`. Not to be implemented: the default,
    /// compiled for each landscape, calls `curvature` inline.
    func addCurvatureNoise(to g: UnsafeMutablePointer<Double>, x: UnsafePointer<Double>, normals z: UnsafePointer<Double>,
                           scale: Double, stride: Int, count: Int)
}

extension SeparableObjective {
    public func addCurvatureNoise(to g: UnsafeMutablePointer<Double>, x: UnsafePointer<Double>, normals z: UnsafePointer<Double>,
                                  scale: Double, stride: Int, count: Int) {
        for k in 0..<dimension {
            let xk = x + k * stride, gk = g + k * stride, zk = z + k * stride
            for c in 0..<count {
                gk[c] += scale * (Swift.max(curvature(coordinate: k, at: xk[c]), 0).squareRoot() * zk[c])
            }
        }
    }

    /// The diagonal Hessian from `curvature`.
    public func hessian(_ x: UnsafePointer<Double>, stride: Int, chain: Int, into h: UnsafeMutablePointer<Double>) {
        let d = dimension
        h.update(repeating: 0, count: d * d)
        for k in 0..<d { h[k * d + k] = curvature(coordinate: k, at: x[k * stride + chain]) }
    }
}
