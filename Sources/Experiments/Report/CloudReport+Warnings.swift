import Foundation
import Statistics

extension CloudReport {
    /// Above this split R̂ the chains have not mixed (Vehtari et al. 2021).
    public static let rHatLimit = 1.01
    /// Below this bulk ESS R̂ and the Monte Carlo errors of the subset are not reliable
    /// (Vehtari et al. 2021 ask for ESS > 400, i.e. 100 per chain for their four chains).
    public static let essLimit = 400.0

    /// What a reader of the cloud should know before trusting it, one sentence each.
    func warnings(label: String) -> [String] {
        var out: [String] = []
        let subset = "\(diagnostics.chains) diagnostic chains × \(diagnostics.drawsPerChain) draws"
        if let (k, r) = Self.extreme(diagnostics.rHat, largest: true), r > Self.rHatLimit {
            // Stationary chains of D draws with integrated autocorrelation time τ give split
            // R̂² ≈ (1 − 1/n)/(1 − τ/n) with n = D/2, i.e. R̂ ≈ 1 + (τ − 1)/D: say how much of
            // R̂ that explains.
            let draws = Double(diagnostics.drawsPerChain)
            let tau = Double(diagnostics.chains) * draws / diagnostics.essBulk[k]
            out.append("'\(label)': R̂ = \(Self.format(r)) for x[\(k)] exceeds \(Self.rHatLimit) (\(subset)): the chains have not mixed, or their draws are too autocorrelated to show it (autocorrelation time \(Self.format(tau)) draws; stationary chains would give R̂ ≈ 1 + (τ − 1)/draws = \(Self.format(1 + (tau - 1) / draws))); record more steps")
        }
        if let (k, e) = Self.extreme(diagnostics.essBulk, largest: false), e < Self.essLimit {
            out.append("'\(label)': bulk ESS = \(Self.format(e)) for x[\(k)] is below \(Int(Self.essLimit)) (\(subset)): too few effective draws for R̂ and the MCSE to be reliable; record more steps")
        }
        if stationarity.isStationary == false, let w = stationarity.worst {
            let along = "along \(Self.name(w.kind)) [\(w.vector.map(Self.format).joined(separator: ", "))]"
            switch w.trend {
            case .contracting:
                out.append("'\(label)': not stationary: the variance \(along) shrinks like t^\(Self.format(w.growthExponent)) over the recorded window (\(Self.format(w.varianceFirst)) → \(Self.format(w.varianceLast)), \(Self.format((w.varianceFirst - w.varianceLast) / w.increaseStderr)) standard errors): the cloud is still converging; raise burn_in")
            case .drifting:
                out.append("'\(label)': not stationary: the mean \(along) moves over the recorded window (\(Self.format(w.meanFirst)) → \(Self.format(w.meanLast)) from x*, \(Self.format(Swift.abs(w.meanLast - w.meanFirst) / w.driftStderr)) standard errors): the cloud still travels (a slow valley, or burn_in too short)")
            default:
                out.append("'\(label)': not stationary: the variance \(along) grows like t^\(Self.format(w.growthExponent)) over the recorded window (\(Self.format(w.varianceFirst)) → \(Self.format(w.varianceLast)), \(Self.format((w.varianceLast - w.varianceFirst) / w.increaseStderr)) standard errors); its covariance is not that of a stationary cloud (a flat direction, or burn_in too short)")
            }
        }
        if flatness.minEigenvalueAtMean < 0 {
            out.append("'\(label)': the Hessian at the cloud mean has a negative eigenvalue (\(Self.format(flatness.minEigenvalueAtMean))): the mean lies between basins or on a ridge, so hessian_*_at_mean describe no point of the cloud; read hessian_trace_mean")
        }
        return out
    }

    /// The index and value of the largest (or smallest) finite value.
    static func extreme(_ values: [Double], largest: Bool) -> (Int, Double)? {
        let finite = values.enumerated().filter { $0.element.isFinite }
        let best = largest ? finite.max { $0.element < $1.element } : finite.min { $0.element < $1.element }
        return best.map { ($0.offset, $0.element) }
    }

    static func format(_ x: Double) -> String { String(format: "%.4g", x) }

    /// The table's columns of this report: max R̂, min bulk ESS and whether the cloud is
    /// stationary ("no" when it still spreads, "-" when undecided).
    var tableCells: [String] {
        [Self.extreme(diagnostics.rHat, largest: true).map { String(format: "%.4g", $0.1) } ?? "-",
         Self.extreme(diagnostics.essBulk, largest: false).map { String(format: "%.4g", $0.1) } ?? "-",
         stationarity.isStationary.map { $0 ? "yes" : "no" } ?? "-"]
    }
}
