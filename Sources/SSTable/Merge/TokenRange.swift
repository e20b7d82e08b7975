/// A range of Murmur3 tokens, `(start, end]` as in Cassandra (`token(k) > start AND token(k) <= end`).
/// Every token of the ring lies in `(Int64.min, Int64.max]`: Murmur3 maps `Long.MIN_VALUE` to `Long.MAX_VALUE`.
///
/// A RandomPartitioner table (tokens `0 … 2^127`) is split on the same bounds scaled onto its
/// ring: `t ↦ (t − Int64.min) · 2^63`, with `Int64.min` and `Int64.max` standing for the ring's
/// ends. A share `I/N` is then the same fraction of either ring, and every token of either lies
/// in exactly one share.
public struct TokenRange: Sendable, Codable, Hashable, CustomStringConvertible {
    /// Exclusive.
    public var start: Int64
    /// Inclusive.
    public var end: Int64

    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    /// The whole ring.
    public static let all = TokenRange(start: .min, end: .max)

    public var isValid: Bool { start < end }

    public func contains(_ token: Int64) -> Bool { token > start && token <= end }

    /// Whether a partition's token (Murmur3 or RandomPartitioner) lies after the range's start.
    func isAfterStart(_ token: Partitioner.Token) -> Bool {
        switch token {
        case .long(let t): return t > start
        case .bytes(let t): return start == .min || Self.random(t) > Self.scaled(start)
        case .none: return true
        }
    }

    /// Whether a partition's token lies past the range's end.
    func isPastEnd(_ token: Partitioner.Token) -> Bool {
        switch token {
        case .long(let t): return t > end
        case .bytes(let t): return end != .max && Self.random(t) > Self.scaled(end)
        case .none: return false
        }
    }

    /// A bound on the RandomPartitioner ring: `(bound − Int64.min) · 2^63`.
    static func scaled(_ bound: Int64) -> UInt128 {
        UInt128(UInt64(bitPattern: bound) ^ (1 << 63)) << 63
    }

    /// A RandomPartitioner token (16 big-endian bytes, `0 … 2^127`) as a number.
    static func random(_ token: [UInt8]) -> UInt128 {
        token.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }

    /// The share of the ring the range covers (0…1), to scale row estimates.
    public var fraction: Double { isValid ? (Double(end) - Double(start)) / 0x1p64 : 0 }

    /// The ring cut into `count` consecutive ranges of (nearly) equal width, in token order.
    public static func split(_ count: Int) -> [TokenRange] {
        let n = max(1, count)
        let width = UInt64.max / UInt64(n)
        var bounds: [Int64] = [.min]
        for i in 1..<n { bounds.append(Int64(bitPattern: UInt64(bitPattern: .min) &+ width &* UInt64(i))) }
        bounds.append(.max)
        return (0..<n).map { TokenRange(start: bounds[$0], end: bounds[$0 + 1]) }
    }

    /// Share `index` (1-based) of the ring cut into `count`, from text `index/count` (e.g. `2/3`).
    public init?(share text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 1 << 20, (1...n).contains(i) else { return nil }
        self = Self.split(n)[i - 1]
    }

    public var description: String { "(\(start), \(end)]" }
}

extension TableReader {
    /// Reads only the partitions whose token lies in `range` (Murmur3Partitioner, or
    /// RandomPartitioner on the scaled bounds; see ``TokenRange``); call before `forEachRow`.
    /// Each `big` SSTable with Summary.db and Index.db (and, for Murmur3, each `bti` SSTable) is
    /// read from the range's first partition on (see `MergeSource.seekRange`); the others are
    /// read from their start, skipping the partitions before the range. Reading stops after it.
    public func restrict(to range: TokenRange) throws(SSTableError) {
        guard partitioner == .murmur3 || partitioner == .random else {
            throw SSTableError(path: sstables.first?.descriptor.path("Statistics.db") ?? location.table,
                               "token ranges need Murmur3Partitioner or RandomPartitioner; this table uses \(sstables.first?.statistics.partitionerClass ?? "another partitioner"), whose partitions are ordered by key, not token: read it whole")
        }
        guard range.isValid else { throw SSTableError(path: location.table, "token range \(range) is empty") }
        tokenRange = range
        for source in mergeSources { try source.seekRange(after: range, partitioner: partitioner) }
    }

    /// Bytes read from the Data.db files so far (compressed chunks with their checksums).
    public var dataBytesRead: Int64 { mergeSources.reduce(0) { $0 + $1.scanner.dataBytesRead } }
}
