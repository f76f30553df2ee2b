import Experiments
import Foundation

/// The line per point on standard output: `point 7/45 optimizers.0.lr=0.004: sgd mean loss 0.0123 (1.2 s)`.
final class PointLines: SweepObserver {
    let quiet: Bool
    let display: ProgressDisplay
    private var description = ""

    init(quiet: Bool, display: ProgressDisplay) {
        self.quiet = quiet
        self.display = display
    }

    func pointStarted(_ point: Int, of count: Int, description: String) {
        display.prefix = "point \(point + 1)/\(count) "
        self.description = description
    }

    func pointKept(_ point: Int, of count: Int, description: String) {
        guard !quiet else { return }
        print("point \(point + 1)/\(count) \(description): complete, kept")
    }

    func pointFinished(_ point: Int, of count: Int, result: RunResult, seconds: Double) {
        guard !quiet else { return }
        let optimizers = result.optimizers.map { r -> String in
            let diverged = Double(r.cloud.divergedChains) / Double(r.cloud.chains)
            if diverged == 1 { return "\(r.spec.label) diverged" }
            return "\(r.spec.label) mean loss " + String(format: "%.4g", r.report.loss.mean)
                + (diverged > 0 ? String(format: " (%.3g%% of chains diverged)", 100 * diverged) : "")
        }
        print("point \(point + 1)/\(count) \(description): \(optimizers.joined(separator: ", "))" + String(format: " (%.1f s)", seconds))
        fflush(stdout)
    }
}
