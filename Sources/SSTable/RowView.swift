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
        // Partition key columns.
        try key.withUnsafeBytes { raw in
            if schema.partitionKey.count == 1 {
                out.append(contentsOf: layout.keyNames[0])
                try schema.partitionKey[0].type.appendJSON(raw, to: &out)
                return
            }
            var c = ByteCursor(raw)
            for (i, column) in schema.partitionKey.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: layout.keyNames[i])
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
            out.append(UInt8(ascii: ","))
            out.append(contentsOf: layout.clusteringNames[i])
            guard row.clusteringSource >= 0 else {
                JSONText.appendNull(to: &out)
                continue
            }
            let source = sources[row.clusteringSource]
            let slot = i < source.current.clustering.count ? source.current.clustering[i] : .null
            if slot.isNull {
                JSONText.appendNull(to: &out)
            } else {
                try source.withBytes(slot.start, slot.end, isStatic: false) { v in try column.type.unreversed.appendJSON(v, to: &out) }
            }
        }
        // Static columns first, then regular ones, each group sorted by name (CQL `SELECT *` order).
        for slotIndex in layout.outputOrder {
            let slot = layout.slots[slotIndex]
            out.append(UInt8(ascii: ","))
            out.append(contentsOf: layout.slotNames[slotIndex])
            try appendSlot(slotIndex, slot: slot, resolved: slot.isStatic ? staticRow : row, sources: sources, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    private func appendSlot(
        _ index: Int, slot: TableLayout.Slot, resolved: ResolvedRow, sources: [MergeSource], to out: inout [UInt8]
    ) throws {
        let isStatic = resolved.isStatic
        if !slot.isComplex {
            let ref = resolved.simple[index]
            guard !ref.isNone else {
                JSONText.appendNull(to: &out)
                return
            }
            let source = sources[Int(ref.source)]
            let cell = source.cell(ref.index, isStatic: isStatic)
            if slot.isCounter {
                let total = try resolved.counterTotals[index] ?? source.withBytes(cell.valueStart, cell.valueEnd, isStatic: isStatic) { v in
                    guard let total = CounterContext.total(v) else { throw CQLValueError("column \(slot.name): malformed counter context") }
                    return total
                }
                JSONText.appendInteger(total, to: &out)
                return
            }
            try source.withBytes(cell.valueStart, cell.valueEnd, isStatic: isStatic) { v in try slot.type.appendJSON(v, to: &out) }
            return
        }
        let refs = resolved.complex[index]
        guard !refs.isEmpty else {
            JSONText.appendNull(to: &out)
            return
        }
        /// Calls `body` with a complex cell's path and value.
        func element(_ ref: CellRef, _ body: (_ path: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void) throws {
            let source = sources[Int(ref.source)]
            let cell = source.cell(ref.index, isStatic: isStatic)
            try source.withBytes(cell.pathStart, cell.pathEnd, isStatic: isStatic) { path in
                try source.withBytes(cell.valueStart, cell.valueEnd, isStatic: isStatic) { value in try body(path, value) }
            }
        }
        switch slot.type.unreversed {
        case .list(let elementType, _):
            out.append(UInt8(ascii: "["))
            for (i, ref) in refs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try element(ref) { _, value in try elementType.appendJSON(value, to: &out) }
            }
            out.append(UInt8(ascii: "]"))
        case .set(let elementType, _):
            out.append(UInt8(ascii: "["))
            for (i, ref) in refs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try element(ref) { path, _ in try elementType.appendJSON(path, to: &out) }
            }
            out.append(UInt8(ascii: "]"))
        case .map(let keyType, let valueType, _):
            out.append(UInt8(ascii: "{"))
            for (i, ref) in refs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try element(ref) { path, value in
                    try keyType.appendJSONMapKey(path, to: &out)
                    out.append(UInt8(ascii: ":"))
                    try valueType.appendJSON(value, to: &out)
                }
            }
            out.append(UInt8(ascii: "}"))
        case .udt(let udt, _):
            // Cells are in field order; each path is the 2-byte field index.
            out.append(UInt8(ascii: "{"))
            var r = 0
            for (f, fieldName) in udt.fieldNames.enumerated() {
                if f > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendKey(fieldName, to: &out)
                var written = false
                while r < refs.count, !written {
                    var fieldIndex = -1
                    try element(refs[r]) { path, value in
                        fieldIndex = path.count == 2 ? Int(path[0]) << 8 | Int(path[1]) : -1
                        if fieldIndex == f {
                            try udt.fieldTypes[f].appendJSON(value, to: &out)
                            written = true
                        }
                    }
                    if fieldIndex > f { break }
                    r += 1
                }
                if !written { JSONText.appendNull(to: &out) }
            }
            out.append(UInt8(ascii: "}"))
        default:
            throw CQLValueError("column \(slot.name) has cells but type \(slot.type) is not a collection")
        }
    }
}
