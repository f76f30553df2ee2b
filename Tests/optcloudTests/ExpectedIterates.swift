/// The expected iterates E[x_t] of SGD or heavy ball (torch's convention: b₁ = g₁,
/// b_t = μ·b_{t−1} + g_t, x_t = x_{t−1} − lr·b_t) on a quadratic f = ½(x − x*)ᵀH(x − x*) with
/// zero-mean additive gradient noise, from a fixed start. The update is linear in (x, b, ξ),
/// so E[x_t] follows the noiseless recursion exactly: the truth for a cloud's mean, transient
/// included, without assuming that burn-in has erased the start.
struct ExpectedIterates {
    /// E[x_t] for t = 1 … steps.
    let iterates: [[Double]]

    init(hessian: [[Double]], minimum: [Double], start: [Double], lr: Double, momentum: Double, steps: Int) {
        let d = minimum.count
        var x = start, buffer = [Double](repeating: 0, count: d)
        var iterates: [[Double]] = []
        for t in 1...steps {
            let g = (0..<d).map { i in (0..<d).reduce(0) { $0 + hessian[i][$1] * (x[$1] - minimum[$1]) } }
            for k in 0..<d {
                buffer[k] = momentum == 0 || t == 1 ? g[k] : momentum * buffer[k] + g[k]
                x[k] -= lr * buffer[k]
            }
            iterates.append(x)
        }
        self.iterates = iterates
    }

    /// The expectation of the recorded cloud's mean: E[x_t] averaged over the recorded steps
    /// burnIn + thin, burnIn + 2·thin, … ≤ steps.
    func recordedMean(burnIn: Int, thin: Int = 1) -> [Double] {
        let recorded = Swift.stride(from: burnIn + thin, through: iterates.count, by: thin).map { iterates[$0 - 1] }
        return (0..<recorded[0].count).map { k in recorded.reduce(0) { $0 + $1[k] } / Double(recorded.count) }
    }
}
