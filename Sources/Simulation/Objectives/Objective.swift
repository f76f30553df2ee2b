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
}
