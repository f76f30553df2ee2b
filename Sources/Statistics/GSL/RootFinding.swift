import CGSL

/// Bracketed root finding of a Swift closure through GSL (gsl_root_fsolver_brent): Brent's
/// method — inverse quadratic interpolation safeguarded by bisection — which keeps the
/// root bracketed and converges superlinearly.
enum RootFinding {
    /// The root of f in [lower, upper], where f(lower) and f(upper) have opposite signs
    /// (GSL_EINVAL is thrown otherwise), to |Δx| ≤ absoluteTolerance + relativeTolerance·|x|
    /// (gsl_root_test_interval). Thread-safe: the solver and the closure are per call.
    static func brent(_ f: (Double) -> Double, lower: Double, upper: Double,
                      absoluteTolerance: Double = 0, relativeTolerance: Double = 1e-13,
                      maxIterations: Int = 200) throws -> Double {
        _ = GSL.setUp
        guard lower.isFinite, upper.isFinite, lower < upper else {
            throw GSLError(routine: "gsl_root_fsolver_set", status: Int32(GSL_EINVAL))
        }
        guard let solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent) else {
            throw GSLError(routine: "gsl_root_fsolver_alloc", status: Int32(GSL_ENOMEM))
        }
        defer { gsl_root_fsolver_free(solver) }
        return try withGSLFunction(f) { function in
            try GSL.check(gsl_root_fsolver_set(solver, function, lower, upper), "gsl_root_fsolver_set")
            for _ in 0..<maxIterations {
                try GSL.check(gsl_root_fsolver_iterate(solver), "gsl_root_fsolver_iterate")
                let low = gsl_root_fsolver_x_lower(solver), high = gsl_root_fsolver_x_upper(solver)
                let status = gsl_root_test_interval(low, high, absoluteTolerance, relativeTolerance)
                if status == GSL_SUCCESS { return gsl_root_fsolver_root(solver) }
                if status != GSL_CONTINUE { throw GSLError(routine: "gsl_root_test_interval", status: status) }
            }
            throw GSLError(routine: "gsl_root_fsolver_brent", status: Int32(GSL_EMAXITER))
        }
    }
}
