import Simulation
import Statistics

/// Kesten's tail index of plain SGD on streamed 1-D least squares with minibatch noise
/// (theory.json and `optcloud theory`: the `kesten_…` entries).
///
/// A fresh batch of B examples per step, z_i ~ N(0, s²) and y_i = z_i·w + σ·ε_i (plus σ_l·ε′_i
/// with label noise), makes SGD at a constant lr the random affine recursion
///
///     x − w ← (1 − lr·a_t)(x − w) + lr·b_t,   a_t = (1/B) Σ z_i²,   b_t = (1/B) Σ z_i(σ·ε_i + σ_l·ε′_i),
///
/// whose stationary law has P(|x − w| > r) ~ c·r^{−α} with α the root of E|1 − lr·a|^α = 1,
/// a = s²·χ²_B/B (`KestenTailIndex`), when E log|1 − lr·a| < 0; otherwise there is no
/// stationary law. Only the multiplier sets α: σ and σ_l scale the law, and with
/// σ = σ_l = 0 it is the point x* (no tail). The simulated counterpart is the Hill estimate
/// of |x − x*| over the final iterates (`TailIndexReport`), with z = (α̂ − α)/se(α̂).
struct KestenPrediction {
    static let model = "SGD on streamed 1-D least squares: random linear recursion, E|1 − lr·a|^α = 1 (Kesten)"

    /// α, when there is a stationary law with a power-law tail.
    let tailIndex: Double?
    /// E log|1 − lr·a|: negative iff the recursion has a stationary law.
    let lyapunovExponent: Double?
    /// Why `tailIndex` is nil: the optimizer is not plain constant-lr SGD, there is no
    /// stationary law, or no noise.
    let unavailableReason: String?

    /// nil unless the objective is linear-regression with dim 1 and `n: stream` and the noise
    /// is minibatch (or label-noise), the model the prediction is about.
    init?(config: RunConfig, optimizer spec: OptimizerSpec) {
        guard let regression = config.objective.objective as? LinearRegression, regression.dimension == 1,
              regression.data.count == nil, let minibatch = config.noise.noise as? MinibatchNoise else { return nil }
        let batchSize = minibatch.batchSize, labelNoiseStd = minibatch.labelNoiseStd
        let scale = regression.data.featureScales[0]
        (tailIndex, lyapunovExponent, unavailableReason) = Self.predict(
            spec, batchSize: batchSize, featureVariance: scale * scale, noisy: regression.data.noiseStd > 0 || labelNoiseStd > 0)
    }

    /// (α, E log|1 − lr·a|, why there is no α).
    private static func predict(
        _ spec: OptimizerSpec, batchSize: Int, featureVariance: Double, noisy: Bool
    ) -> (Double?, Double?, String?) {
        guard let sgd = spec.optimizer as? SGD, sgd.momentum == 0, spec.decay?.isZero ?? true, !sgd.nesterov else {
            return (nil, nil, "the Kesten tail index is for plain SGD (no momentum, no weight decay)")
        }
        guard spec.schedule.isConstant else { return (nil, nil, "the Kesten tail index needs a constant learning rate") }
        guard spec.clip == .none else { return (nil, nil, "clipping bounds the step: the recursion is no longer linear") }
        let lyapunov: Double
        do {
            lyapunov = try KestenTailIndex.lyapunovExponent(lr: spec.lr, batchSize: batchSize, featureVariance: featureVariance)
        } catch {
            return (nil, nil, "\(error)")
        }
        guard lyapunov < 0 else {
            return (nil, lyapunov, "E log|1 − lr·a| = \(lyapunov) ≥ 0: lr beyond the stability limit, no stationary law")
        }
        guard noisy else {
            return (nil, lyapunov, "noise_std = 0 and no label noise: the stationary law is the point x*, without a tail")
        }
        do {
            return (try KestenTailIndex.kestenTailIndex(lr: spec.lr, batchSize: batchSize, featureVariance: featureVariance),
                    lyapunov, nil)
        } catch KestenTailIndex.Failure.notContracting {
            // The recursion contracts (checked above), but the root finder's bracket stops
            // at α = 10⁷, which tiny steps exceed (α grows like 1/(lr·s²) as lr → 0).
            return (nil, lyapunov, "α beyond 10⁷ (lr·s² = \(spec.lr * featureVariance)): no measurable power-law tail")
        } catch {
            return (nil, lyapunov, "\(error)")
        }
    }

    /// kesten_model, kesten_tail_index (null without a stationary law), kesten_lyapunov_exponent
    /// and, when there is no tail index, kesten_reason.
    var predictionEntries: [(String, JSONValue)] {
        var entries: [(String, JSONValue)] = [
            ("kesten_model", .string(Self.model)),
            ("kesten_tail_index", .optional(tailIndex)),
            ("kesten_lyapunov_exponent", .optional(lyapunovExponent)),
        ]
        if let unavailableReason { entries.append(("kesten_reason", .string(unavailableReason))) }
        return entries
    }

    /// The Hill estimate of the simulated tail beside the prediction: simulated_tail_index,
    /// its stderr and k, and tail_index_z = (α̂ − α)/se (null where either is missing).
    func comparisonEntries(_ tail: TailIndexReport) -> [(String, JSONValue)] {
        let hill = tail.distance
        var z: Double?
        if let hill, let tailIndex { z = (hill.tailIndex - tailIndex) / hill.standardError }
        return [
            ("simulated_tail_index", .optional(hill?.tailIndex)),
            ("simulated_tail_index_stderr", .optional(hill?.standardError)),
            ("simulated_tail_index_k", hill.map { .integer($0.k) } ?? .null),
            ("tail_index_z", .optional(z)),
        ]
    }
}
