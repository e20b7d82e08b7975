import SSTable

/// A CQL row the converter reads: column values by index (in the converter's column order),
/// and the row's write time and expiry. `RowView` is one; tests build others.
public protocol RowSource {
    func withValue<R>(ofColumn index: Int, _ body: (ColumnValue) throws -> R) throws -> R
    /// Largest live timestamp, µs since the epoch.
    var writeTime: Int64? { get }
    /// Seconds since the epoch when all live data has expired; nil if some never does.
    var expiresAt: Int64? { get }
}

extension RowView: RowSource {}

/// A row made of serialized values, for tests and for callers that hold rows in memory.
public struct BufferedRow: RowSource {
    /// One entry per column; nil is null.
    public var values: [[UInt8]?]
    public var counters: [Int: Int64]
    public var writeTime: Int64?
    public var expiresAt: Int64?

    public init(values: [[UInt8]?], counters: [Int: Int64] = [:], writeTime: Int64? = nil, expiresAt: Int64? = nil) {
        self.values = values
        self.counters = counters
        self.writeTime = writeTime
        self.expiresAt = expiresAt
    }

    public func withValue<R>(ofColumn index: Int, _ body: (ColumnValue) throws -> R) throws -> R {
        if let c = counters[index] { return try body(.counter(c)) }
        guard let v = values[index] else { return try body(.null) }
        return try v.withUnsafeBytes { try body(.value($0)) }
    }
}
