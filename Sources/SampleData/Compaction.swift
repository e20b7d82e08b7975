import CQL
import SSTable

/// Cassandra's compaction of one partition held by several SSTables into one SSTable
/// (`CompactionIterator`): the inputs merged — newest cell wins (`Cells.reconcile`), counter
/// shards merged by clock, data shadowed by a partition, range, row or collection deletion
/// dropped, a row deletion a range or partition deletion supersedes dropped, overlapping range
/// tombstones cut into the largest deletion over each stretch — then purged (`PurgeFunction`):
/// a tombstone goes once its local deletion time is before `gcBefore` (now − gc_grace_seconds)
/// and its timestamp is below every timestamp of the other SSTables that hold the partition
/// (`CompactionController.getPurgeEvaluator`); an expired TTL cell that may not go yet becomes a
/// tombstone dated at its write (`Cell.purge`); an expired row marker stays until it may go.
struct Compaction {
    let statics: [ColumnSchema]
    let regulars: [ColumnSchema]
    let clusteringOrder: GeneratedClusteringOrder
    /// When the compaction runs (seconds).
    let now: Int64
    /// Tombstones deleted before this (seconds) may be purged.
    let gcBefore: Int64

    /// Cassandra's default `gc_grace_seconds`: 10 days.
    static let defaultGCGrace: Int64 = 864_000

    init(schema: TableSchema, now: Int64, gcGrace: Int64 = defaultGCGrace) {
        let columns = SSTableWriter.columnOrder(schema)
        statics = columns.statics
        regulars = columns.regulars
        clusteringOrder = GeneratedClusteringOrder(schema)
        self.now = now
        gcBefore = now - gcGrace
    }

    /// The compacted partition, or nil when nothing of it is left. `maxPurgeable`: the smallest
    /// minimum timestamp of the other SSTables holding the key (`Int64.max`: none).
    func compact(_ inputs: [PartitionUpdate], maxPurgeable: Int64) -> PartitionUpdate? {
        func purgeable(_ timestamp: Int64, _ localDeletionTime: Int64) -> Bool { localDeletionTime < gcBefore && timestamp < maxPurgeable }
        func purged(_ d: DeletionTime) -> DeletionTime { !d.isLive && purgeable(d.markedForDeleteAt, d.localDeletionTime) ? .live : d }
        let partitionDeletion = inputs.map(\.deletion).reduce(DeletionTime.live) { $0.merged(with: $1) }
        let ranges = inputs.flatMap(\.rangeTombstones)
        var out = PartitionUpdate(key: inputs[0].key, deletion: purged(partitionDeletion))
        out.rangeTombstones = mergedRanges(ranges, above: partitionDeletion).compactMap { rt in
            var rt = rt
            rt.deletion = purged(rt.deletion)
            return rt.deletion.isLive ? nil : rt
        }
        let staticRows = inputs.compactMap(\.staticRow)
        if !staticRows.isEmpty, let row = merge(staticRows, columns: statics, active: partitionDeletion, purgeable: purgeable) {
            out.staticRow = row
        }
        let all = inputs.flatMap(\.rows).sorted { clusteringOrder.compare($0.clustering, $1.clustering) < 0 }
        var start = 0
        while start < all.count {
            var end = start + 1
            while end < all.count, clusteringOrder.compare(all[start].clustering, all[end].clustering) == 0 { end += 1 }
            var active = partitionDeletion
            for rt in ranges where clusteringOrder.covers(rt, all[start].clustering) { active = active.merged(with: rt.deletion) }
            if let row = merge(Array(all[start..<end]), columns: regulars, active: active, purgeable: purgeable) { out.rows.append(row) }
            start = end
        }
        guard !out.deletion.isLive || out.staticRow != nil || !out.rows.isEmpty || !out.rangeTombstones.isEmpty else { return nil }
        return out
    }

