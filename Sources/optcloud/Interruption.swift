import Foundation
import Simulation

/// Turns SIGINT and SIGTERM into a cancellation of the running simulation, so the run
/// stops at the next chunk of steps, writes its final checkpoint and the results finished so
/// far, and exits 130 or 143 instead of dying half-way.
///
/// The signals are blocked in every thread (the mask is inherited) and received by one
/// dedicated thread with sigwait, so no code runs inside a signal handler.
final class Interruption: @unchecked Sendable {
    static let shared = Interruption()

    private let lock = NSLock()
    private var current: RunProgress?
    private var received: Int32 = 0

    /// Call first thing in main, before any other thread exists.
    func install() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let blocked = set
        let thread = Thread { [self] in
            var signals = blocked
            while true {
                var signal: Int32 = 0
                guard sigwait(&signals, &signal) == 0 else { continue }
                lock.lock()
                received = signal
                current?.cancel()
                lock.unlock()
            }
        }
        thread.start()
    }

    /// The run that a signal should cancel.
    func watch(_ progress: RunProgress?) {
        lock.lock()
        current = progress
        if received != 0 { progress?.cancel() }
        lock.unlock()
    }

    /// The signal received, 0 if none.
    var signal: Int32 {
        lock.lock()
        defer { lock.unlock() }
        return received
    }
}

/// The run was interrupted by a signal: exit status 128 + signal; `message` says what was kept.
struct Interrupted: Error {
    let signal: Int32
    var message = "nothing was written"
}
