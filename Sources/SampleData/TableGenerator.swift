import CQL
import SSTable

/// Random partitions of any table, spread over several SSTables the way a cluster accumulates
/// them: first writes, then overwrites, new rows, deletions and TTLs in later SSTables. Every
/// write in a partition gets its own timestamp, so the newest write is never ambiguous.
public struct TableGenerator {
    public let schema: TableSchema
    public let shape: Shape
    public let statics: [ColumnSchema]
    public let regulars: [ColumnSchema]
    /// Write timestamps start here (µs); `now` is in seconds.
    public internal(set) var baseTimestamp: Int64
    public internal(set) var now: Int64
    /// Per column name: a custom value maker (profiles); others are random for their type.
    public var valueMakers: [String: @Sendable (inout SampleRandom, _ row: Int) -> [UInt8]] = [:]
    /// Custom clustering values for row `i` of a partition (profiles); nil: random.
    public var clusteringMaker: (@Sendable (inout SampleRandom, _ row: Int) -> [[UInt8]?])?
    /// Counter ids standing for the nodes that applied increments.
    var counterIDs = Self.counterIDs(wave: 1)

    /// Three counter ids of a wave's nodes, in byte order (shards in a context are sorted by id):
    /// each later wave's increments come from other nodes (first byte 0x80 + wave), so their
    /// shards add to the earlier ones' (a node's own shard would need its clock).
    static func counterIDs(wave: Int) -> [[UInt8]] {
        (0..<3).map { i in
            (0..<16).map { b in b == 0 && wave > 1 ? UInt8(truncatingIfNeeded: 0x80 + wave) : UInt8(truncatingIfNeeded: b * 7 + i * 31 + 1) }
        }
    }

    public init(schema: TableSchema, shape: Shape, now: Int64) {
        self.schema = schema
        self.shape = shape
        let columns = SSTableWriter.columnOrder(schema)
        statics = columns.statics
        regulars = columns.regulars
        self.now = now
        baseTimestamp = (now - 30 * 86400) * 1_000_000
    }

    var isCounterTable: Bool { schema.isCounterTable }

    /// A partition key made of random values for each key column, redrawn when empty: Cassandra
    /// refuses an empty partition key ("Key may not be empty"), though a composite's component may be.
    public func randomKey(_ rng: inout SampleRandom) -> [UInt8] {
        var key: [UInt8] = []
        for _ in 0..<64 {
            key = Self.partitionKey(schema.partitionKey.map { value(for: $0, &rng, row: 0) })
            if !key.isEmpty { break }
        }
        return key
    }

    /// The serialized key: the value for one column, a CompositeType for several.
    public static func partitionKey(_ parts: [[UInt8]]) -> [UInt8] {
        guard parts.count > 1 else { return parts[0] }
        var out: [UInt8] = []
        for p in parts {
            out.appendBE(UInt64(p.count), bytes: 2)
            out += p
            out.append(0)
        }
        return out
    }

    func value(for column: ColumnSchema, _ rng: inout SampleRandom, row: Int) -> [UInt8] {
        if let make = valueMakers[column.name] { return make(&rng, row) }
        return ValueGenerator.value(column.type, &rng, size: shape.valueSize)
    }

    /// Timestamps handed out in one partition: increasing, or old ("stale") ones that lose.
    struct Clock {
        var base: Int64
        var seq: Int64 = 1
        mutating func next(_ rng: inout SampleRandom, staleChance: Double) -> Int64 {
            seq += 1
            return rng.chance(staleChance) ? base - seq * 1000 - 1_000_000_000 : base + seq * 1000
        }
    }

