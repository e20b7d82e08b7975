import Foundation

/// Bounds the bytes of parts kept in the staging folder (`--max-local-gb`): a part is written
/// only when it fits beside those not yet uploaded (or when none is kept), and the uploader gives
/// a part's room back once S3 holds it intact and the local file is gone.
public final class LocalBudget: @unchecked Sendable {
    public let limit: Int
    private let condition = NSCondition()
    private var used = 0

    public init(limit: Int) { self.limit = max(1, limit) }

    /// Bytes of parts now counted against the bound.
    public var usedBytes: Int {
        condition.lock()
        defer { condition.unlock() }
        return used
    }

    /// Waits until `bytes` more fit (always true when nothing is held), then counts them.
    /// Throws ``Stopped`` if `stop` is set while waiting.
    public func reserve(_ bytes: Int, stop: StopSignal) throws {
        condition.lock()
        defer { condition.unlock() }
        while used > 0 && used + bytes > limit {
            if stop.isStopped { throw Stopped() }
            _ = condition.wait(until: Date().addingTimeInterval(0.1))
        }
        used += bytes
    }

    /// Gives back the room of a part removed from the staging folder (or never written).
    public func release(_ bytes: Int) {
        condition.lock()
        used = max(0, used - bytes)
        condition.broadcast()
        condition.unlock()
    }
}
