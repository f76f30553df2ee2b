extension DoubleWell {
    public var basinRule: String {
        "basin 0 (left well) when x₀ < x_s = \(barrierTop), the barrier top, else basin 1: the exact domains of attraction of the gradient flow (x₀ moves on its own)"
    }

    /// Both wells when the tilt leaves two (left, right), otherwise none.
    public var basinMinima: [[Double]] { localMinima.count == 2 ? localMinima : [] }

    /// 0 left of the barrier top x_s, 1 right of it: the exact domains of attraction of the
    /// gradient flow, since x₀ moves on its own (the landscape is separable) and ∂f/∂x₀ < 0
    /// between the left well and x_s, > 0 between x_s and the right well.
    public func classifyBasins(_ x: UnsafePointer<Double>, stride: Int, count: Int, into basin: UnsafeMutablePointer<Int>) {
        let top = barrierTop
        for c in 0..<count { basin[c] = x[c] < top ? 0 : 1 }
    }
}
