import CQL

/// Gathers the statistics Statistics.db carries while partitions are written, as Cassandra's
/// `MetadataCollector` does: timestamp, deletion-time and TTL ranges, partition-size and
/// cell-count histograms, tombstone drop times, min/max clustering values, row and column counts,
/// and the key cardinality estimator.
struct MetadataCollector {
    var minTimestamp = Int64.max, maxTimestamp = Int64.min
    var minLocalDeletionTime = Int64(Int32.max), maxLocalDeletionTime = Int64(Int32.max)
    private var deletionTimeSet = false
    var minTTL: Int32 = 0, maxTTL: Int32 = 0
    private var ttlSet = false
    var partitionSizes = EstimatedHistogram(bucketCount: 150)
    var cellsPerPartition = EstimatedHistogram(bucketCount: 118)
    var tombstoneDropTimes = TombstoneHistogram()
    var totalColumnsSet: Int64 = 0
    var totalRows: Int64 = 0
    var cardinality = HyperLogLogPlus()
    /// Per clustering component: the smallest and largest value seen (by the column's comparator).
    var minClustering: [[UInt8]?]
    var maxClustering: [[UInt8]?]
    let clusteringTypes: [CQLType]

    init(clusteringTypes: [CQLType]) {
        self.clusteringTypes = clusteringTypes
        minClustering = Array(repeating: nil, count: clusteringTypes.count)
        maxClustering = minClustering
    }

    var hasTimestamps: Bool { minTimestamp <= maxTimestamp }

    @inline(__always)
    mutating func updateTimestamp(_ ts: Int64) {
        if ts < minTimestamp { minTimestamp = ts }
        if ts > maxTimestamp { maxTimestamp = ts }
    }

    @inline(__always)
    mutating func updateLocalDeletionTime(_ ldt: Int64) {
        if !deletionTimeSet {
            minLocalDeletionTime = ldt
            maxLocalDeletionTime = ldt
            deletionTimeSet = true
        } else {
            minLocalDeletionTime = min(minLocalDeletionTime, ldt)
            maxLocalDeletionTime = max(maxLocalDeletionTime, ldt)
        }
        if ldt != Int64(Int32.max) { tombstoneDropTimes.update(ldt) }
    }

    @inline(__always)
    mutating func updateTTL(_ ttl: Int32) {
        if !ttlSet {
            minTTL = ttl
            maxTTL = ttl
            ttlSet = true
        } else {
            minTTL = min(minTTL, ttl)
            maxTTL = max(maxTTL, ttl)
        }
    }

    mutating func update(_ deletion: DeletionTime) {
        guard !deletion.isLive else { return }
        updateTimestamp(deletion.markedForDeleteAt)
        updateLocalDeletionTime(deletion.localDeletionTime)
    }

    mutating func update(_ liveness: RowLiveness) {
        updateTimestamp(liveness.timestamp)
        updateTTL(liveness.ttl)
        updateLocalDeletionTime(liveness.isExpiring ? liveness.expiresAt : Int64(Int32.max))
    }

    @inline(__always)
    mutating func update(_ cell: CellUpdate) {
        updateTimestamp(cell.timestamp)
        updateTTL(cell.isTombstone ? 0 : cell.ttl)
        updateLocalDeletionTime(cell.localDeletionTime)
    }

    /// `updateClusteringValues`: per component min and max (nulls are skipped).
    mutating func updateClustering(_ clustering: [[UInt8]?]) {
        for (i, value) in clustering.enumerated() {
            guard let value else { continue }
            let type = clusteringTypes[i]
            if let current = minClustering[i] {
                let order = current.withUnsafeBytes { a in value.withUnsafeBytes { b in type.compare(a, b) } }
                if order > 0 { minClustering[i] = value }
            } else {
                minClustering[i] = value
            }
            if let current = maxClustering[i] {
                let order = current.withUnsafeBytes { a in value.withUnsafeBytes { b in type.compare(a, b) } }
                if order < 0 { maxClustering[i] = value }
            } else {
                maxClustering[i] = value
            }
        }
    }

    /// `MetadataCollector.makeList`: the values up to the first missing one.
    static func prefixList(_ values: [[UInt8]?]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for v in values {
            guard let v else { break }
            out.append(v)
        }
        return out
    }
}
