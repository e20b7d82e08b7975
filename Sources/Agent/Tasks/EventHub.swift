import Foundation
import Synchronization

/// One Server-Sent Event.
public struct ServerSentEvent: Sendable {
    public var event: String
    public var data: String
    public init(event: String, data: String) { self.event = event; self.data = data }

    /// The wire form: `event:` and `data:` lines and a blank line.
    public var text: String {
        var out = "event: \(event)\n"
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) { out += "data: \(line)\n" }
        return out + "\n"
    }
}

/// Fans task events out to the event streams that are listening.
public final class EventHub: Sendable {
    private let subscribers = Mutex<[String: [UUID: AsyncStream<ServerSentEvent>.Continuation]]>([:])

    public init() {}

    /// A stream of the events of task `id` (or every task for `*`), ended when the caller stops reading.
    public func subscribe(_ id: String) -> AsyncStream<ServerSentEvent> {
        let key = UUID()
        let (stream, continuation) = AsyncStream<ServerSentEvent>.makeStream(bufferingPolicy: .bufferingNewest(256))
        subscribers.withLock { $0[id, default: [:]][key] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLock { _ = $0[id]?.removeValue(forKey: key) }
        }
        return stream
    }

    public func publish(_ id: String, _ event: ServerSentEvent) {
        let targets = subscribers.withLock { Array(($0[id] ?? [:]).values) + Array(($0["*"] ?? [:]).values) }
        for c in targets { c.yield(event) }
    }

    /// Ends every stream of task `id`.
    public func finish(_ id: String) {
        let targets = subscribers.withLock { $0.removeValue(forKey: id).map { Array($0.values) } ?? [] }
        for c in targets { c.finish() }
    }
}
