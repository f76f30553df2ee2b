extension GaussianMixture {
    public var basinRule: String {
        "the mode of the component with the largest weighted density w_k·N(x; μ_k, Σ_k) at x (largest responsibility): the domain of attraction of that mode for well separated components, approximate where components overlap"
    }

    /// Every mode when there are at least two, otherwise none.
    public var basinMinima: [[Double]] { localMinima.count >= 2 ? localMinima : [] }

    /// The mode of the component with the largest weighted density w_k·N(x; μ_k, Σ_k) at x
    /// (the largest responsibility). This approximates the domain of attraction of that mode:
    /// exact in the limit of well-separated components, off near the boundary where the
    /// components overlap (the saddle between two modes is not where their weighted
    /// densities are equal). Chosen because an exact descent per chain and step would cost
    /// more than the step itself.
    public func classifyBasins(_ x: UnsafePointer<Double>, stride: Int, count: Int, into basin: UnsafeMutablePointer<Int>) {
        withComponentLogDensity { logDensity in
            for c in 0..<count {
                var best = -Double.infinity, arg = 0
                for k in 0..<componentCount {
                    let l = logDensity(k, x + c, stride)
                    if l > best { best = l; arg = k }
                }
                basin[c] = componentBasins[arg]
            }
        }
    }
}
