import Simulation

/// Watches a `RunSession` (the command line draws its progress bar): called on the session's
/// thread before and after each optimizer is simulated, and with every warning about the run.
public protocol RunObserver: AnyObject {
    /// Optimizer `index` (`label`) starts; `progress` counts its chain·steps.
    func optimizerStarted(_ index: Int, label: String, progress: RunProgress)
    func optimizerFinished(_ index: Int)
    /// Something the user should know that does not stop the run (e.g. a checkpoint that
    /// could not be written).
    func warning(_ message: String)
}
