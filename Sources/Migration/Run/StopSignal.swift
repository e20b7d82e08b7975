import Synchronization

/// A cooperative stop request (Ctrl-C): steps check it between rows, parts and batches, and
/// cancel what they wait on (``cancelling(_:)``).
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    private let parent: StopSignal?
    /// A signal of its own; with a `parent`, also stopped whenever the parent is.
    public init(parent: StopSignal? = nil) { self.parent = parent }
    public func stop() { flag.store(true, ordering: .relaxed) }
    public var isStopped: Bool { flag.load(ordering: .relaxed) || (parent?.isStopped ?? false) }

    /// Throws ``Stopped`` when a stop was requested.
    public func check() throws { if isStopped { throw Stopped() } }
}

/// Thrown when a run stops on request; everything done so far is checkpointed.
public struct Stopped: Error, CustomStringConvertible {
    public var description: String { "stopped on request; run the same command again to resume" }
}
