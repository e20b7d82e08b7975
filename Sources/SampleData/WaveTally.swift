/// How many changes of each kind a later wave wrote into a table, counted from the updates the
/// generator made (not from what a reader finds), so a test can check every kind occurs.
public struct WaveTally: Sendable, Equatable, Codable {
    /// Partitions the wave created, and the rows they hold.
    public var newPartitions = 0
    public var newPartitionRows = 0
    /// Rows added to existing partitions.
    public var newRows = 0
    /// Existing rows with some of their columns written again (`UPDATE … SET a = …`, no row marker).
    public var overwrites = 0
    /// Existing rows written again whole (`INSERT`), some with a TTL.
    public var rewrites = 0
    public var rowDeletions = 0
    public var rangeDeletions = 0
    public var partitionDeletions = 0
    /// Whole non-frozen collections deleted (`DELETE col` / `SET col = null`).
    public var collectionDeletions = 0
    public var staticUpdates = 0
    /// Rows and static rows this wave wrote with a TTL (row marker or cell).
    public var ttlWrites = 0
    /// Rows of earlier waves with a cell or row marker whose TTL runs out after the previous
    /// wave's `now` and by this wave's.
    public var expiredSincePreviousWave = 0

    public init() {}

    /// Existing rows this wave changed itself (overwrites, rewrites, row and collection deletions).
    public var changedRows: Int { overwrites + rewrites + rowDeletions + collectionDeletions }

    mutating func add(_ other: WaveTally) {
        newPartitions += other.newPartitions
        newPartitionRows += other.newPartitionRows
        newRows += other.newRows
        overwrites += other.overwrites
        rewrites += other.rewrites
        rowDeletions += other.rowDeletions
        rangeDeletions += other.rangeDeletions
        partitionDeletions += other.partitionDeletions
        collectionDeletions += other.collectionDeletions
        staticUpdates += other.staticUpdates
        ttlWrites += other.ttlWrites
        expiredSincePreviousWave += other.expiredSincePreviousWave
    }
}
