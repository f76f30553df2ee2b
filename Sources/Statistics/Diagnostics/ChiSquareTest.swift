/// Pearson's chi-square goodness-of-fit test of binned counts against known probabilities
/// (e.g. a histogram of the cloud against `GibbsDensity.binProbabilities`):
///
///     X² = Σ_cells (O − E)²/E,   E = total·p,   p-value = P(χ²_{cells − 1} > X²)
///
/// (gsl_cdf_chisq_Q; no parameters are fitted). When the probabilities sum to less than 1,
/// or `total` exceeds the observed sum, the rest forms one more cell "outside the bins"
/// with E = total·(1 − Σp) and O = total − ΣO. So that the χ² approximation holds, cells
/// are pooled in order (the outside cell last): neighbouring cells are merged until each
/// group expects ≥ 5, and a short remainder joins the group before it.
public struct ChiSquareTest: Sendable {
    public let statistic: Double
    public let degreesOfFreedom: Int
    public let pValue: Double
    /// The number of cells after pooling (degreesOfFreedom + 1).
    public let pooledCells: Int

    /// Why no test was made.
    public enum Failure: Error, CustomStringConvertible, Sendable, Equatable {
        case invalidArgument(String)
        /// Fewer than two groups expecting ≥ 5 counts.
        case tooFewExpectedCounts

        public var description: String {
            switch self {
            case .invalidArgument(let what): return "chi-square test: \(what)"
            case .tooFewExpectedCounts: return "chi-square test: fewer than two cells expect 5 or more counts"
            }
        }
    }

    /// - Parameters:
    ///   - observed: counts per bin, ≥ 0.
    ///   - probabilities: per bin, ≥ 0, summing to at most 1 (+1e-9).
    ///   - total: the number of draws, ≥ ΣO; default ΣO.
    public init(observed: [Int], probabilities: [Double], total: Int? = nil) throws {
        guard observed.count == probabilities.count, !observed.isEmpty else {
            throw Failure.invalidArgument("\(observed.count) counts for \(probabilities.count) probabilities")
        }
        guard observed.allSatisfy({ $0 >= 0 }) else { throw Failure.invalidArgument("negative count") }
        guard probabilities.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw Failure.invalidArgument("probability outside [0, 1]") }
        let observedSum = observed.reduce(0, +)
        let probabilitySum = probabilities.reduce(0, +)
        let n = total ?? observedSum
        guard n >= observedSum, n > 0 else { throw Failure.invalidArgument("total \(n) is below the \(observedSum) counts or 0") }
        guard probabilitySum <= 1 + 1e-9 else { throw Failure.invalidArgument("probabilities sum to \(probabilitySum) > 1") }

        var cells = zip(observed, probabilities).map { (observed: Double($0), expected: Double(n) * $1) }
        let outsideExpected = Double(n) * Swift.max(0, 1 - probabilitySum)
        if n > observedSum || outsideExpected > 1e-9 * Double(n) {
            cells.append((Double(n - observedSum), outsideExpected))
        }
        var groups: [(observed: Double, expected: Double)] = []
        var open = (observed: 0.0, expected: 0.0)
        for cell in cells {
            open.observed += cell.observed
            open.expected += cell.expected
            if open.expected >= 5 {
                groups.append(open)
                open = (0, 0)
            }
        }
        if open.observed > 0 || open.expected > 0 {
            if groups.isEmpty { groups.append(open) } else {
                groups[groups.count - 1].observed += open.observed
                groups[groups.count - 1].expected += open.expected
            }
        }
        guard groups.count >= 2 else { throw Failure.tooFewExpectedCounts }
        statistic = groups.reduce(0) { $0 + ($1.observed - $1.expected) * ($1.observed - $1.expected) / $1.expected }
        pooledCells = groups.count
        degreesOfFreedom = groups.count - 1
        pValue = Distributions.chiSquaredQ(statistic, df: Double(degreesOfFreedom))
    }
}
