import Simulation

extension RunConfig {
    /// The largest dimension for which state-dependent Hessian noise factors a dense d×d
    /// Hessian per chain and step (O(d³)); separable landscapes have no limit.
    static let denseHessianNoiseDimension = 100

    /// hessian: N(0, scale²·H₊(x)/B) on any objective; computed once where H is constant. The
    /// batch size B only rescales (scale/√B is what the resolved config records), so that a
    /// sweep over B is the noisy quadratic model's C = H/B on a quadratic.
    static func hessianNoise(_ map: ConfigNode.Mapping, objective: ObjectiveSpec) throws -> NoiseSpec {
        let batch = try map["batch_size"]?.finite("a batch size ≥ 1") { $0 >= 1 } ?? 1
        let scale = (try map["scale"]?.finite("a scale ≥ 0") { $0 >= 0 } ?? 1) / batch.squareRoot()
        let d = objective.dimension
        if let h = objective.constantHessian {
            let root = PSDFactor.factor(h, order: d)
            let factor = root.map { scale * $0 }
            var covariance = [Double](repeating: 0, count: d * d)
            for i in 0..<d {
                for j in 0..<d {
                    var s = 0.0
                    for k in 0..<d { s += factor[i * d + k] * factor[j * d + k] }
                    covariance[i * d + j] = s
                }
            }
            // A diagonal H has a diagonal factor (Cholesky, or Jacobi with no rotation).
            var diagonal = true
            for i in 0..<d { for j in 0..<d where i != j && h[i * d + j] != 0 { diagonal = false } }
            return .hessian(scale: scale, constant: .init(covariance: covariance, factor: factor, diagonal: diagonal))
        }
        if case .landscape(let landscape, _) = objective, !(landscape.objective is any SeparableObjective),
           d > denseHessianNoiseDimension {
            throw map["type"]!.error("hessian noise factors the d×d Hessian of \(objective.type) per chain and step (O(d³)), too costly at d = \(d)",
                                     expected: "an objective of dimension ≤ \(denseHessianNoiseDimension)")
        }
        return .hessian(scale: scale, constant: nil)
    }
}
