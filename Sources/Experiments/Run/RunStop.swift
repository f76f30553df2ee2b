import Simulation
import Synchronization

/// A request to stop the simulation that is running: the command line turns SIGINT and
/// SIGTERM into one (`request(signal:)`), tests make one when they like. It cancels the
/// watched `RunProgress`, so the engine stops at its next chunk of steps, and stays set, so
/// the session writes its checkpoint and partial results and throws `RunInterrupted`.
public final class RunStop: Sendable {
    /// The process-wide request that signals go to.
    public static let shared = RunStop()

    private struct State {
        var watched: RunProgress?
        var signal: Int32 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// The simulation a request should cancel (nil: none).
    public func watch(_ progress: RunProgress?) {
        state.withLock { s in
            s.watched = progress
            if s.signal != 0 { progress?.cancel() }
        }
    }

    /// Stops the watched simulation, and every later one, on behalf of `signal`.
    public func request(signal: Int32) {
        state.withLock { s in
            s.signal = signal
            s.watched?.cancel()
        }
    }

    /// The signal of the request, 0 if there was none.
    public var signal: Int32 { state.withLock { $0.signal } }
}
