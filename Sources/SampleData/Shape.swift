/// How generated data looks: partition width, overwrite and deletion rates, TTLs, how many
/// SSTables a partition spreads over. Rates are probabilities per partition, row or cell.
public struct Shape: Sendable {
    public var rowsPerPartition: ClosedRange<Int> = 1...8
    /// Chance a partition also appears in each later SSTable (overwrites, deletions, new rows).
    public var overlap: Double = 0.4
    /// In a later SSTable, the share of a partition's rows written again.
    public var rewriteShare: Double = 0.3
    /// Chance a row is written with `INSERT` (primary-key liveness) rather than `UPDATE`.
    public var insertChance: Double = 0.6
    /// Chance a regular column gets a value in a row write.
    public var cellChance: Double = 0.8
    public var cellDeleteChance: Double = 0.05
    public var rowDeleteChance: Double = 0.05
    /// Per later SSTable: partition tombstone, range tombstone.
    public var partitionDeleteChance: Double = 0.03
    public var rangeDeleteChance: Double = 0.1
    public var ttlChance: Double = 0.1
    /// TTLs in seconds; writes happen about 30 days before `now`, so TTLs under 30 days have
    /// expired, and ``expiresAfterNow`` runs out about 6 hours after `now`: before a later wave's.
    public var ttls: [Int32] = [7 * 86400, Shape.expiresAfterNow, 90 * 86400, 365 * 86400]
    /// A TTL that written at the first wave's timestamps expires about 6 hours after its `now`.
    public static let expiresAfterNow: Int32 = 30 * 86400 + 6 * 3600
    /// Chance a write carries an old timestamp (it loses to everything newer).
    public var staleWriteChance: Double = 0.05
    /// Chance a non-frozen collection write replaces the whole collection (complex deletion first).
    public var collectionReplaceChance: Double = 0.3
    public var staticChance: Double = 0.7
    /// Elements per collection, characters per text (roughly).
    public var valueSize: Int = 3

    public init() {}
}
