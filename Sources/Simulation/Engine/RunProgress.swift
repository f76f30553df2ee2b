import Synchronization

/// Shared between the engine and whoever watches it: chain·steps done so far, and a stop
/// request. Updated once per tile and chunk of steps, never per step.
public final class RunProgress: Sendable {
    private let done = Atomic<Int>(0)
    private let stop = Atomic<Bool>(false)
    /// chains × steps of the whole run, for rate and ETA.
    public let total: Int

    public init(total: Int) { self.total = total }

    public var completed: Int { done.load(ordering: .relaxed) }
    public func advance(by n: Int) { done.add(n, ordering: .relaxed) }
    public var isCancelled: Bool { stop.load(ordering: .relaxed) }
    public func cancel() { stop.store(true, ordering: .relaxed) }
}
