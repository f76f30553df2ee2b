import Experiments
import Foundation

/// Turns SIGINT and SIGTERM into a stop request (`RunStop.shared`), so the running
/// simulation stops at the next chunk of steps, writes its final checkpoint and the results
/// finished so far, and the process exits 130 or 143 instead of dying half-way.
///
/// The signals are blocked in every thread (the mask is inherited) and received by one
/// dedicated thread with sigwait, so no code runs inside a signal handler.
enum Interruption {
    /// Call first thing in main, before any other thread exists.
    static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let blocked = set
        let thread = Thread {
            var signals = blocked
            while true {
                var signal: Int32 = 0
                guard sigwait(&signals, &signal) == 0 else { continue }
                RunStop.shared.request(signal: signal)
            }
        }
        thread.start()
    }
}
