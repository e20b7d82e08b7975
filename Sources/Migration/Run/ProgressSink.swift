/// Where progress events go.
public struct ProgressSink: Sendable {
    private let body: @Sendable (ProgressEvent) -> Void

    public init(_ body: @escaping @Sendable (ProgressEvent) -> Void) { self.body = body }

    public func emit(_ event: ProgressEvent) { body(event) }

    /// Drops every event.
    public static let none = ProgressSink { _ in }
}