    /// One partition's updates, one per SSTable (nil where the partition is not in that SSTable).
    public func partition(key: [UInt8], sstables: Int, _ rng: inout SampleRandom) -> [PartitionUpdate?] {
        var clock = Clock(base: baseTimestamp + Int64(rng.int(0..<1_000_000)))
        // The partition's clusterings, distinct and sorted.
        var pool: [[[UInt8]?]] = []
        if !schema.clustering.isEmpty {
            let n = rng.int(shape.rowsPerPartition)
            for i in 0..<n {
                let c = clusteringMaker?(&rng, i) ?? schema.clustering.map { Optional(value(for: $0, &rng, row: i)) }
                pool.append(c)
            }
            let order = schema.clustering.map(\.type)
            pool.sort { compare($0, $1, order) < 0 }
            pool = pool.enumerated().filter { i, c in i == 0 || compare(pool[i - 1], c, order) != 0 }.map(\.1)
        } else {
            pool = [[]]
        }
        var counters: [[Int]: (clock: Int64, count: Int64)] = [:]
        var out: [PartitionUpdate?] = []
        for k in 0..<sstables {
            guard k == 0 || rng.chance(shape.overlap) else {
                out.append(nil)
                continue
            }
            var p = PartitionUpdate(key: key)
            if k > 0, !isCounterTable, rng.chance(shape.partitionDeleteChance) {
                p.deletion = deletion(clock.next(&rng, staleChance: 0))
            }
            if !statics.isEmpty, rng.chance(shape.staticChance) {
                p.staticRow = row(clustering: [], columns: statics, index: 0, &rng, &clock, &counters, liveness: false)
            }
            for (i, c) in pool.enumerated() where k == 0 || rng.chance(shape.rewriteShare) {
                if !isCounterTable, !schema.clustering.isEmpty, rng.chance(shape.rowDeleteChance) {
                    p.rows.append(RowUpdate(clustering: c, deletion: deletion(clock.next(&rng, staleChance: shape.staleWriteChance))))
                    continue
                }
                let r = row(clustering: c, columns: regulars, index: i, &rng, &clock, &counters, liveness: true)
                if !r.cells.isEmpty || r.liveness != nil { p.rows.append(r) }
            }
            if !isCounterTable, pool.count >= 2, k > 0 || sstables == 1, rng.chance(shape.rangeDeleteChance) {
                p.rangeTombstones.append(rangeTombstone(pool, &rng, &clock))
            }
            if p.rows.isEmpty && p.staticRow == nil && p.deletion.isLive && p.rangeTombstones.isEmpty {
                // Cassandra writes no empty partitions: an old tombstone that shadows nothing.
                p.deletion = deletion(clock.next(&rng, staleChance: 1))
            }
            out.append(p)
        }
        return out
    }

    func deletion(_ ts: Int64) -> DeletionTime {
        DeletionTime(markedForDeleteAt: ts, localDeletionTime: ts / 1_000_000)
    }

    func compare(_ a: [[UInt8]?], _ b: [[UInt8]?], _ types: [CQLType]) -> Int {
        for i in 0..<min(a.count, b.count) {
            let c = ValueGenerator.compare(a[i] ?? [], b[i] ?? [], types[i])
            if c != 0 { return c }
        }
        return a.count - b.count
    }

    func rangeTombstone(_ pool: [[[UInt8]?]], _ rng: inout SampleRandom, _ clock: inout Clock) -> RangeTombstone {
        var i = rng.int(0..<pool.count), j = rng.int(0..<pool.count)
        if i > j { swap(&i, &j) }
        let prefix = rng.int(1...schema.clustering.count)
        let start = Array(pool[i].prefix(prefix)), end = Array(pool[j].prefix(prefix))
        // Equal prefixes must be inclusive at both ends or the range is empty.
        let same = compare(start, end, schema.clustering.map(\.type)) == 0
        return RangeTombstone(
            start: start, startInclusive: same || rng.chance(0.7), end: end, endInclusive: same || rng.chance(0.7),
            deletion: deletion(clock.next(&rng, staleChance: shape.staleWriteChance)))
    }