    /// One row's versions merged (`Row.Merger`) under the deletion `active` (partition and
    /// range), then purged (`Row.purge`); nil when nothing is left.
    private func merge(_ versions: [RowUpdate], columns: [ColumnSchema], active partitionOrRange: DeletionTime,
                       purgeable: (Int64, Int64) -> Bool) -> RowUpdate? {
        var row = RowUpdate(clustering: versions[0].clustering)
        var active = partitionOrRange
        let rowDeletion = versions.map(\.deletion).reduce(DeletionTime.live) { $0.merged(with: $1) }
        if !active.supersedes(rowDeletion) {
            active = rowDeletion
            if !rowDeletion.isLive, !purgeable(rowDeletion.markedForDeleteAt, rowDeletion.localDeletionTime) { row.deletion = rowDeletion }
        }
        if let liveness = versions.compactMap(\.liveness).max(by: { Self.supersedes($1, $0) }), !active.deletes(liveness.timestamp) {
            let expired = liveness.isExpiring && now >= liveness.expiresAt
            if !(expired && purgeable(liveness.timestamp, liveness.expiresAt)) { row.liveness = liveness }
        }
        for (ci, column) in columns.enumerated() {
            let cells = versions.flatMap { $0.cells.filter { $0.column == ci } }
            if column.type.isCounter {
                if let merged = Self.mergedCounter(cells), !active.deletes(merged.timestamp) { row.cells.append(merged) }
                continue
            }
            guard column.type.isMultiCell else {
                guard var best = cells.first else { continue }
                for c in cells.dropFirst() where Self.wins(c, over: best) { best = c }
                if !active.deletes(best.timestamp), let kept = purge(best, purgeable) { row.cells.append(kept) }
                continue
            }
            var cellsActive = active
            let complex = versions.flatMap { $0.complexDeletions.filter { $0.column == ci }.map(\.deletion) }.reduce(DeletionTime.live) { $0.merged(with: $1) }
            if !active.supersedes(complex), !complex.isLive {
                cellsActive = complex
                if !purgeable(complex.markedForDeleteAt, complex.localDeletionTime) { row.complexDeletions.append((ci, complex)) }
            }
            var byPath: [[UInt8]: CellUpdate] = [:]
            for c in cells {
                guard let path = c.path else { continue }
                if let old = byPath[path], !Self.wins(c, over: old) { continue }
                byPath[path] = c
            }
            for c in byPath.values where !cellsActive.deletes(c.timestamp) {
                if let kept = purge(c, purgeable) { row.cells.append(kept) }
            }
        }
        guard row.liveness != nil || !row.deletion.isLive || !row.cells.isEmpty || !row.complexDeletions.isEmpty else { return nil }
        return row
    }

    /// `Cell.purge`: a tombstone or expired cell goes when purgeable; an expired one that may not
    /// go yet becomes a tombstone at its write time (expiry − TTL), which goes if that is purgeable.
    private func purge(_ cell: CellUpdate, _ purgeable: (Int64, Int64) -> Bool) -> CellUpdate? {
        let live = !cell.isTombstone && (!cell.isExpiring || now < cell.localDeletionTime)
        guard !live else { return cell }
        if purgeable(cell.timestamp, cell.localDeletionTime) { return nil }
        guard cell.isExpiring else { return cell }
        let writtenAt = cell.localDeletionTime - Int64(cell.ttl)
        if purgeable(cell.timestamp, writtenAt) { return nil }
        return .tombstone(column: cell.column, path: cell.path, timestamp: cell.timestamp, deletedAt: writtenAt)
    }

    /// `Cells.reconcile`: higher timestamp; on a tie a tombstone, then an expiring cell, then the
    /// later deletion time, then the greater value.
    static func wins(_ a: CellUpdate, over b: CellUpdate) -> Bool {
        if a.timestamp != b.timestamp { return a.timestamp > b.timestamp }
        if a.isTombstone != b.isTombstone { return a.isTombstone }
        if a.isExpiring != b.isExpiring { return a.isExpiring }
        if a.localDeletionTime != b.localDeletionTime { return a.localDeletionTime > b.localDeletionTime }
        return b.value.lexicographicallyPrecedes(a.value)
    }

    /// `LivenessInfo.supersedes`: higher timestamp; on a tie an expiring one, then the later expiry.
    static func supersedes(_ a: RowLiveness, _ b: RowLiveness) -> Bool {
        if a.timestamp != b.timestamp { return a.timestamp > b.timestamp }
        if a.isExpiring != b.isExpiring { return a.isExpiring }
        return a.expiresAt > b.expiresAt
    }

