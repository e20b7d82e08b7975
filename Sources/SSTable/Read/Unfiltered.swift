/// One cell of a row, pointing into its `Unfiltered`'s storage.
struct CellRecord {
    /// Index into the SSTable header's static or regular columns.
    var column: Int32
    var flags: CellFlags
    var timestamp: Int64
    /// `CellConstants.noDeletionTime` unless deleted or expiring.
    var localDeletionTime: Int64
    var ttl: Int32
    /// Cell path (complex columns), as a byte range of storage; empty range and `hasPath == false` for simple cells.
    var pathStart: Int32
    var pathEnd: Int32
    var valueStart: Int32
    var valueEnd: Int32

    var isTombstone: Bool { flags.contains(.deleted) }
    var isExpiring: Bool { ttl != CellConstants.noTTL && !flags.contains(.deleted) }

    /// Cassandra's `Cell.isLive(nowInSec)`.
    @inline(__always)
    func isLive(now: Int64) -> Bool {
        if flags.contains(.deleted) { return false }
        return localDeletionTime == CellConstants.noDeletionTime || (ttl != CellConstants.noTTL && now < localDeletionTime)
    }
}

/// Simple cell flags (`Cell.Serializer`).
struct CellFlags: OptionSet {
    let rawValue: UInt8
    static let deleted = CellFlags(rawValue: 0x01)
    static let expiring = CellFlags(rawValue: 0x02)
    static let emptyValue = CellFlags(rawValue: 0x04)
    static let useRowTimestamp = CellFlags(rawValue: 0x08)
    static let useRowTTL = CellFlags(rawValue: 0x10)
}

/// One clustering value: a byte range of storage, or null.
struct ClusteringSlot {
    var start: Int32
    var end: Int32
    static let null = ClusteringSlot(start: -1, end: -1)
    var isNull: Bool { start < 0 }
}

/// A row liveness (primary-key) info: `timestamp == .min` when absent.
struct LivenessInfo {
    var timestamp: Int64 = .min
    var ttl: Int32 = CellConstants.noTTL
    var localExpirationTime: Int64 = CellConstants.noDeletionTime

    static let empty = LivenessInfo()
    var isEmpty: Bool { timestamp == .min }
    var isExpiring: Bool { ttl != CellConstants.noTTL }

    func isLive(now: Int64) -> Bool {
        !isEmpty && ttl != CellConstants.expiredLivenessTTL && (!isExpiring || now < localExpirationTime)
    }

    /// Cassandra's `LivenessInfo.supersedes`.
    func supersedes(_ other: LivenessInfo) -> Bool {
        if timestamp != other.timestamp { return timestamp > other.timestamp }
        let expired = ttl == CellConstants.expiredLivenessTTL, otherExpired = other.ttl == CellConstants.expiredLivenessTTL
        if expired != otherExpired { return expired }
        if isExpiring == other.isExpiring { return localExpirationTime > other.localExpirationTime }
        return isExpiring
    }
}

/// Clustering bound kinds (`ClusteringPrefix.Kind`), by ordinal.
enum BoundKind: UInt8 {
    case exclusiveEnd = 0, inclusiveStart = 1, exclusiveEndInclusiveStart = 2, staticClustering = 3
    case clustering = 4, inclusiveEndExclusiveStart = 5, inclusiveEnd = 6, exclusiveStart = 7

    /// Where a bound sorts relative to the clusterings it is a prefix of.
    var comparedToClustering: Int {
        switch self {
        case .exclusiveEnd, .inclusiveStart, .exclusiveEndInclusiveStart, .staticClustering: return -1
        case .clustering: return 0
        case .inclusiveEndExclusiveStart, .inclusiveEnd, .exclusiveStart: return 1
        }
    }

    /// Order among kinds at the same prefix (`Kind.comparisonOrder`).
    var comparisonOrder: Int {
        switch self {
        case .exclusiveEnd, .inclusiveStart, .exclusiveEndInclusiveStart: return 0
        case .staticClustering: return 1
        case .clustering: return 2
        case .inclusiveEndExclusiveStart, .inclusiveEnd, .exclusiveStart: return 3
        }
    }

    var isBoundary: Bool { self == .exclusiveEndInclusiveStart || self == .inclusiveEndExclusiveStart }
    var isStart: Bool { self == .inclusiveStart || self == .exclusiveStart }
    var isEnd: Bool { self == .inclusiveEnd || self == .exclusiveEnd }
}

/// A decoded row, static row or range tombstone marker. Reused from one read to the next: its
/// lists keep their memory, so reading allocates nothing per cell.
struct Unfiltered {
    enum Kind { case row, staticRow, marker }

    var kind: Kind = .row
    /// The unfiltered's raw bytes, which every range below points into: `window` when set, else
    /// `storage`. A 3.0+ row points into its scanner's decompressed window (no copy), valid
    /// until that scanner reads on; `ownBytes()` copies them into `storage` to keep the row longer.
    var window: UnsafeRawBufferPointer?
    var storage = RecordList<UInt8>()
    var clustering = RecordList<ClusteringSlot>()
    /// For markers: the bound kind. Rows are `.clustering`, static rows `.staticClustering`.
    var boundKind: BoundKind = .clustering
    var liveness = LivenessInfo()
    var deletion = DeletionTime.live
    var cells = RecordList<CellRecord>()
    /// Complex-column deletions: (header column index, deletion).
    var complexDeletions: [(column: Int32, deletion: DeletionTime)] = []
    /// Markers: the deletion a bound opens or closes; a boundary closes `endDeletion` and opens `deletion`.
    var endDeletion = DeletionTime.live
    /// 2.x range tombstones are whole ranges, not open/close markers: the end bound's kind and
    /// clustering prefix (nil for 3.0+ markers).
    var rangeEndKind: BoundKind?
    var rangeEndClustering = RecordList<ClusteringSlot>()

    /// A 2.x range's end as a bound of its own (same storage).
    var rangeEndBound: Unfiltered {
        var end = self
        end.boundKind = rangeEndKind ?? .inclusiveEnd
        end.clustering = rangeEndClustering
        end.rangeEndKind = nil
        return end
    }

    mutating func reset(kind: Kind) {
        self.kind = kind
        window = nil
        clustering.removeAll()
        cells.removeAll()
        complexDeletions.empty()
        boundKind = kind == .staticRow ? .staticClustering : .clustering
        liveness = .empty
        deletion = .live
        endDeletion = .live
        rangeEndKind = nil
    }

    /// Bytes `start..<end` of the unfiltered's raw bytes.
    @inline(__always)
    func bytes(_ start: Int32, _ end: Int32) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: (window ?? storage.bytes)[Int(start)..<Int(end)])
    }

    /// Copies bytes that point into a scanner's window into `storage`, so the unfiltered stays
    /// valid while the scanner reads on (a partition's static row).
    mutating func ownBytes() {
        guard let window else { return }
        storage.removeAll()
        storage.append(contentsOf: window)
        self.window = nil
    }
}

extension Array {
    /// Removes every element and keeps the capacity. A row holds a few elements, and removing
    /// them one by one costs less than `removeAll(keepingCapacity:)`, whose generic range
    /// replacement was ~5% of reading narrow rows; an empty array is left alone (emptying the
    /// shared empty array would allocate).
    @inline(__always)
    mutating func empty() {
        while !isEmpty { removeLast() }
    }
}
