import Foundation
import Synchronization

/// For tests only: stop the process at a known point of its checkpoint instead of racing it
/// with a timer. `OPTCLOUD_TEST_STOP_AFTER_SNAPSHOTS=N` makes the process send itself a
/// signal right after its N-th group snapshot is complete on disk (renamed into place) —
/// SIGINT, or the signal `OPTCLOUD_TEST_STOP_SIGNAL` names (`INT`, `TERM` or `KILL`). The
/// signal takes its ordinary path: SIGKILL ends the process there and then, exactly N
/// snapshots written; SIGINT and SIGTERM reach `optcloud`'s signal thread, and the writer
/// waits until that thread has taken the signal, so the run stops within the group that
/// follows (with the hook on, a phase's closing bulk of snapshots is written before the next
/// phase starts, as every other checkpoint write is). Snapshots count in the order written: all burn-in snapshots of an optimizer
/// before its recording ones, optimizers in turn, 256 of each with ≥ 256 chains.
///
/// Without the variable (a positive integer) nothing happens; the variables are read once.
enum SnapshotStop {
    static let countVariable = "OPTCLOUD_TEST_STOP_AFTER_SNAPSHOTS"
    static let signalVariable = "OPTCLOUD_TEST_STOP_SIGNAL"

    /// The snapshot count and signal, nil when the hook is off.
    static let request: (count: Int, signal: Int32)? = parse(ProcessInfo.processInfo.environment)

    private static let written = Atomic<Int>(0)

    static func parse(_ environment: [String: String]) -> (count: Int, signal: Int32)? {
        guard let text = environment[countVariable], let count = Int(text), count > 0 else { return nil }
        switch environment[signalVariable] {
        case "KILL": return (count, SIGKILL)
        case "TERM": return (count, SIGTERM)
        default: return (count, SIGINT)
        }
    }

    /// Called after each snapshot file is in place.
    static func snapshotWritten() {
        guard let request, written.add(1, ordering: .relaxed).newValue == request.count else { return }
        // Process-directed, so the thread that waits for signals receives it (every other
        // thread blocks SIGINT and SIGTERM).
        kill(getpid(), request.signal)
        var pending = sigset_t()
        for _ in 0..<10_000 {
            sigpending(&pending)
            if sigismember(&pending, request.signal) == 0 { return }
            usleep(1_000)
        }
    }
}
