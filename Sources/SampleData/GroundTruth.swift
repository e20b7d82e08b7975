import CQL
import HexCoding
import SSTable

/// The rows Cassandra returns for one partition written as several SSTables' updates: an
/// independent, deliberately simple model of reconciliation (newest timestamp wins; partition,
/// range, row and collection deletions shadow data at or before them; TTLs expire; counter
/// shards merge per counter id by clock), rendered in `SELECT JSON` form as `dump` prints it.
public struct GroundTruth {
    let schema: TableSchema
    let statics: [ColumnSchema]
    let regulars: [ColumnSchema]
    let now: Int64
    /// Output order of the non-key columns: (isStatic, index), statics first, each by name.
    private let outputOrder: [(isStatic: Bool, index: Int)]
    private let clusteringOrder: GeneratedClusteringOrder

    public init(schema: TableSchema, now: Int64) {
        self.schema = schema
        let columns = SSTableWriter.columnOrder(schema)
        statics = columns.statics
        regulars = columns.regulars
        self.now = now
        clusteringOrder = GeneratedClusteringOrder(schema)
        func byName(_ cs: [ColumnSchema], _ isStatic: Bool) -> [(Bool, Int)] {
            cs.indices.sorted { Array(cs[$0].name.utf8).lexicographicallyPrecedes(Array(cs[$1].name.utf8)) }.map { (isStatic, $0) }
        }
        outputOrder = byName(statics, true) + byName(regulars, false)
    }

    /// A reconciled cell version.
    struct Version {
        var timestamp: Int64
        var cell: CellUpdate
    }

    /// Live rows of the partition as JSON lines appended to `out`; returns how many.
    @discardableResult
    public func appendRows(of updates: [PartitionUpdate], to out: inout [UInt8]) -> Int {
        guard let key = updates.first?.key else { return 0 }
        let partitionDeletion = updates.map(\.deletion).reduce(DeletionTime.live) { $0.merged(with: $1) }
        let ranges = updates.flatMap(\.rangeTombstones)
        // Rows grouped by clustering, in clustering order.
        var groups: [[RowUpdate]] = []
        let all = updates.flatMap(\.rows).sorted { clusteringOrder.compare($0.clustering, $1.clustering) < 0 }
        for row in all {
            if let last = groups.last?.first, clusteringOrder.compare(last.clustering, row.clustering) == 0 {
                groups[groups.count - 1].append(row)
            } else {
                groups.append([row])
            }
        }
        let staticValues = resolve(updates.compactMap(\.staticRow), columns: statics, deletion: partitionDeletion)
        var count = 0
        for group in groups {
            var deletion = partitionDeletion
            for rt in ranges where clusteringOrder.covers(rt, group[0].clustering) { deletion = deletion.merged(with: rt.deletion) }
            for r in group { deletion = deletion.merged(with: r.deletion) }
            let values = resolve(group, columns: regulars, deletion: deletion)
            var live = values.contains { $0 != nil }
            if !live {
                let liveness = group.compactMap(\.liveness).max { $0.timestamp < $1.timestamp }
                if let l = liveness, !deletion.deletes(l.timestamp), !l.isExpiring || now < l.expiresAt { live = true }
            }
            guard live else { continue }
            appendRow(key: key, clustering: group[0].clustering, statics: staticValues, regulars: values, to: &out)
            count += 1
        }
        if count == 0, !statics.isEmpty, staticValues.contains(where: { $0 != nil }) {
            appendRow(key: key, clustering: nil, statics: staticValues, regulars: Array(repeating: nil, count: regulars.count), to: &out)
            count += 1
        }
        return count
    }

    /// Per column: the JSON of its live value, or nil.
    private func resolve(_ rows: [RowUpdate], columns: [ColumnSchema], deletion: DeletionTime) -> [[UInt8]?] {
        var result = [[UInt8]?](repeating: nil, count: columns.count)
        for (ci, column) in columns.enumerated() {
            let cells = rows.flatMap { $0.cells.filter { $0.column == ci } }
            if column.type.isCounter {
                result[ci] = counterJSON(cells.filter { !deletion.deletes($0.timestamp) })
                continue
            }
            if column.type.isMultiCell {
                var d = deletion
                for r in rows { for (c, cd) in r.complexDeletions where c == ci { d = d.merged(with: cd) } }
                // Newest version of each path.
                var byPath: [[UInt8]: CellUpdate] = [:]
                for c in cells {
                    guard let path = c.path else { continue }
                    if let old = byPath[path], !wins(c, over: old) { continue }
                    byPath[path] = c
                }
                let live = byPath.values.filter { isLive($0, deletion: d) }
                result[ci] = live.isEmpty ? nil : collectionJSON(live, type: column.type)
                continue
            }
            guard var best = cells.first else { continue }
            for c in cells.dropFirst() where wins(c, over: best) { best = c }
            if isLive(best, deletion: deletion) { result[ci] = json(best.value, column.type) }
        }
        return result
    }

