import Dispatch

/// Flatness of the landscape where a cloud sits: the trace and the largest eigenvalue of
/// the Hessian H at the cloud mean, and their averages over the final iterates of at most
/// `maximumPoints` points (evenly spaced in the order given, e.g. non-diverged chains).
///
/// The average holds a budget of about `workBudget` floating-point operations (per point the
/// Hessian's cost plus d³ for its eigenvalues), so for d > 64 or costly Hessians (logistic
/// regression sums over its examples) fewer points are used; `points` says how many.
/// Eigenvalues by GSL (gsl_eigen_symmv through `LinearAlgebra`). A Hessian that is not
/// finite, or whose eigen-decomposition fails, makes the values it enters NaN. The points are
/// handled on `threads` threads, each into its own slot, and summed in order: the result does
/// not depend on the thread count.
public struct HessianFlatness: Sendable {
    public static let maximumPoints = 2000
    public static let workBudget = 2000.0 * (64 * 64 * 64 + 64 * 64)

    public let traceAtMean: Double
    public let maxEigenvalueAtMean: Double
    public let minEigenvalueAtMean: Double
    public let traceMean: Double
    public let maxEigenvalueMean: Double
    /// Points the averages are over.
    public let points: Int

    /// - Parameters:
    ///   - mean: the cloud mean (d values).
    ///   - finalIterates: candidate points, row-major n × d; rows with a non-finite value are skipped.
    ///   - hessianCost: floating-point operations of one Hessian, default d².
    ///   - threads: ≥ 1.
    ///   - hessian: H at a point, row-major d×d; must be thread-safe.
    public init(mean: [Double], finalIterates: [Double], dimension d: Int, hessianCost: Double? = nil, threads: Int,
                hessian: @Sendable ([Double]) -> [Double]) {
        func spectrum(_ x: [Double]) -> (trace: Double, min: Double, max: Double) {
            guard x.allSatisfy(\.isFinite) else { return (.nan, .nan, .nan) }
            let h = hessian(x)
            guard h.count == d * d, h.allSatisfy(\.isFinite) else { return (.nan, .nan, .nan) }
            let trace = (0..<d).reduce(0) { $0 + h[$1 * d + $1] }
            guard let eigen = try? LinearAlgebra.symmetricEigen(h, n: d) else { return (trace, .nan, .nan) }
            return (trace, eigen.values.first ?? .nan, eigen.values.last ?? .nan)
        }
        let atMean = d > 0 ? spectrum(mean) : (.nan, .nan, .nan)
        traceAtMean = atMean.trace
        minEigenvalueAtMean = atMean.min
        maxEigenvalueAtMean = atMean.max

        let rows = d > 0 ? finalIterates.count / d : 0
        let finite = (0..<rows).filter { r in (0..<d).allSatisfy { finalIterates[r * d + $0].isFinite } }
        let cost = Swift.max(1, Double(d) * Double(d) * Double(d) + (hessianCost ?? Double(d) * Double(d)))
        let m = Swift.min(Self.maximumPoints, finite.count, Swift.max(1, Int(Self.workBudget / cost)))
        points = m
        guard m > 0 else { (traceMean, maxEigenvalueMean) = (.nan, .nan); return }
        var values = [(trace: Double, min: Double, max: Double)](repeating: (0, 0, 0), count: m)
        values.withUnsafeMutableBufferPointer { out in
            let out = FlatnessSlots(base: out)
            let chunks = Swift.max(1, Swift.min(m, threads))
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                for i in Swift.stride(from: c, to: m, by: chunks) {
                    let r = finite[i * finite.count / m]
                    out.base[i] = spectrum(Array(finalIterates[(r * d)..<((r + 1) * d)]))
                }
            }
        }
        traceMean = values.reduce(0) { $0 + $1.trace } / Double(m)
        maxEigenvalueMean = values.reduce(0) { $0 + $1.max } / Double(m)
    }
}

private struct FlatnessSlots: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<(trace: Double, min: Double, max: Double)>
}