    /// Counter cells of one column merged (`CounterContext.merge` of global shards): per counter
    /// id the highest clock wins; shards in id order; the newest timestamp.
    static func mergedCounter(_ cells: [CellUpdate]) -> CellUpdate? {
        guard let newest = cells.max(by: { $0.timestamp < $1.timestamp }) else { return nil }
        var shards: [[UInt8]: (clock: Int64, count: Int64)] = [:]
        for c in cells {
            let v = c.value
            var o = 2 + 2 * (Int(v[0]) << 8 | Int(v[1]))
            while o + 32 <= v.count {
                let id = Array(v[o..<(o + 16)])
                let clock = Int64(bitPattern: v[(o + 16)..<(o + 24)].reduce(0) { $0 << 8 | UInt64($1) })
                let count = Int64(bitPattern: v[(o + 24)..<(o + 32)].reduce(0) { $0 << 8 | UInt64($1) })
                if let old = shards[id], old.clock > clock || (old.clock == clock && old.count >= count) {
                    o += 32
                    continue
                }
                shards[id] = (clock, count)
                o += 32
            }
        }
        let ids = shards.keys.sorted { $0.lexicographicallyPrecedes($1) }
        var value: [UInt8] = []
        value.appendBE(UInt64(ids.count), bytes: 2)
        for j in ids.indices { value.appendBE(UInt64(0x8000 + j), bytes: 2) }
        for id in ids {
            value += id
            value.appendBE(UInt64(bitPattern: shards[id]!.clock), bytes: 8)
            value.appendBE(UInt64(bitPattern: shards[id]!.count), bytes: 8)
        }
        return CellUpdate(column: newest.column, value: value, timestamp: newest.timestamp)
    }

    // MARK: Range tombstones

    /// A position between clusterings: just before (`after` false) or just after every
    /// clustering that starts with `prefix`.
    private struct Position {
        var prefix: [[UInt8]?]
        var after: Bool
    }

    private func compare(_ a: Position, _ b: Position) -> Int {
        let order = clusteringOrder.compare(a.prefix, b.prefix)
        if order != 0 { return order }
        if a.prefix.count != b.prefix.count { return a.prefix.count < b.prefix.count ? (a.after ? 1 : -1) : (b.after ? -1 : 1) }
        return a.after == b.after ? 0 : (a.after ? 1 : -1)
    }

    /// Range tombstones cut where the largest deletion over them changes (`RangeTombstoneMarker.Merger`),
    /// without stretches a partition deletion `above` supersedes; adjacent stretches of one
    /// deletion are one tombstone.
    private func mergedRanges(_ ranges: [RangeTombstone], above partitionDeletion: DeletionTime) -> [RangeTombstone] {
        guard !ranges.isEmpty else { return [] }
        let spans = ranges.map { (start: Position(prefix: $0.start, after: !$0.startInclusive), end: Position(prefix: $0.end, after: $0.endInclusive), deletion: $0.deletion) }
        var points = spans.flatMap { [$0.start, $0.end] }.sorted { compare($0, $1) < 0 }
        points = points.enumerated().filter { i, p in i == 0 || compare(points[i - 1], p) != 0 }.map(\.1)
        var out: [(start: Position, end: Position, deletion: DeletionTime)] = []
        for (a, b) in zip(points, points.dropFirst()) {
            var d = DeletionTime.live
            for s in spans where compare(s.start, a) <= 0 && compare(s.end, b) >= 0 { d = d.merged(with: s.deletion) }
            if partitionDeletion.supersedes(d) { d = .live }
            guard !d.isLive else { continue }
            if let last = out.last, last.deletion == d, compare(last.end, a) == 0 {
                out[out.count - 1].end = b
            } else {
                out.append((a, b, d))
            }
        }
        return out.map { RangeTombstone(start: $0.start.prefix, startInclusive: !$0.start.after, end: $0.end.prefix, endInclusive: $0.end.after, deletion: $0.deletion) }
    }
}
