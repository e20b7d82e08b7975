import Foundation
import Synchronization

/// One progress event of a migration step. `--progress json` prints each as a JSON line.
public struct ProgressEvent: Sendable {
    /// `extract`, `upload`, `load`, `import`, `validate`, `migrate`.
    public var phase: String
    /// `start`, `progress`, `done`, `skip`, `error`, `summary`.
    public var kind: String
    public var table: String?
    public var part: String?
    public var rows: Int?
    public var totalRows: Int?
    public var bytes: Int?
    public var totalBytes: Int?
    public var message: String?
    /// Extra numbers (e.g. `rejected`, `wcu`, `uploaded`, `skipped`).
    public var counts: [String: Int]

    public init(phase: String, kind: String, table: String? = nil, part: String? = nil, rows: Int? = nil, totalRows: Int? = nil,
                bytes: Int? = nil, totalBytes: Int? = nil, message: String? = nil, counts: [String: Int] = [:]) {
        self.phase = phase
        self.kind = kind
        self.table = table
        self.part = part
        self.rows = rows
        self.totalRows = totalRows
        self.bytes = bytes
        self.totalBytes = totalBytes
        self.message = message
        self.counts = counts
    }

    /// The event as one JSON object (no newline), with a `time` in seconds since the epoch.
    public var jsonLine: String {
        var fields: [String: Any] = ["phase": phase, "event": kind, "time": (Date().timeIntervalSince1970 * 1000).rounded() / 1000]
        if let table { fields["table"] = table }
        if let part { fields["part"] = part }
        if let rows { fields["rows"] = rows }
        if let totalRows { fields["totalRows"] = totalRows }
        if let bytes { fields["bytes"] = bytes }
        if let totalBytes { fields["totalBytes"] = totalBytes }
        if let message { fields["message"] = message }
        for (k, v) in counts { fields[k] = v }
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// Where progress events go.
public struct ProgressSink: Sendable {
    private let body: @Sendable (ProgressEvent) -> Void

    public init(_ body: @escaping @Sendable (ProgressEvent) -> Void) { self.body = body }

    public func emit(_ event: ProgressEvent) { body(event) }

    /// Drops every event.
    public static let none = ProgressSink { _ in }
}

/// A cooperative stop request (Ctrl-C): steps check it between rows, parts and batches, and
/// cancel what they wait on (``cancelling(_:)``).
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func stop() { flag.store(true, ordering: .relaxed) }
    public var isStopped: Bool { flag.load(ordering: .relaxed) }

    /// Throws ``Stopped`` when a stop was requested.
    public func check() throws { if isStopped { throw Stopped() } }
}

/// Thrown when a run stops on request; everything done so far is checkpointed.
public struct Stopped: Error, CustomStringConvertible {
    public var description: String { "stopped on request; run the same command again to resume" }
}
