import Foundation

/// The body of `GET /v1/tasks/{id}/events`: Server-Sent Events as bytes. First `progress` with
/// the task as it is; then, for a task that runs, its live events until `end` or `deleted`, else
/// `end` at once.
struct TaskEventBytes: AsyncSequence, Sendable {
    let first: ServerSentEvent
    /// The task's subscription while it runs; nil for a task that does not run.
    let live: AsyncStream<ServerSentEvent>?

    func makeAsyncIterator() -> Iterator {
        Iterator(pending: live == nil ? [first, ServerSentEvent(event: "end", data: first.data)] : [first], live: live?.makeAsyncIterator())
    }

    struct Iterator: AsyncIteratorProtocol {
        var pending: [ServerSentEvent]
        var live: AsyncStream<ServerSentEvent>.AsyncIterator?

        mutating func next() async -> ArraySlice<UInt8>? {
            if !pending.isEmpty { return Self.bytes(pending.removeFirst()) }
            guard let event = await live?.next() else { return nil }
            if event.event == "end" || event.event == "deleted" { live = nil }
            return Self.bytes(event)
        }

        static func bytes(_ event: ServerSentEvent) -> ArraySlice<UInt8> { ArraySlice(event.text.utf8) }
    }
}