    /// One row write: each column gets a cell with chance `cellChance` (default: the shape's).
    func row(
        clustering: [[UInt8]?], columns: [ColumnSchema], index: Int, _ rng: inout SampleRandom, _ clock: inout Clock,
        _ counters: inout [[Int]: (clock: Int64, count: Int64)], liveness: Bool, cellChance: Double? = nil
    ) -> RowUpdate {
        let ts = clock.next(&rng, staleChance: shape.staleWriteChance)
        let seconds = ts / 1_000_000
        var r = RowUpdate(clustering: clustering)
        var ttl: Int32 = 0
        if !isCounterTable, rng.chance(shape.ttlChance) { ttl = rng.pick(shape.ttls) }
        if liveness, !isCounterTable, rng.chance(shape.insertChance) {
            r.liveness = RowLiveness(timestamp: ts, ttl: ttl, expiresAt: seconds + Int64(ttl))
        }
        for (ci, column) in columns.enumerated() where rng.chance(cellChance ?? shape.cellChance) {
            if column.type.isCounter {
                r.cells.append(CellUpdate(column: ci, value: counterContext(row: index, column: ci, &counters, &rng), timestamp: ts))
                continue
            }
            if rng.chance(shape.cellDeleteChance) && !column.type.isMultiCell {
                r.cells.append(.tombstone(column: ci, timestamp: ts, deletedAt: seconds))
                continue
            }
            if column.type.isMultiCell {
                if rng.chance(shape.collectionReplaceChance) {
                    r.complexDeletions.append((ci, DeletionTime(markedForDeleteAt: ts - 1, localDeletionTime: seconds)))
                }
                for (path, v) in elements(column.type, ts: ts, &rng) {
                    if rng.chance(shape.cellDeleteChance) {
                        r.cells.append(.tombstone(column: ci, path: path, timestamp: ts, deletedAt: seconds))
                    } else {
                        r.cells.append(CellUpdate(column: ci, path: path, value: v, timestamp: ts, ttl: ttl, expiresAt: seconds + Int64(ttl)))
                    }
                }
                continue
            }
            r.cells.append(CellUpdate(column: ci, value: value(for: column, &rng, row: index), timestamp: ts, ttl: ttl, expiresAt: seconds + Int64(ttl)))
        }
        return r
    }

    /// Elements of a non-frozen collection or UDT as (cell path, cell value).
    private func elements(_ type: CQLType, ts: Int64, _ rng: inout SampleRandom) -> [([UInt8], [UInt8])] {
        let n = rng.int(1...max(1, shape.valueSize))
        switch type {
        case .list(let e, _):
            return (0..<n).map { i in (ValueGenerator.timeUUID(millis: ts / 1000, &rng, sub: Int64(i)), ValueGenerator.value(e, &rng, size: 1)) }
        case .set(let e, _):
            return ValueGenerator.sortedUnique((0..<n).map { _ in ValueGenerator.value(e, &rng, size: 1) }, e).map { ($0, []) }
        case .map(let k, let v, _):
            return ValueGenerator.sortedUnique((0..<n).map { _ in ValueGenerator.value(k, &rng, size: 1) }, k).map { ($0, ValueGenerator.value(v, &rng, size: 1)) }
        case .udt(let u, _):
            return u.fieldTypes.indices.filter { _ in rng.chance(0.7) }.map { f in
                ([UInt8(f >> 8), UInt8(f & 0xFF)], ValueGenerator.value(u.fieldTypes[f], &rng, size: 1))
            }
        default:
            return []
        }
    }

    /// A counter context of global shards (header count, −32768 per shard; id, clock, count):
    /// a few nodes increment; each shard carries that node's running total.
    private func counterContext(row: Int, column: Int, _ state: inout [[Int]: (clock: Int64, count: Int64)], _ rng: inout SampleRandom) -> [UInt8] {
        let ids = counterIDs.indices.filter { _ in rng.chance(0.6) }
        let chosen = ids.isEmpty ? [rng.int(0..<counterIDs.count)] : ids
        var out: [UInt8] = []
        out.appendBE(UInt64(chosen.count), bytes: 2)
        for j in chosen.indices { out.appendBE(UInt64(0x8000 + j), bytes: 2) }
        for id in chosen {
            var s = state[[row, column, id]] ?? (0, 0)
            s.clock += 1
            s.count += Int64(rng.int(-5...50))
            state[[row, column, id]] = s
            out += counterIDs[id]
            out.appendBE(UInt64(bitPattern: s.clock), bytes: 8)
            out.appendBE(UInt64(bitPattern: s.count), bytes: 8)
        }
        return out
    }
}
