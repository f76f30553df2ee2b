import Experiments
import Simulation

/// What a `RunSession` shows while it runs: a progress bar per optimizer on standard error
/// (when enabled), labelled with `prefix` (a sweep's "point 7/45"), and its warnings.
final class ProgressDisplay: RunObserver {
    private let enabled: Bool
    var prefix = ""
    private var bar: ProgressBar?

    init(enabled: Bool) { self.enabled = enabled }

    func optimizerStarted(_ index: Int, label: String, progress: RunProgress) {
        guard enabled else { return }
        bar = ProgressBar(progress: progress, label: prefix + label)
        bar?.start()
    }

    func optimizerFinished(_ index: Int) {
        bar?.stop()
        bar = nil
    }

    func warning(_ message: String) { Terminal.warning(message) }
}
