import CQL

/// Serializes partitions in the 3.0+ row format (`UnfilteredSerializer`, `Cell.Serializer`,
/// `ClusteringPrefix.serializer`, `Columns.serializeSubset`) and feeds the metadata collector.
/// Buffers are reused from one partition to the next.
struct PartitionSerializer {
    let layout: WriteLayout
    let stats: EncodingStats
    private var body: [UInt8] = []
    private var order: [Int] = []

    init(layout: WriteLayout, stats: EncodingStats) {
        self.layout = layout
        self.stats = stats
    }

    /// Appends the partition to `out` and cuts its rows into `rowIndex`'s blocks; returns the
    /// number of cells written.
    mutating func serialize(
        _ p: PartitionUpdate, into out: inout [UInt8], collector: inout MetadataCollector, rowIndex: inout RowIndexBuilder
    ) throws(WriteError) -> Int {
        let start = out.count
        out.appendShortBytes(p.key)
        out.appendInt32(Int32(truncatingIfNeeded: p.deletion.localDeletionTime))
        out.appendInt64(p.deletion.markedForDeleteAt)
        collector.update(p.deletion)
        var cells = 0
        if let s = p.staticRow, !layout.staticColumns.isEmpty, !(s.cells.isEmpty && s.complexDeletions.isEmpty && s.liveness == nil && s.deletion.isLive) {
            try writeRow(s, isStatic: true, previousSize: 0, into: &out, collector: &collector, cells: &cells)
        }
        rowIndex.reset(headerLength: out.count - start)
        let rows = try sortedRows(p.rows)
        let markers = markers(try sortedRanges(p.rangeTombstones))
        var previousStart = 0
        var r = 0
        // Markers interleave with rows.
        var nextMarker = 0
        while r < rows.count || nextMarker < markers.count {
            let position = out.count - start
            let previousSize = position - previousStart
            previousStart = position
            if nextMarker < markers.count {
                let b = markers[nextMarker]
                if r >= rows.count || layout.compare(bound: b.clustering, kind: b.kind, row: p.rows[rows[r]].clustering) < 0 {
                    writeMarker(b, previousSize: previousSize, into: &out)
                    rowIndex.add(
                        .init(kind: b.kind, values: b.clustering), from: position, to: out.count - start, marker: true,
                        opens: b.kind.isEnd ? nil : b.deletion)
                    collector.updateClustering(b.clustering)
                    if let ended = b.endedDeletion { collector.update(ended) }
                    collector.update(b.deletion)
                    nextMarker += 1
                    continue
                }
            }
            let row = p.rows[rows[r]]
            guard row.clustering.count == layout.clusteringTypes.count else {
                throw WriteError("row has \(row.clustering.count) clustering values but the table has \(layout.clusteringTypes.count)")
            }
            collector.updateClustering(row.clustering)
            try writeRow(row, isStatic: false, previousSize: previousSize, into: &out, collector: &collector, cells: &cells)
            rowIndex.add(.init(kind: .clustering, values: row.clustering), from: position, to: out.count - start, marker: false, opens: nil)
            r += 1
        }
        rowIndex.finish(flagAt: out.count - start)
        out.append(0x01)  // end of partition
        collector.partitionSizes.add(Int64(out.count - start))
        collector.cellsPerPartition.add(Int64(cells))
        collector.cardinality.offer(key: p.key)
        return cells
    }

    /// Row indices in clustering order (the input order when already sorted).
    private func sortedRows(_ rows: [RowUpdate]) throws(WriteError) -> [Int] {
        var sorted = true
        for i in rows.indices.dropFirst() {
            let c = layout.comparePrefix(rows[i - 1].clustering, rows[i].clustering)
            if c >= 0 {
                sorted = false
                break
            }
        }
        if sorted { return Array(rows.indices) }
        let order = rows.indices.sorted { layout.comparePrefix(rows[$0].clustering, rows[$1].clustering) < 0 }
        for i in order.indices.dropFirst() where layout.comparePrefix(rows[order[i - 1]].clustering, rows[order[i]].clustering) == 0 {
            throw WriteError("two rows of one partition have the same clustering")
        }
        return order
    }

    private func sortedRanges(_ ranges: [RangeTombstone]) throws(WriteError) -> [RangeTombstone] {
        guard ranges.count > 1 else { return ranges }
        let sorted = ranges.sorted { a, b in compare(a.start, a.startKind, b.start, b.startKind) < 0 }
        for i in sorted.indices.dropFirst() where compare(sorted[i - 1].end, sorted[i - 1].endKind, sorted[i].start, sorted[i].startKind) > 0 {
            throw WriteError("range tombstones of one partition overlap")
        }
        return sorted
    }

    /// Where bound `a` sorts against bound `b` (`ClusteringComparator.compare`): by their common
    /// values; at equal values a shorter prefix sorts as its kind does against the clusterings it
    /// is a prefix of, and bounds of one length by kind. 0: the same position.
    private func compare(_ a: [[UInt8]?], _ aKind: BoundKind, _ b: [[UInt8]?], _ bKind: BoundKind) -> Int {
        let order = layout.comparePrefix(a, b)
        if order != 0 { return order }
        if a.count != b.count { return a.count < b.count ? aKind.comparedToClustering : -bKind.comparedToClustering }
        return aKind.comparisonOrder - bKind.comparisonOrder
    }

