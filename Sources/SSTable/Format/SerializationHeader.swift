import CQL

/// The 3.0+ SerializationHeader from Statistics.db: the delta bases and the types and columns
/// the rows of Data.db are written with.
public struct SerializationHeader: Sendable {
    /// One column as the SSTable declares it.
    public struct Column: Sendable, Hashable {
        public var name: String
        public var type: CQLType
    }

    public var minTimestamp: Int64
    public var minLocalDeletionTime: Int64
    public var minTTL: Int64
    /// The partition key type (`CompositeType` for several key columns).
    public var keyType: CQLType
    public var clusteringTypes: [CQLType]
    /// Static and regular columns in Cassandra's column order (simple first, then complex; by name).
    public var staticColumns: [Column]
    public var regularColumns: [Column]

    /// 2015-09-22T00:00:00Z, the epoch of the EncodingStats deltas.
    static let timestampEpoch: Int64 = 1_442_880_000_000_000
    static let deletionTimeEpoch: Int64 = 1_442_880_000

    static func parse(_ c: inout ByteCursor) throws(CursorError) -> SerializationHeader {
        // The subtraction may wrap in 64 bits; 32-bit fields are truncated back.
        let ts = Int64(bitPattern: try c.readUnsignedVInt() &+ UInt64(bitPattern: timestampEpoch))
        let ldt = Int64(Int32(truncatingIfNeeded: try c.readUnsignedVInt() &+ UInt64(deletionTimeEpoch)))
        let ttl = Int64(Int32(truncatingIfNeeded: try c.readUnsignedVInt()))
        let keyType = try parseType(&c)
        let clusteringCount = try c.readVIntLength()
        var clustering: [CQLType] = []
        for _ in 0..<clusteringCount { clustering.append(try parseType(&c)) }
        let statics = try parseColumns(&c)
        let regulars = try parseColumns(&c)
        return SerializationHeader(
            minTimestamp: ts, minLocalDeletionTime: ldt, minTTL: ttl, keyType: keyType,
            clusteringTypes: clustering, staticColumns: statics, regularColumns: regulars)
    }

    private static func parseType(_ c: inout ByteCursor) throws(CursorError) -> CQLType {
        let at = c.position
        let text = try c.readVIntString()
        do { return try MarshalTypeParser.parse(text) } catch { throw .malformed(at: at, error.message) }
    }

    private static func parseColumns(_ c: inout ByteCursor) throws(CursorError) -> [Column] {
        let count = try c.readVIntLength()
        var columns: [Column] = []
        for _ in 0..<count {
            let name = try c.readVIntString()
            columns.append(Column(name: name, type: try parseType(&c)))
        }
        return columns
    }

    /// The partition key column types (one, or the components of a CompositeType).
    public var keyTypes: [CQLType] {
        if case .composite(let parts) = keyType { return parts }
        return [keyType]
    }
}
