import Foundation

/// A phase of the migration pipeline: the `phase` of a progress event and the name of an agent
/// task's stage. The raw values are the names on the wire (`--progress json`, the agent's API).
public enum PipelinePhase: String, Codable, Sendable, CaseIterable {
    /// The agent copies remote nodes' SSTables (agent tasks only).
    case fetch
    case extract, upload, load
    case `import`
    case validate
    /// The whole run: its per-table `summary` events.
    case migrate

    /// Whether an event's `rows` count one table's rows (else, for `upload`, the run's parts).
    public var countsPerTable: Bool { self != .upload }
}

/// One progress event of a migration step. `--progress json` prints each as a JSON line.
public struct ProgressEvent: Sendable {
    /// What happened; the raw values are the `event` field of the JSON line.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case start, progress, done, skip, warning, error, summary

        /// Whether the event closes a line of the bars (it is not overwritten by the next one).
        public var isFinal: Bool { self != .start && self != .progress }
    }

    public var phase: PipelinePhase
    public var kind: Kind
    public var table: String?
    public var part: String?
    public var rows: Int?
    public var totalRows: Int?
    public var bytes: Int?
    public var totalBytes: Int?
    public var message: String?
    /// Extra numbers (e.g. `rejected`, `wcu`, `uploaded`, `skipped`).
    public var counts: [String: Int]

    public init(phase: PipelinePhase, kind: Kind, table: String? = nil, part: String? = nil, rows: Int? = nil, totalRows: Int? = nil,
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
        var fields: [String: Any] = ["phase": phase.rawValue, "event": kind.rawValue, "time": (Date().timeIntervalSince1970 * 1000).rounded() / 1000]
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