    /// `Cells.reconcile`: higher timestamp; on a tie a tombstone, then an expiring cell, then
    /// the later deletion time, then the greater value.
    private func wins(_ a: CellUpdate, over b: CellUpdate) -> Bool {
        if a.timestamp != b.timestamp { return a.timestamp > b.timestamp }
        if a.isTombstone != b.isTombstone { return a.isTombstone }
        if a.isExpiring != b.isExpiring { return a.isExpiring }
        if a.localDeletionTime != b.localDeletionTime { return a.localDeletionTime > b.localDeletionTime }
        return b.value.lexicographicallyPrecedes(a.value)
    }

    private func isLive(_ c: CellUpdate, deletion: DeletionTime) -> Bool {
        !c.isTombstone && !deletion.deletes(c.timestamp) && (!c.isExpiring || now < c.localDeletionTime)
    }

    /// Counter shards (global: header count 1, index −32768): per counter id the highest clock wins; the total is the sum.
    private func counterJSON(_ cells: [CellUpdate]) -> [UInt8]? {
        guard !cells.isEmpty else { return nil }
        var shards: [[UInt8]: (clock: Int64, count: Int64)] = [:]
        for c in cells {
            let v = c.value
            let headers = Int(v[0]) << 8 | Int(v[1])
            var o = 2 + 2 * headers
            while o + 32 <= v.count {
                let id = Array(v[o..<(o + 16)])
                let clock = Int64(bitPattern: v[(o + 16)..<(o + 24)].reduce(0) { $0 << 8 | UInt64($1) })
                let count = Int64(bitPattern: v[(o + 24)..<(o + 32)].reduce(0) { $0 << 8 | UInt64($1) })
                if let old = shards[id], old.clock >= clock { o += 32; continue }
                shards[id] = (clock, count)
                o += 32
            }
        }
        var total: Int64 = 0
        for s in shards.values { total &+= s.count }
        var bytes: [UInt8] = []
        bytes.appendBE(UInt64(bitPattern: total), bytes: 8)
        return json(bytes, .bigint)
    }

    private func collectionJSON(_ cells: [CellUpdate], type: CQLType) -> [UInt8] {
        func sortedPaths(_ pathType: CQLType) -> [CellUpdate] {
            cells.sorted { ValueGenerator.compare($0.path!, $1.path!, pathType) < 0 }
        }
        switch type {
        case .list(let e, _):
            return json(ValueGenerator.frozenCollection(sortedPaths(.timeuuid).map(\.value)), .list(e, frozen: true))
        case .set(let e, _):
            return json(ValueGenerator.frozenCollection(sortedPaths(e).map { $0.path! }), .set(e, frozen: true))
        case .map(let k, let v, _):
            let s = sortedPaths(k)
            return json(ValueGenerator.frozenCollection(s.flatMap { [$0.path!, $0.value] }, pairs: s.count), .map(k, v, frozen: true))
        case .udt(let u, _):
            var fields = [[UInt8]?](repeating: nil, count: u.fieldTypes.count)
            for c in cells {
                let f = Int(c.path![0]) << 8 | Int(c.path![1])
                if f < fields.count { fields[f] = c.value }
            }
            return json(ValueGenerator.fields(fields), .udt(u, frozen: true))
        default:
            return []
        }
    }

    private func json(_ value: [UInt8], _ type: CQLType) -> [UInt8] {
        var out: [UInt8] = []
        value.withUnsafeBytes { raw in
            do { try type.unreversed.appendJSON(raw, to: &out) } catch { out = Array("\"<invalid>\"".utf8) }
        }
        return out
    }

    private func appendRow(key: [UInt8], clustering: [[UInt8]?]?, statics staticValues: [[UInt8]?], regulars regularValues: [[UInt8]?], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        var first = true
        func field(_ name: String, _ value: [UInt8]?) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out += Array(jsonString(name).utf8)
            out.append(UInt8(ascii: ":"))
            out += value ?? Array("null".utf8)
        }
        let keyParts = splitKey(key)
        for (i, c) in schema.partitionKey.enumerated() { field(c.name, json(keyParts[i], c.type)) }
        for (i, c) in schema.clustering.enumerated() { field(c.name, clustering?[i].map { json($0, c.type) }) }
        for (isStatic, i) in outputOrder {
            field(isStatic ? statics[i].name : regulars[i].name, isStatic ? staticValues[i] : regularValues[i])
        }
        out.append(contentsOf: Array("}\n".utf8))
    }

    private func splitKey(_ key: [UInt8]) -> [[UInt8]] {
        guard schema.partitionKey.count > 1 else { return [key] }
        var parts: [[UInt8]] = []
        var o = 0
        while o + 2 <= key.count {
            let n = Int(key[o]) << 8 | Int(key[o + 1])
            parts.append(Array(key[(o + 2)..<(o + 2 + n)]))
            o += 3 + n
        }
        return parts
    }

    private func jsonString(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where ch.value < 0x20: out += "\\u00" + Hex.encode([UInt8(ch.value)])
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }
}
