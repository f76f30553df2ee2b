import Foundation

/// One row of sweep.csv: one optimizer at one point, read from the point's summary.json so
/// that `--collect` needs nothing but the point directories. Every value is the summary's
/// (or a plain function of it: the diverged fraction, max R̂, min ESS, the diagonal of the
/// covariance); a value that does not exist (null, no theory, a cloud with no chains) is nil.
public struct SweepRow {
    public let point: Int
    public let optimizer: String
    public let chains: Int
    public let divergedFraction: Double
    /// The metrics by column name, in `SweepRow.columns` order, each with its standard error
    /// where the summary has one (what `collapse` needs).
    public let values: [String: Double]
    public let stderrs: [String: Double]
    /// `stationary`: true, false or nil (undecided).
    public let stationary: Bool?

    /// The numeric columns after `diverged_fraction` and before `stationary`.
    static let leadingMetrics = ["mean_loss", "mean_loss_stderr", "bias_norm", "mean_norm", "trace", "logdet", "max_eigenvalue",
                                 "tail_index", "hessian_trace_mean", "max_r_hat", "min_ess_bulk"]

    /// Steps to target, with its standard error and the exact theory's (sweeps with `statistics.target_loss`).
    static let targetMetrics = ["steps_to_target", "steps_to_target_stderr", "theory_steps_to_target"]

    /// The metric columns of a sweep whose objective has `dimension` coordinates and `basins`
    /// basins; `target`: the config asks for steps to target.
    static func metricColumns(dimension d: Int, basins: Int, target: Bool = false) -> [String] {
        leadingMetrics + ["stationary", "theory_relative_error"] + (target ? targetMetrics : [])
            + (0..<d).map { "mean_\($0)" } + (0..<d).map { "variance_\($0)" }
            + (basins >= 2 ? (0..<basins).map { "basin_\($0)_occupancy" } : [])
    }

    /// - Parameter entry: the optimizer's entry of summary.json's `optimizers`.
    init(point: Int, entry: [String: Any]) {
        self.point = point
        optimizer = entry["label"] as? String ?? ""
        func number(_ key: String) -> Double? { Self.number(entry[key]) }
        func numbers(_ key: String) -> [Double?] { (entry[key] as? [Any])?.map(Self.number) ?? [] }
        chains = Int(number("chains") ?? 0)
        divergedFraction = chains > 0 ? (number("diverged_chains") ?? 0) / Double(chains) : .nan
        var values: [String: Double] = [:], stderrs: [String: Double] = [:]
        func set(_ column: String, _ value: Double?, stderr: Double? = nil) {
            if let value { values[column] = value }
            if let stderr { stderrs[column] = stderr }
        }
        set("mean_loss", number("mean_loss"), stderr: number("mean_loss_stderr"))
        set("mean_loss_stderr", number("mean_loss_stderr"))
        set("bias_norm", number("bias_norm"), stderr: number("bias_norm_stderr"))
        set("mean_norm", number("mean_norm"), stderr: number("mean_norm_stderr"))
        set("trace", number("covariance_trace"), stderr: number("covariance_trace_stderr"))
        set("logdet", number("covariance_logdet"))
        set("max_eigenvalue", numbers("covariance_eigenvalues").compactMap { $0 }.max())
        set("tail_index", number("tail_index"))
        set("hessian_trace_mean", number("hessian_trace_mean"))
        set("max_r_hat", numbers("r_hat").compactMap { $0 }.max())
        set("min_ess_bulk", numbers("ess_bulk").compactMap { $0 }.min())
        set("theory_relative_error", number("theory_covariance_relative_error"))
        set("steps_to_target", number("steps_to_target"), stderr: number("steps_to_target_stderr"))
        set("steps_to_target_stderr", number("steps_to_target_stderr"))
        set("theory_steps_to_target", number("theory_steps_to_target"))
        let mean = numbers("mean"), stderrMean = numbers("stderr_mean")
        for (k, m) in mean.enumerated() { set("mean_\(k)", m, stderr: k < stderrMean.count ? stderrMean[k] : nil) }
        let covariance = (entry["covariance"] as? [Any])?.map { ($0 as? [Any])?.map(Self.number) ?? [] } ?? []
        let covarianceStderr = (entry["covariance_stderr"] as? [Any])?.map { ($0 as? [Any])?.map(Self.number) ?? [] } ?? []
        for k in covariance.indices where k < covariance[k].count {
            let se = k < covarianceStderr.count && k < covarianceStderr[k].count ? covarianceStderr[k][k] : nil
            set("variance_\(k)", covariance[k][k], stderr: se)
        }
        if let basins = (entry["basins"] as? [String: Any])?["basins"] as? [[String: Any]] {
            for (b, basin) in basins.enumerated() {
                set("basin_\(b)_occupancy", Self.number(basin["occupancy"]), stderr: Self.number(basin["occupancy_stderr"]))
            }
        }
        self.values = values
        self.stderrs = stderrs
        stationary = entry["stationary"] as? Bool
    }

    /// A finite number from JSON (null, NaN and anything else are nil).
    static func number(_ value: Any?) -> Double? {
        guard let n = value as? NSNumber else { return nil }
        let x = n.doubleValue
        return x.isFinite ? x : nil
    }

    /// The value of a metric column as a CSV field: empty when it does not exist.
    func field(_ column: String) -> CSVField {
        if column == "stationary" { return .text(stationary.map { $0 ? "true" : "false" } ?? "") }
        return values[column].map { .number($0) } ?? .text("")
    }
}