    /// A range tombstone marker to write: a bound (`deletion` opened or closed), or a boundary
    /// closing `endedDeletion` and opening `deletion`.
    struct Marker {
        var clustering: [[UInt8]?]
        var kind: BoundKind
        var deletion: DeletionTime
        var endedDeletion: DeletionTime?
    }

    /// The markers of sorted, non-overlapping ranges: where one ends at the position the next
    /// starts (an exclusive end at an inclusive start, or an inclusive end at an exclusive
    /// start), one boundary marker, as Cassandra writes it.
    private func markers(_ ranges: [RangeTombstone]) -> [Marker] {
        var out: [Marker] = []
        for (i, rt) in ranges.enumerated() {
            if i > 0, compare(ranges[i - 1].end, ranges[i - 1].endKind, rt.start, rt.startKind) == 0 {
                out[out.count - 1] = Marker(
                    clustering: rt.start, kind: rt.startInclusive ? .exclusiveEndInclusiveStart : .inclusiveEndExclusiveStart, deletion: rt.deletion,
                    endedDeletion: ranges[i - 1].deletion)
            } else {
                out.append(Marker(clustering: rt.start, kind: rt.startKind, deletion: rt.deletion))
            }
            out.append(Marker(clustering: rt.end, kind: rt.endKind, deletion: rt.deletion))
        }
        return out
    }

    // MARK: Unfiltereds

    private func appendClustering(_ values: [[UInt8]?], into out: inout [UInt8]) throws(WriteError) {
        try out.appendClusteringValues(values, widths: layout.clusteringWidths)
    }

    @inline(__always)
    private func appendValue(_ v: [UInt8], fixed: Int, into out: inout [UInt8]) throws(WriteError) {
        if fixed >= 0 {
            guard v.count == fixed else { throw WriteError("a value of \(v.count) bytes for a type of fixed width \(fixed)") }
            out.append(contentsOf: v)
        } else {
            out.appendVIntBytes(v)
        }
    }

    private func appendDeletion(_ d: DeletionTime, into out: inout [UInt8]) {
        out.appendUnsignedVInt(stats.timestampDelta(d.markedForDeleteAt))
        out.appendUnsignedVInt(stats.deletionTimeDelta(d.localDeletionTime))
    }

    private mutating func writeMarker(_ marker: Marker, previousSize: Int, into out: inout [UInt8]) {
        out.append(0x02)  // IS_MARKER
        out.append(marker.kind.rawValue)
        out.appendInt16(UInt16(marker.clustering.count))
        try? appendClustering(marker.clustering, into: &out)
        body.removeAll(keepingCapacity: true)
        // A boundary: the deletion it ends, then the one it starts.
        if let ended = marker.endedDeletion { appendDeletion(ended, into: &body) }
        appendDeletion(marker.deletion, into: &body)
        out.appendUnsignedVInt(body.count + VInt.size(UInt64(previousSize)))
        out.appendUnsignedVInt(previousSize)
        out.append(contentsOf: body)
    }

