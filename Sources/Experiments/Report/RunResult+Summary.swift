import Simulation
import Statistics

extension RunResult {
    /// summary.json (SPEC §5): provenance, the resolved config and every statistic.
    public var summary: JSONValue {
        .object([
            ("optcloud_version", .string(Self.version)),
            ("config", config.resolved),
            ("seed", .unsigned(config.seed)),
            ("threads", .integer(threads)),
            ("wall_seconds", .number(wallSeconds)),
            ("common_random_numbers", .bool(config.commonRandomNumbers)),
            ("complete", .bool(interruption == nil)),
            ("interrupted", interruption.map { i in
                .object([("signal", .integer(Int(i.signal))), ("optimizer", .string(i.optimizer)),
                         ("recorded_groups", .integer(i.recordedGroups)), ("groups", .integer(i.groups))])
            } ?? .null),
            ("optimizers", .array(optimizers.map { result in
                var summary = result.summary(config: config)
                if let first = optimizers.first, first.spec.label != result.spec.label, case .object(var entries) = summary {
                    // Paired over the same chains: with common random numbers, far tighter
                    // than the two standard errors suggest.
                    let difference = MeanDifference(result.cloud, first.cloud)
                    entries.append(("mean_difference_from_first", .object([
                        ("reference", .string(first.spec.label)), ("difference", .numbers(difference.difference)),
                        ("stderr", .numbers(difference.stderr)),
                    ])))
                    summary = .object(entries)
                }
                return summary
            })),
            ("warnings", .array(warnings.map { .string($0) })),
        ])
    }

    /// theory.json: per optimizer, the prediction and the simulated cloud's error against it.
    public var theoryDocument: JSONValue {
        .object([
            ("optcloud_version", .string(Self.version)),
            ("optimizers", .array(optimizers.map { result in
                .object([("label", .string(result.spec.label)), ("type", .string(result.spec.type)),
                         ("theory", result.theory.json(estimate: result.estimate, tails: result.report.tails)),
                         ("langevin", result.report.langevinComparison.json(theory: result.report.langevin)),
                         ("adaptive", result.theory.adaptive.json(estimate: result.estimate)),
                         ("transient", result.transient.json(rows: Self.lossRows(result), targetLoss: config.targetLoss)),
                         ("transient_max_abs_z", result.transient.maxAbsZ(Self.lossRows(result)).map { .number($0) } ?? .null)])
            })),
        ])
    }
}

extension OptimizerResult {
    func summary(config: RunConfig) -> JSONValue {
        let e = estimate, d = e.dimension
        // Flatness: the trace of the Hessian at the cloud mean.
        var hessianTrace: JSONValue = .null
        if e.mean.allSatisfy({ $0.isFinite }) {
            let h = config.objective.hessian(at: e.mean)
            hessianTrace = .number((0..<d).reduce(0) { $0 + h[$1 * d + $1] })
        }
        var entries: [(String, JSONValue)] = [
            ("label", .string(spec.label)), ("type", .string(spec.type)),
            ("chains", .integer(e.chains)), ("diverged_chains", .integer(e.divergedChains)),
            ("samples", .integer(e.samples)), ("replicate_groups", .integer(e.replicateGroups)),
            ("minimum", .numbers(e.minimum)), ("mean", .numbers(e.mean)), ("bias", .numbers(e.bias)),
            ("stderr_mean", .numbers(e.stderrMean)), ("std", .numbers(e.std)),
            ("covariance", .matrix(e.covariance, d)), ("covariance_stderr", .matrix(e.covarianceStderr, d)),
            ("covariance_eigenvalues", .numbers(e.eigenvalues)),
            ("covariance_eigenvectors", .matrix(e.eigenvectors, d)),
            ("skewness", .numbers(e.skewness)), ("kurtosis", .numbers(e.kurtosis)),
            ("mean_norm", .number(e.meanNorm)), ("mean_norm_stderr", .number(e.meanNormStderr)),
            ("bias_norm", .number(e.biasNorm)), ("bias_norm_stderr", .number(e.biasNormStderr)),
            ("covariance_trace", .number(e.trace)), ("covariance_trace_stderr", .number(e.traceStderr)),
            ("covariance_logdet", .number(e.logDeterminant)),
            ("mean_loss", .number(report.loss.mean)), ("mean_loss_stderr", .number(report.loss.stderr)),
            ("mean_loss_subset", .object([("chains", .integer(report.loss.chains)),
                                          ("draws_per_chain", .integer(report.loss.drawsPerChain))])),
        ]
        if let target = config.targetLoss { entries += stepsToTargetEntries(target) }
        entries += report.tails.summaryEntries
        entries.append(("quantiles", .object(e.quantileLevels.enumerated().map { i, level in
            (Self.quantileName(level), .numbers(e.quantiles.map { $0[i] }))
        })))
        entries.append(("histogram_ranges", .array(cloud.histograms.ranges.map { .numbers([$0.lowerBound, $0.upperBound]) })))
        entries.append(("histogram_outside_fraction", .numbers(e.outsideFraction)))
        entries.append(("hessian_trace_at_mean", hessianTrace))
        // Quadratics, linear and logistic regression (by Newton's method): the minimiser of
        // f + ½Σλ_k x_k², which coupled L2 makes the cloud's centre; bias stays measured from x*.
        // Decoupled decay does not draw the cloud there: its reference point is where the
        // optimizer's own expected update vanishes (`DecoupledReference`).
        if config.objective.hasL2RegularizedMinimum, let decay = spec.weightDecay, decay.contains(where: { $0 != 0 }) {
            if DecoupledReference.isDecoupled(spec) {
                entries.append(("decoupled_fixed_point", theory.decoupledFixedPoint.map { .numbers($0) } ?? .null))
            } else {
                entries.append(("l2_regularized_minimum",
                                config.objective.l2RegularizedMinimum(decay: decay, reference: e.minimum).map { .numbers($0) } ?? .null))
            }
        }
        if let exact = theory.prediction?.covariance {
            entries.append(("theory_covariance_relative_error", .number(TheoryComparison.relativeError(e.covariance, exact))))
        }
        entries += report.summaryEntries(config: config)
        entries.append(("seconds", .number(seconds)))
        return .object(entries)
    }

    /// `steps_to_target` (first step whose ensemble mean loss ≤ target, `LossPath`), its
    /// delta-method standard error, and `theory_steps_to_target` from the exact recursion.
    func stepsToTargetEntries(_ target: Double) -> [(String, JSONValue)] {
        let simulated = lossPath?.stepsToTarget(target)
        return [
            ("target_loss", .number(target)),
            ("steps_to_target", simulated.map { .integer($0.step) } ?? .null),
            ("steps_to_target_stderr", simulated.map { $0.stderr.isFinite ? .number($0.stderr) : .null } ?? .null),
            ("theory_steps_to_target", transient.theory?.firstStep(atOrBelow: target).map { .integer($0) } ?? .null),
        ]
    }

    static func quantileName(_ level: Double) -> String {
        let percent = Int((level * 100).rounded())
        return percent < 10 ? "q0\(percent)" : "q\(percent)"
    }
}
