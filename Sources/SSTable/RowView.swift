import CQL

/// One live CQL row, valid only inside the `TableReader.forEachRow` callback that hands it out.
public struct RowView {
    let reader: TableReader
    let key: [UInt8]
    let row: ResolvedRow
    let staticRow: ResolvedRow

    /// Appends the row as one `SELECT JSON` object (no newline): every column of the schema,
    /// null when absent. A value that cannot be decoded is an error naming the SSTable and partition.
    public func appendJSON(to out: inout [UInt8]) throws(SSTableError) {
        let mark = out.count
        do {
            try appendJSONValues(to: &out)
        } catch {
            out.removeSubrange(mark...)
            let source = reader.mergeSources[max(row.clusteringSource, 0)].scanner
            throw SSTableError(path: source.sstable.descriptor.dataPath, offset: source.partitionOffset, "in the partition at this offset: \(error)")
        }
    }

    private func appendJSONValues(to out: inout [UInt8]) throws {
        let schema = reader.schema
        let layout = reader.layout
        let sources = reader.mergeSources
        out.append(UInt8(ascii: "{"))
        var first = true
        func name(_ n: String) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSONText.appendKey(n, to: &out)
        }
        // Partition key columns.
        try key.withUnsafeBytes { raw in
            if schema.partitionKey.count == 1 {
                name(schema.partitionKey[0].name)
                try schema.partitionKey[0].type.appendJSON(raw, to: &out)
                return
            }
            var c = ByteCursor(raw)
            for column in schema.partitionKey {
                name(column.name)
                let r: Range<Int>
                do {
                    r = try c.readShortBytes()
                    _ = try c.readUInt8()  // end-of-component byte
                } catch {
                    throw CQLValueError("partition key is not a valid \(schema.partitionKey.count)-component composite")
                }
                try column.type.appendJSON(UnsafeRawBufferPointer(rebasing: raw[r]), to: &out)
            }
        }
        // Clustering columns.
        for (i, column) in schema.clustering.enumerated() {
            name(column.name)
            guard row.clusteringSource >= 0 else {
                JSONText.appendNull(to: &out)
                continue
            }
            let u = sources[row.clusteringSource].current
            if i < u.clustering.count, !u.clustering[i].isNull {
                let slot = u.clustering[i]
                try u.bytes(slot.start, slot.end) { (v) in try column.type.unreversed.appendJSON(v, to: &out) }
            } else {
                JSONText.appendNull(to: &out)
            }
        }
        // Static columns first, then regular ones, each group sorted by name (CQL `SELECT *` order).
        for slotIndex in layout.outputOrder {
            let slot = layout.slots[slotIndex]
            name(slot.name)
            let resolved = slot.isStatic ? staticRow : row
            try appendSlot(slotIndex, slot: slot, resolved: resolved, sources: sources, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    private func appendSlot(
        _ index: Int, slot: TableLayout.Slot, resolved: ResolvedRow, sources: [MergeSource], to out: inout [UInt8]
    ) throws {
        let isStatic = resolved.isStatic
        func unfiltered(_ ref: CellRef) -> Unfiltered {
            isStatic ? sources[Int(ref.source)].staticRow : sources[Int(ref.source)].current
        }
        if !slot.isComplex {
            let ref = resolved.simple[index]
            guard !ref.isNone else {
                JSONText.appendNull(to: &out)
                return
            }
            let u = unfiltered(ref)
            let cell = u.cells[Int(ref.index)]
            if slot.isCounter {
                let total: Int64? = resolved.counterTotals[index] ?? u.bytes(cell.valueStart, cell.valueEnd) { CounterContext.total($0) }
                guard let total else { throw CQLValueError("counter context is malformed") }
                JSONText.appendInteger(total, to: &out)
                return
            }
            try u.bytes(cell.valueStart, cell.valueEnd) { (v) in try slot.type.appendJSON(v, to: &out) }
            return
        }
        let refs = resolved.complex[index]
        guard !refs.isEmpty else {
            JSONText.appendNull(to: &out)
            return
        }
        switch slot.type.unreversed {
        case .list(let element, _), .set(let element, _):
            let isSet = if case .set = slot.type.unreversed { true } else { false }
            out.append(UInt8(ascii: "["))
            for (i, ref) in refs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                let u = unfiltered(ref)
                let cell = u.cells[Int(ref.index)]
                let (start, end) = isSet ? (cell.pathStart, cell.pathEnd) : (cell.valueStart, cell.valueEnd)
                try u.bytes(start, end) { (v) in try element.appendJSON(v, to: &out) }
            }
            out.append(UInt8(ascii: "]"))
        case .map(let keyType, let valueType, _):
            out.append(UInt8(ascii: "{"))
            for (i, ref) in refs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                let u = unfiltered(ref)
                let cell = u.cells[Int(ref.index)]
                try u.bytes(cell.pathStart, cell.pathEnd) { (k) in try keyType.appendJSONMapKey(k, to: &out) }
                out.append(UInt8(ascii: ":"))
                try u.bytes(cell.valueStart, cell.valueEnd) { (v) in try valueType.appendJSON(v, to: &out) }
            }
            out.append(UInt8(ascii: "}"))
        case .udt(let udt, _):
            out.append(UInt8(ascii: "{"))
            var r = 0
            for (f, fieldName) in udt.fieldNames.enumerated() {
                if f > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendKey(fieldName, to: &out)
                // Cells are in field-index order; the path is the 2-byte field index.
                var written = false
                while r < refs.count {
                    let u = unfiltered(refs[r])
                    let cell = u.cells[Int(refs[r].index)]
                    let fieldIndex = u.bytes(cell.pathStart, cell.pathEnd) { p in p.count == 2 ? Int(p[0]) << 8 | Int(p[1]) : -1 }
                    if fieldIndex < f { r += 1; continue }
                    if fieldIndex == f {
                        try u.bytes(cell.valueStart, cell.valueEnd) { (v) in try udt.fieldTypes[f].appendJSON(v, to: &out) }
                        written = true
                        r += 1
                    }
                    break
                }
                if !written { JSONText.appendNull(to: &out) }
            }
            out.append(UInt8(ascii: "}"))
        default:
            throw CQLValueError("column \(slot.name) has cells but type \(slot.type) is not a collection")
        }
    }
}
