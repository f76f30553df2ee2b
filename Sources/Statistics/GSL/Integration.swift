import CGSL

/// Adaptive Gauss–Kronrod quadrature of a Swift closure through GSL's QUADPACK routines.
///
/// The closure reaches the C callback through gsl_function's context pointer (no global
/// state), and every call owns its workspace, so concurrent calls are safe and nested
/// calls — an integrand that itself integrates — work.
///
/// Tolerances: the estimate stops when |error| ≤ max(absoluteTolerance,
/// relativeTolerance·|result|). When GSL cannot reach that (roundoff, subdivision limit) but
/// its error estimate is still within `acceptedRelativeError`·|result| (or
/// absoluteTolerance), the result is returned; otherwise the GSL status is thrown.
enum Integration {
    struct Options {
        var absoluteTolerance = 0.0
        var relativeTolerance = 1e-11
        var acceptedRelativeError = 1e-7
        /// Maximum number of subintervals.
        var limit = 2000
    }

    /// ∫_a^b f(x) dx with a ≤ b finite, by gsl_integration_qagp: `breakpoints` (points of
    /// difficulty inside (a, b): kinks and integrable singularities; others are ignored) start
    /// the subdivision. The rules evaluate interior nodes only, so a peak much narrower than
    /// its subinterval needs breakpoints on its own scale (e.g. at ±1, 4, 16 widths).
    static func integrate(_ f: (Double) -> Double, from a: Double, to b: Double,
                          breakpoints: [Double] = [], options: Options = Options()) throws -> Double {
        guard a.isFinite, b.isFinite, a <= b else { throw GSLError(routine: "gsl_integration_qagp", status: Int32(GSL_EDOM)) }
        if a == b { return 0 }
        var points = [a] + breakpoints.filter { $0 > a && $0 < b }.sorted() + [b]
        points = points.enumerated().filter { $0.offset == 0 || $0.element != points[$0.offset - 1] }.map(\.element)
        let workspace = try IntegrationWorkspace(limit: Swift.max(options.limit, points.count + 1))
        var estimate = 0.0
        do {
            return try evaluate(f, routine: "gsl_integration_qagp", options: options) { function, result, error in
                defer { estimate = result.pointee }
                return points.withUnsafeMutableBufferPointer { p in
                    gsl_integration_qagp(function, p.baseAddress, p.count, options.absoluteTolerance, options.relativeTolerance,
                                         workspace.limit, workspace.pointer, result, error)
                }
            }
        } catch let error as GSLError where points.count > 2 && error.status != Int32(GSL_EBADFUNC) && estimate.isFinite {
            // qagp's extrapolation over many subintervals can stall ("roundoff error") on a
            // smooth integrand whose subintervals differ by hundreds of orders of magnitude.
            // Then each subinterval alone (gsl_integration_qags), to the tolerance relative
            // to the whole.
            var piece = options
            piece.absoluteTolerance = Swift.max(options.absoluteTolerance, 1e-3 * options.relativeTolerance * Swift.abs(estimate))
            var total = 0.0
            for i in 0..<(points.count - 1) {
                total += try integrateSingular(f, from: points[i], to: points[i + 1], options: piece)
            }
            return total
        }
    }

    /// ∫_a^b f(x) dx by gsl_integration_qags (extrapolation for endpoint singularities).
    private static func integrateSingular(_ f: (Double) -> Double, from a: Double, to b: Double, options: Options) throws -> Double {
        let workspace = try IntegrationWorkspace(limit: options.limit)
        return try evaluate(f, routine: "gsl_integration_qags", options: options) { function, result, error in
            gsl_integration_qags(function, a, b, options.absoluteTolerance, options.relativeTolerance,
                                 workspace.limit, workspace.pointer, result, error)
        }
    }

    /// ∫_a^∞ f(x) dx by gsl_integration_qagiu (x = a + (1 − t)/t on (0, 1]).
    static func integrate(_ f: (Double) -> Double, from a: Double, options: Options = Options()) throws -> Double {
        guard a.isFinite else { throw GSLError(routine: "gsl_integration_qagiu", status: Int32(GSL_EDOM)) }
        let workspace = try IntegrationWorkspace(limit: options.limit)
        return try evaluate(f, routine: "gsl_integration_qagiu", options: options) { function, result, error in
            gsl_integration_qagiu(function, a, options.absoluteTolerance, options.relativeTolerance,
                                  workspace.limit, workspace.pointer, result, error)
        }
    }

    /// ∫_−∞^b f(x) dx by gsl_integration_qagil.
    static func integrate(_ f: (Double) -> Double, to b: Double, options: Options = Options()) throws -> Double {
        guard b.isFinite else { throw GSLError(routine: "gsl_integration_qagil", status: Int32(GSL_EDOM)) }
        let workspace = try IntegrationWorkspace(limit: options.limit)
        return try evaluate(f, routine: "gsl_integration_qagil", options: options) { function, result, error in
            gsl_integration_qagil(function, b, options.absoluteTolerance, options.relativeTolerance,
                                  workspace.limit, workspace.pointer, result, error)
        }
    }

    private static func evaluate(
        _ f: (Double) -> Double, routine: String, options: Options,
        _ call: (UnsafeMutablePointer<gsl_function>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Int32
    ) throws -> Double {
        _ = GSL.setUp
        var result = 0.0, error = 0.0
        let status = withGSLFunction(f) { call($0, &result, &error) }
        guard result.isFinite, error.isFinite else { throw GSLError(routine: routine, status: Int32(GSL_EBADFUNC)) }
        if status != GSL_SUCCESS, error > Swift.max(options.absoluteTolerance, options.acceptedRelativeError * Swift.abs(result)) {
            throw GSLError(routine: routine, status: status)
        }
        return result
    }
}

/// Calls `body` with a gsl_function that evaluates `f`; `f` is reached through the params
/// pointer, valid only during `body`.
func withGSLFunction<R>(_ f: (Double) -> Double, _ body: (UnsafeMutablePointer<gsl_function>) throws -> R) rethrows -> R {
    try withoutActuallyEscaping(f) { escapable in
        var closure = escapable
        return try withUnsafeMutablePointer(to: &closure) { closurePointer in
            var function = gsl_function(
                function: { x, params in
                    guard let params else { return .nan }
                    return params.assumingMemoryBound(to: ((Double) -> Double).self).pointee(x)
                },
                params: UnsafeMutableRawPointer(closurePointer))
            return try withUnsafeMutablePointer(to: &function) { try body($0) }
        }
    }
}

/// An owned gsl_integration_workspace.
final class IntegrationWorkspace {
    let pointer: UnsafeMutablePointer<gsl_integration_workspace>
    let limit: Int

    init(limit: Int) throws {
        _ = GSL.setUp
        guard let pointer = gsl_integration_workspace_alloc(limit) else {
            throw GSLError(routine: "gsl_integration_workspace_alloc", status: Int32(GSL_ENOMEM))
        }
        self.pointer = pointer
        self.limit = limit
    }

    deinit { gsl_integration_workspace_free(pointer) }
}
