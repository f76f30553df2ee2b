import Simulation
import Statistics

/// summary.json's reference point for decoupled weight decay (SPEC §8.4):
/// `decoupled_fixed_point`, where the optimizer's own expected update vanishes
/// (`DecoupledFixedPoint`) — not the coupled-L2 minimiser, which it is not drawn to.
///
/// - adamw, and nadam/radam with `decoupled_weight_decay`: the frozen-v mean of
///   `AdaptivePrediction` when that prediction exists; without noise, λx(|g| + ε) = −g
///   per coordinate, which does not involve lr at all (any schedule), on every objective
///   with an L2-regularised minimum (quadratics, linear and logistic regression).
/// - lion: without noise the minimiser of f on the box ‖x‖∞ ≤ 1/λ; with Gaussian noise of
///   constant covariance on a constant-Hessian objective, λx = −erf(ḡ/(√2 s)) with s from the
///   noise alone — the lr → 0 limit (the cloud's own spread widens c at larger lr).
/// - nil (JSON null) elsewhere: clipping, AMSGrad, state-dependent or recorded noise.
enum DecoupledReference {
    /// Whether the optimizer's weight decay is decoupled (and non-zero).
    static func isDecoupled(_ spec: OptimizerSpec) -> Bool {
        guard let decay = spec.decay else { return false }
        return decay.isDecoupled && !decay.isZero
    }

    static func point(config: RunConfig, optimizer spec: OptimizerSpec, adaptive: AdaptivePrediction) -> [Double]? {
        guard isDecoupled(spec), spec.clip == .none, let decay = spec.weightDecay else { return nil }
        let noiseless: Bool
        noiseless = config.noise.noise is NoNoise
        let objective = config.objective
        let gradient: ([Double]) -> [Double] = { x in Self.gradient(objective, at: x) }
        let hessian: ([Double]) -> [Double] = { x in objective.hessian(at: x) }
        if let o = spec.optimizer as? Lion {
            let balances: [DecoupledFixedPoint.Balance]
            if noiseless {
                balances = decay.map { $0 == 0 ? .none : .lion(decay: $0, std: 0) }
            } else {
                guard objective.constantHessian != nil, AdaptivePrediction.isGaussian(config.noise),
                      let c = config.noise.covariance else { return nil }
                let d = config.dimension
                balances = (0..<d).map { k in
                    decay[k] == 0 ? .none : .lion(decay: decay[k], std: DecoupledFixedPoint.lionNoiseStd(
                        variance: c[k * d + k], beta1: o.beta1, beta2: o.beta2))
                }
            }
            return try? DecoupledFixedPoint.solve(balances: balances, gradient: gradient, hessian: hessian)
        } else {
            if let theory = adaptive.theory ?? adaptive.stationaryLimit, theory.failure == nil || noiseless { return theory.mean }
            guard noiseless, objective.hasL2RegularizedMinimum else { return nil }
            let eps: Double
            if let o = spec.optimizer as? Adam, !o.amsgrad {
                eps = o.eps
            } else if let o = spec.optimizer as? NAdam {
                eps = o.eps
            } else if let o = spec.optimizer as? RAdam {
                eps = o.eps
            } else {
                return nil
            }
            return try? DecoupledFixedPoint.solve(balances: decay.map { $0 == 0 ? .none : .adamW(decay: $0, eps: eps, variance: 0) },
                                                  gradient: gradient, hessian: hessian)
        }
    }

    /// ∇f at one point.
    static func gradient(_ objective: ObjectiveSpec, at x: [Double]) -> [Double] {
        if let (h, minimum) = objective.quadratic {
            let d = x.count
            return (0..<d).map { i in (0..<d).reduce(0) { $0 + h[i * d + $1] * (x[$1] - minimum[$1]) } }
        }
        var g = [Double](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { point in
            g.withUnsafeMutableBufferPointer { objective.objective.gradient(point.baseAddress!, into: $0.baseAddress!, stride: 1, count: 1) }
        }
        return g
    }
}
