/// One partition to write: what a memtable flush hands the writer. Rows may come in any order
/// (the writer sorts them by clustering); each clustering appears once.
public struct PartitionUpdate: Sendable {
    /// The serialized partition key (one column's value bytes, or a CompositeType for several).
    public var key: [UInt8]
    /// A partition tombstone, or `.live`.
    public var deletion: DeletionTime
    /// Static cells (`column` indexes the writer's static columns); nil or empty when none.
    public var staticRow: RowUpdate?
    public var rows: [RowUpdate]
    /// Range tombstones; they must not overlap one another.
    public var rangeTombstones: [RangeTombstone]

    public init(key: [UInt8], deletion: DeletionTime = .live, staticRow: RowUpdate? = nil, rows: [RowUpdate] = [], rangeTombstones: [RangeTombstone] = []) {
        self.key = key
        self.deletion = deletion
        self.staticRow = staticRow
        self.rows = rows
        self.rangeTombstones = rangeTombstones
    }
}

/// The primary-key liveness of a row (`INSERT` writes one; `UPDATE` does not).
public struct RowLiveness: Sendable, Hashable {
    /// Write time, µs since the epoch.
    public var timestamp: Int64
    /// TTL in seconds, 0 for none.
    public var ttl: Int32
    /// When a TTL runs out (seconds since the epoch); ignored without a TTL.
    public var expiresAt: Int64

    public init(timestamp: Int64, ttl: Int32 = 0, expiresAt: Int64 = 0) {
        self.timestamp = timestamp
        self.ttl = ttl
        self.expiresAt = expiresAt
    }

    /// True with a TTL.
    public var isExpiring: Bool { ttl != 0 }
}

/// One row (or the static row) to write.
public struct RowUpdate: Sendable {
    /// Clustering values (serialized); nil entries are nulls. Empty for the static row.
    public var clustering: [[UInt8]?]
    public var liveness: RowLiveness?
    /// A row tombstone, or `.live`.
    public var deletion: DeletionTime
    /// Cells in any order; the writer sorts them by column, then cell path.
    public var cells: [CellUpdate]
    /// Deletions of whole non-frozen collections/UDTs: (column index, deletion).
    public var complexDeletions: [(column: Int, deletion: DeletionTime)]

    public init(clustering: [[UInt8]?], liveness: RowLiveness? = nil, deletion: DeletionTime = .live, cells: [CellUpdate] = [], complexDeletions: [(column: Int, deletion: DeletionTime)] = []) {
        self.clustering = clustering
        self.liveness = liveness
        self.deletion = deletion
        self.cells = cells
        self.complexDeletions = complexDeletions
    }
}

/// One cell: a simple column's value, or one element of a non-frozen collection/UDT.
public struct CellUpdate: Sendable {
    /// Index into the writer's `staticColumns` or `regularColumns` (Cassandra's column order).
    public var column: Int
    /// Element key for complex columns: list timeuuid, set element, map key, UDT field index (2 bytes).
    public var path: [UInt8]?
    /// The value bytes (empty for tombstones and set elements).
    public var value: [UInt8]
    public var timestamp: Int64
    /// TTL in seconds (0: none).
    public var ttl: Int32
    /// Expiry (expiring cells) or deletion time (tombstones), seconds since the epoch.
    public var localDeletionTime: Int64
    public var isTombstone: Bool

    public init(column: Int, path: [UInt8]? = nil, value: [UInt8], timestamp: Int64, ttl: Int32 = 0, expiresAt: Int64 = 0) {
        self.column = column
        self.path = path
        self.value = value
        self.timestamp = timestamp
        self.ttl = ttl
        self.localDeletionTime = ttl != 0 ? expiresAt : Int64(Int32.max)
        self.isTombstone = false
    }

    /// A cell tombstone (`DELETE col` / element removal).
    public static func tombstone(column: Int, path: [UInt8]? = nil, timestamp: Int64, deletedAt: Int64) -> CellUpdate {
        var c = CellUpdate(column: column, path: path, value: [], timestamp: timestamp)
        c.isTombstone = true
        c.localDeletionTime = deletedAt
        return c
    }

    /// True for a live cell with a TTL.
    public var isExpiring: Bool { ttl != 0 && !isTombstone }
}

/// A range tombstone over clustering prefixes: `start` and `end` bounds with inclusivity.
public struct RangeTombstone: Sendable {
    /// Clustering prefix of the start (may be shorter than the clustering; empty = from the start).
    public var start: [[UInt8]?]
    public var startInclusive: Bool
    /// Clustering prefix of the end (empty = to the end).
    public var end: [[UInt8]?]
    public var endInclusive: Bool
    public var deletion: DeletionTime

    public init(start: [[UInt8]?], startInclusive: Bool = true, end: [[UInt8]?], endInclusive: Bool = true, deletion: DeletionTime) {
        self.start = start
        self.startInclusive = startInclusive
        self.end = end
        self.endInclusive = endInclusive
        self.deletion = deletion
    }

    var startKind: BoundKind { startInclusive ? .inclusiveStart : .exclusiveStart }
    var endKind: BoundKind { endInclusive ? .inclusiveEnd : .exclusiveEnd }
}