    private mutating func writeRow(
        _ row: RowUpdate, isStatic: Bool, previousSize: Int, into out: inout [UInt8], collector: inout MetadataCollector, cells: inout Int
    ) throws(WriteError) {
        let columns = isStatic ? layout.staticColumns : layout.regularColumns
        // Cells by column, then path (cell paths in their comparator's order).
        order.removeAll(keepingCapacity: true)
        order.append(contentsOf: row.cells.indices)
        for c in row.cells where c.column < 0 || c.column >= columns.count {
            throw WriteError("cell for column index \(c.column) of \(columns.count)")
        }
        if !Self.isCellOrdered(row.cells, columns) {
            order.sort { a, b in Self.cellPrecedes(row.cells[a], row.cells[b], columns) }
        }
        var complexDeletion = [DeletionTime?](repeating: nil, count: 0)
        if !row.complexDeletions.isEmpty {
            complexDeletion = Array(repeating: nil, count: columns.count)
            for (column, d) in row.complexDeletions where !d.isLive {
                guard columns.indices.contains(column), columns[column].isComplex else {
                    throw WriteError("complex deletion for column index \(column), which is not a non-frozen collection or UDT")
                }
                complexDeletion[column] = d
            }
        }
        let hasComplexDeletion = complexDeletion.contains { $0 != nil }
        // Columns with data: a cell, or a complex deletion.
        var present = [Bool](repeating: false, count: columns.count)
        var presentCount = 0
        for c in row.cells where !present[c.column] {
            present[c.column] = true
            presentCount += 1
        }
        if hasComplexDeletion {
            for (i, d) in complexDeletion.enumerated() where d != nil && !present[i] {
                present[i] = true
                presentCount += 1
            }
        }
        let liveness = row.liveness
        var flags: UInt8 = 0
        if liveness != nil { flags |= 0x04 }
        if liveness?.isExpiring == true { flags |= 0x08 }
        if !row.deletion.isLive { flags |= 0x10 }
        if hasComplexDeletion { flags |= 0x40 }
        if presentCount == columns.count { flags |= 0x20 }
        if isStatic { flags |= 0x80 }
        out.append(flags)
        if isStatic { out.append(0x01) } else { try appendClustering(row.clustering, into: &out) }

        body.removeAll(keepingCapacity: true)
        if let l = liveness {
            body.appendUnsignedVInt(stats.timestampDelta(l.timestamp))
            if l.isExpiring {
                body.appendUnsignedVInt(stats.ttlDelta(l.ttl))
                body.appendUnsignedVInt(stats.deletionTimeDelta(l.expiresAt))
            }
            collector.update(l)
        }
        if !row.deletion.isLive {
            appendDeletion(row.deletion, into: &body)
            collector.update(row.deletion)
        }
        if presentCount != columns.count { appendSubset(present, presentCount: presentCount) }
        var k = 0
        for (ci, column) in columns.enumerated() where present[ci] {
            if column.isComplex {
                if hasComplexDeletion {
                    let d = complexDeletion[ci] ?? .live
                    appendDeletion(d, into: &body)
                    collector.update(d)
                }
                var n = 0
                while k + n < order.count, row.cells[order[k + n]].column == ci { n += 1 }
                body.appendUnsignedVInt(n)
                for j in k..<(k + n) {
                    try appendCell(row.cells[order[j]], column: column, liveness: liveness)
                    collector.update(row.cells[order[j]])
                }
                k += n
                cells += n
            } else {
                guard k < order.count, row.cells[order[k]].column == ci else { continue }
                if k + 1 < order.count, row.cells[order[k + 1]].column == ci {
                    throw WriteError("two cells for column \(column.name)")
                }
                try appendCell(row.cells[order[k]], column: column, liveness: liveness)
                collector.update(row.cells[order[k]])
                k += 1
                cells += 1
            }
        }
        collector.totalColumnsSet += Int64(presentCount)
        collector.totalRows += 1
        out.appendUnsignedVInt(body.count + VInt.size(UInt64(previousSize)))
        out.appendUnsignedVInt(previousSize)
        out.append(contentsOf: body)
    }

    /// `Columns.serializeSubset`: a bitmap of missing columns below 64 columns, else a count and indices.
    private mutating func appendSubset(_ present: [Bool], presentCount: Int) {
        let superset = present.count
        if superset < 64 {
            var bits: UInt64 = 0
            for (i, p) in present.enumerated() where !p { bits |= 1 << UInt64(i) }
            body.appendUnsignedVInt(bits)
            return
        }
        body.appendUnsignedVInt(superset - presentCount)
        let writePresent = presentCount < superset / 2
        for (i, p) in present.enumerated() where p == writePresent { body.appendUnsignedVInt(i) }
    }

    private mutating func appendCell(_ cell: CellUpdate, column: WriteLayout.ColumnInfo, liveness: RowLiveness?) throws(WriteError) {
        let hasValue = !cell.value.isEmpty
        let expiring = cell.isExpiring
        let useRowTimestamp = liveness.map { $0.timestamp == cell.timestamp } ?? false
        let useRowTTL = expiring && (liveness.map { $0.isExpiring && $0.ttl == cell.ttl && $0.expiresAt == cell.localDeletionTime } ?? false)
        var flags: UInt8 = 0
        if !hasValue { flags |= 0x04 }
        if cell.isTombstone { flags |= 0x01 } else if expiring { flags |= 0x02 }
        if useRowTimestamp { flags |= 0x08 }
        if useRowTTL { flags |= 0x10 }
        body.append(flags)
        if !useRowTimestamp { body.appendUnsignedVInt(stats.timestampDelta(cell.timestamp)) }
        if (cell.isTombstone || expiring) && !useRowTTL { body.appendUnsignedVInt(stats.deletionTimeDelta(cell.localDeletionTime)) }
        if expiring && !useRowTTL { body.appendUnsignedVInt(stats.ttlDelta(cell.ttl)) }
        if column.isComplex {
            guard let path = cell.path else { throw WriteError("cell of \(column.name) has no cell path") }
            body.appendVIntBytes(path)
        }
        if hasValue { try appendValue(cell.value, fixed: column.isComplex ? -1 : column.fixedLength, into: &body) }
    }

    private static func isCellOrdered(_ cells: [CellUpdate], _ columns: [WriteLayout.ColumnInfo]) -> Bool {
        for i in cells.indices.dropFirst() where !Self.cellPrecedes(cells[i - 1], cells[i], columns) { return false }
        return true
    }

    @inline(__always)
    private static func cellPrecedes(_ a: CellUpdate, _ b: CellUpdate, _ columns: [WriteLayout.ColumnInfo]) -> Bool {
        if a.column != b.column { return a.column < b.column }
        guard let x = a.path, let y = b.path else { return false }
        let type = columns[a.column].pathType
        return x.withUnsafeBytes { xa in y.withUnsafeBytes { yb in type.compare(xa, yb) } } < 0
    }
}

/// A partition the writer cannot write (bad caller input): one line.
public struct WriteError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
