import CQL
import SSTable

/// Later waves: what the application writes after an earlier wave's `now` — new partitions and
/// rows, overwrites of some columns, whole rewrites (with TTLs), row, range, partition and
/// collection deletions, static updates — into a share of a table's rows.
extension TableGenerator {
    /// This generator for wave `wave` (2, 3, …): writes dated from about 33 minutes after the
    /// previous wave's `now` (stale writes, at most about 17 minutes older, stay after it too)
    /// and judged at `now`; counters incremented by other nodes than earlier waves'.
    public func laterWave(_ wave: Int, after previousNow: Int64, now: Int64) -> TableGenerator {
        var g = self
        g.now = now
        g.baseTimestamp = previousNow * 1_000_000 + 2_000_000_000
        g.counterIDs = Self.counterIDs(wave: wave)
        return g
    }

    /// A partition this wave creates (written in one SSTable).
    public func newPartition(key: [UInt8], _ rng: inout SampleRandom, tally: inout WaveTally) -> PartitionUpdate {
        let p = partition(key: key, sstables: 1, &rng)[0]!
        tally.newPartitions += 1
        tally.newPartitionRows += p.rows.count
        tally.ttlWrites += Self.ttlRows(p)
        return p
    }

    /// The change this wave makes to an existing partition, given every update of it so far
    /// (nil: unchanged). Each existing row changes with chance `share`.
    public func change(of earlier: [PartitionUpdate], share: Double, _ rng: inout SampleRandom, tally: inout WaveTally) -> PartitionUpdate? {
        var clock = Clock(base: baseTimestamp + Int64(rng.int(0..<1_000_000)))
        var counters: [[Int]: (clock: Int64, count: Int64)] = [:]
        let pool = clusterings(of: earlier)
        var p = PartitionUpdate(key: earlier[0].key)
        var t = WaveTally()
        if !isCounterTable, rng.chance(share * 0.05) {
            p.deletion = deletion(clock.next(&rng, staleChance: 0))
            t.partitionDeletions += 1
        }
        if !statics.isEmpty, rng.chance(share * 2) {
            let s = row(clustering: [], columns: statics, index: 0, &rng, &clock, &counters, liveness: false, cellChance: 0.5)
            if !s.cells.isEmpty || !s.complexDeletions.isEmpty {
                p.staticRow = s
                t.staticUpdates += 1
            }
        }
        let collections = regulars.indices.filter { regulars[$0].type.isMultiCell }
        for (i, c) in pool.enumerated() where rng.chance(share) {
            let kind = isCounterTable ? 0 : rng.int(0..<100)
            if kind >= 65, kind < 80, !schema.clustering.isEmpty {
                p.rows.append(RowUpdate(clustering: c, deletion: deletion(clock.next(&rng, staleChance: 0))))
                t.rowDeletions += 1
            } else if kind >= 80, let ci = collections.isEmpty ? nil : rng.pick(collections) {
                let ts = clock.next(&rng, staleChance: 0)
                p.rows.append(RowUpdate(clustering: c, complexDeletions: [(ci, deletion(ts))]))
                t.collectionDeletions += 1
            } else if kind >= 45, kind < 65 {
                p.rows.append(row(clustering: c, columns: regulars, index: i, &rng, &clock, &counters, liveness: true))
                t.rewrites += 1
            } else {
                let r = row(clustering: c, columns: regulars, index: i, &rng, &clock, &counters, liveness: false, cellChance: 0.4)
                guard !r.cells.isEmpty || !r.complexDeletions.isEmpty else { continue }
                p.rows.append(r)
                t.overwrites += 1
            }
        }
        if !schema.clustering.isEmpty {
            let order = schema.clustering.map(\.type)
            for j in 0..<max(1, pool.count / 4) where rng.chance(share) {
                let index = pool.count + j
                let c = clusteringMaker?(&rng, index) ?? schema.clustering.map { Optional(value(for: $0, &rng, row: index)) }
                guard !pool.contains(where: { compare($0, c, order) == 0 }), !p.rows.contains(where: { compare($0.clustering, c, order) == 0 }) else { continue }
                let r = row(clustering: c, columns: regulars, index: index, &rng, &clock, &counters, liveness: true)
                guard !r.cells.isEmpty || r.liveness != nil else { continue }
                p.rows.append(r)
                t.newRows += 1
            }
        }
        if !isCounterTable, pool.count >= 2, rng.chance(share * 0.5) {
            p.rangeTombstones.append(rangeTombstone(pool, &rng, &clock))
            t.rangeDeletions += 1
        }
        guard p.staticRow != nil || !p.rows.isEmpty || !p.rangeTombstones.isEmpty || !p.deletion.isLive else { return nil }
        t.ttlWrites = Self.ttlRows(p)
        tally.add(t)
        return p
    }

    /// Rows (and the static row) of `updates` with a cell or row marker whose TTL runs out after
    /// `previousNow` and by this generator's `now`.
    public func expiring(_ updates: [PartitionUpdate], after previousNow: Int64) -> Int {
        func expires(_ at: Int64) -> Bool { previousNow < at && at <= now }
        return updates.flatMap { u in u.rows + (u.staticRow.map { [$0] } ?? []) }.filter { r in
            r.liveness.map { $0.isExpiring && expires($0.expiresAt) } == true || r.cells.contains { $0.isExpiring && expires($0.localDeletionTime) }
        }.count
    }

    /// The distinct clusterings rows of `updates` were written at, sorted; `[[]]` without clustering columns.
    func clusterings(of updates: [PartitionUpdate]) -> [[[UInt8]?]] {
        guard !schema.clustering.isEmpty else { return [[]] }
        let order = schema.clustering.map(\.type)
        let all = updates.flatMap { $0.rows.map(\.clustering) }.sorted { compare($0, $1, order) < 0 }
        return all.enumerated().filter { i, c in i == 0 || compare(all[i - 1], c, order) != 0 }.map(\.1)
    }

    /// Rows and static rows of `p` written with a TTL.
    static func ttlRows(_ p: PartitionUpdate) -> Int {
        (p.rows + (p.staticRow.map { [$0] } ?? [])).filter { r in r.liveness?.isExpiring == true || r.cells.contains(where: \.isExpiring) }.count
    }
}
