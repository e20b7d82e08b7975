import CQL

/// One live CQL row, valid only inside the `TableReader.forEachRow` callback that hands it out
/// (it points at the reader's current row rather than copying it).
public struct RowView {
    let reader: TableReader
    let key: [UInt8]
    let row: UnsafePointer<ResolvedRow>
    let staticRow: UnsafePointer<ResolvedRow>
    /// The current row of the row's clustering source (`row.clusteringSource`), when it has one.
    let lead: UnsafePointer<CurrentRow>
    /// What the JSON writer keeps from row to row.
    let memory: UnsafeMutablePointer<JSONMemory>

    /// Appends the row as one `SELECT JSON` object (no newline): every column of the schema,
    /// null when absent. A value that cannot be decoded is an error naming the SSTable and partition.
    public func appendJSON(to out: inout [UInt8]) throws(SSTableError) { try appendJSON(to: &out, newline: false) }

    /// `appendJSON`, then a newline: one line of JSON Lines.
    public func appendJSONLine(to out: inout [UInt8]) throws(SSTableError) { try appendJSON(to: &out, newline: true) }

    /// `appendJSONLine`, written in place into `out` (the fastest way to many rows).
    public func appendJSONLine(to out: inout OutputBuffer) throws(SSTableError) {
        let mark = out.count
        do {
            let source = row.pointee.clusteringSource
            try appendJSONColumns(lead: source >= 0 ? (source, lead.pointee) : nil, newline: true, to: &out)
        } catch {
            out.truncate(to: mark)
            throw located(error)
        }
    }

    /// Through the reader's own buffer: the JSON is written in one place only.
    private func appendJSON(to out: inout [UInt8], newline: Bool) throws(SSTableError) {
        memory.pointee.line.removeAll()
        do {
            let source = row.pointee.clusteringSource
            try appendJSONColumns(lead: source >= 0 ? (source, lead.pointee) : nil, newline: newline, to: &memory.pointee.line)
        } catch {
            throw located(error)
        }
        out.append(contentsOf: memory.pointee.line.bytes)
    }

    /// A value's error, naming the SSTable and the partition's offset.
    private func located(_ error: any Error) -> SSTableError {
        let source = reader.mergeSources[max(row.pointee.clusteringSource, 0)].scanner
        return SSTableError(path: source.sstable.descriptor.dataPath, offset: source.partitionOffset, "in the partition at this offset: \(error)")
    }

    /// The row's columns in output order: partition key, clustering, then static and regular
    /// columns each sorted by name (CQL `SELECT *` order). Indices for `withValue(ofColumn:)`.
    public var columns: [ColumnSchema] { reader.layout.outputColumns }

    /// Calls `body` with the value of column `index` (of `columns`).
    @inline(__always)
    public func withValue<R>(ofColumn index: Int, _ body: (ColumnValue) throws -> R) throws -> R {
        switch reader.outputPlan.access[index] {
        case .wholeKey:
            return try key.withUnsafeBytes { try body(.value($0)) }
        case .keyComponent(let index, let count):
            return try key.withUnsafeBytes { raw in
                var c = ByteCursor(raw)
                var range = 0..<0
                do {
                    for _ in 0...index {
                        range = try c.readShortBytes()
                        _ = try c.readUInt8()  // end-of-component byte
                    }
                } catch {
                    throw CQLValueError("partition key is not a valid \(count)-component composite")
                }
                return try body(.value(UnsafeRawBufferPointer(rebasing: raw[range])))
            }
        case .clustering(let i):
            let clusteringSource = row.pointee.clusteringSource
            guard clusteringSource >= 0, let value = lead.pointee.clusteringValue(i) else { return try body(.null) }
            return try body(.value(value))
        case .simple(let slot, let isStatic):
            let ref = (isStatic ? staticRow : row).pointee.simple[slot]
            if ref.isNone { return try body(.null) }
            return try body(.value(reader.mergeSources[Int(ref.source)].cellValue(ref.index, isStatic: isStatic)))
        case .counter(let slot, let isStatic):
            let resolved = isStatic ? staticRow : row
            let ref = resolved.pointee.simple[slot]
            if ref.isNone { return try body(.null) }
            if let total = resolved.pointee.counterTotals[slot] { return try body(.counter(total)) }
            let total = CounterContext.total(reader.mergeSources[Int(ref.source)].cellValue(ref.index, isStatic: isStatic))
            guard let total else { throw CQLValueError("column \(reader.layout.slots[slot].name): malformed counter context") }
            return try body(.counter(total))
        case .complex(let slot, let isStatic):
            let refs = (isStatic ? staticRow : row).pointee.complex[slot]
            if refs.isEmpty { return try body(.null) }
            return try body(.cells(ComplexCells(refs: refs, sources: reader.mergeSources, isStatic: isStatic)))
        }
    }

    /// Writes every column; the values of the row's own source are read straight from `lead`'s
    /// borrowed bytes, the others (static, other sources, counters, collections) through `withValue`.
    /// Keys and short values are written straight into room reserved in `out`; long ones go
    /// through `memory`'s spill buffer.
    private func appendJSONColumns(lead: (source: Int, row: CurrentRow)?, newline: Bool, to out: inout OutputBuffer) throws {
        let plan = reader.outputPlan
        let keys = plan.jsonKeys, keyEnds = plan.jsonKeyEnds, types = plan.jsonTypes, kinds = plan.shortKinds, access = plan.access
        let dates = memory.pointee.dates
        let capacity = 1024
        let room = ShortJSONKind.capacity
        let closing = 2  // `}` and the newline
        var base = out.reserve(capacity)
        var n = 0
        @inline(__always) func flush() {
            out.commit(n)
            base = out.reserve(capacity)
            n = 0
        }
        /// What `body` appends to an array, copied to `out` (long or unusual values).
        func spill(_ body: (inout [UInt8]) throws -> Void) rethrows {
            flush()
            memory.pointee.spill.removeAll(keepingCapacity: true)
            try body(&memory.pointee.spill)
            memory.pointee.spill.withUnsafeBytes { out.append(contentsOf: $0) }
            base = out.reserve(capacity)
        }
        /// The value bytes: short encodings in place, the rest through `spill`.
        // Types are used in place (`types[i]` is an addressor): copying a `CQLType` costs an outlined copy.
        @inline(__always) func value(_ bytes: UnsafeRawBufferPointer, _ i: Int) throws {
            if let w = kinds[i].write(bytes, to: base + n, date: &dates[i]) {
                n += w
            } else {
                try spill { try types[i].appendJSON(bytes, to: &$0) }
            }
        }
        @inline(__always) func null() {
            for b in "null".utf8 { base[n] = b; n += 1 }
        }
        if keyEnds.isEmpty {
            base[0] = UInt8(ascii: "{")
            n = 1
        }
        // The key columns' JSON is the same for every row of the partition: written once.
        let keyCount = plan.partitionKeyCount
        if !memory.pointee.keyIsValid { try writeKeyJSON() }
        let prefix = UnsafeRawBufferPointer(start: memory.pointee.key.base, count: memory.pointee.key.count)
        // A key prefix means key columns, so nothing is written before it (`n` is 0).
        if prefix.count + room + closing > capacity {
            out.append(contentsOf: prefix)
            base = out.reserve(capacity)
        } else if let start = prefix.baseAddress {
            UnsafeMutableRawPointer(base).copyMemory(from: start, byteCount: prefix.count)
            n = prefix.count
        }
        // Read once here: the writes through `base` could alias anything, so the loop would reload them.
        let simple = row.pointee.simple
        let leadSource = lead?.source ?? -1, leadRow = lead?.row ?? CurrentRow()
        var keyStart = keyCount > 0 ? keyEnds[keyCount - 1] : 0
        for i in keyCount..<keyEnds.count {
            let keyEnd = keyEnds[i]
            let keyLength = keyEnd - keyStart
            if n + keyLength + room + closing > capacity { flush() }
            if keyLength + room + closing > capacity {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(keys)[keyStart..<keyEnd]))
                base = out.reserve(capacity)
            } else if keyLength <= 16 {
                // One 16-byte move (the keys buffer is padded, the reserved room has `room` to
                // spare): most column names are short, and a `memmove` call costs more than the bytes.
                let piece = UnsafeRawPointer(keys.baseAddress! + keyStart).loadUnaligned(as: SIMD16<UInt8>.self)
                UnsafeMutableRawPointer(base + n).storeBytes(of: piece, as: SIMD16<UInt8>.self)
                n += keyLength
            } else {
                (base + n).update(from: keys.baseAddress! + keyStart, count: keyLength)
                n += keyLength
            }
            keyStart = keyEnd
            switch access[i] {
            case .clustering(let k) where leadSource >= 0:
                if let v = leadRow.clusteringValue(k) {
                    try value(v, i)
                } else {
                    null()
                }
            case .simple(let slot, isStatic: false) where leadSource >= 0:
                let ref = simple[slot]
                if ref.isNone {
                    null()
                } else if Int(ref.source) == leadSource {
                    try value(leadRow.cellValue(ref.index), i)
                } else {
                    fallthrough
                }
            default:
                try spill { spilled in try withValue(ofColumn: i) { value in try Self.appendJSON(value, type: types[i], to: &spilled) } }
            }
        }
        base[n] = UInt8(ascii: "}")
        base[n + 1] = UInt8(ascii: "\n")
        out.commit(n + (newline ? 2 : 1))
    }

    /// Writes `{"k1":v1,"k2":v2` for the partition key columns into `memory` (built in its spill
    /// buffer, so a partition of one row allocates nothing).
    private func writeKeyJSON() throws {
        let plan = reader.outputPlan
        memory.pointee.spill.removeAll(keepingCapacity: true)
        var keyStart = 0
        for i in 0..<plan.partitionKeyCount {
            let keyEnd = plan.jsonKeyEnds[i]
            memory.pointee.spill.append(contentsOf: UnsafeBufferPointer(rebasing: plan.jsonKeys[keyStart..<keyEnd]))
            keyStart = keyEnd
            try withValue(ofColumn: i) { value in try Self.appendJSON(value, type: plan.jsonTypes[i], to: &memory.pointee.spill) }
        }
        memory.pointee.key.removeAll()
        memory.pointee.spill.withUnsafeBytes { memory.pointee.key.append(contentsOf: $0) }
        memory.pointee.keyIsValid = true
    }

    /// The `SELECT JSON` encoding of one column value.
    static func appendJSON(_ value: ColumnValue, type: CQLType, to out: inout [UInt8]) throws {
        switch value {
        case .null:
            JSONText.appendNull(to: &out)
        case .value(let bytes):
            try type.appendJSON(bytes, to: &out)
        case .counter(let total):
            JSONText.appendInteger(total, to: &out)
        case .cells(let cells):
            try appendJSON(cells, type: type, to: &out)
        }
    }

    private static func appendJSON(_ cells: ComplexCells, type: CQLType, to out: inout [UInt8]) throws {
        var first = true
        func separator() {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
        }
        switch type {
        case .list(let element, _):
            out.append(UInt8(ascii: "["))
            try cells.forEach { _, value in separator(); try element.appendJSON(value, to: &out) }
            out.append(UInt8(ascii: "]"))
        case .set(let element, _):
            out.append(UInt8(ascii: "["))
            try cells.forEach { path, _ in separator(); try element.appendJSON(path, to: &out) }
            out.append(UInt8(ascii: "]"))
        case .map(let keyType, let valueType, _):
            out.append(UInt8(ascii: "{"))
            try cells.forEach { path, value in
                separator()
                try keyType.appendJSONMapKey(path, to: &out)
                out.append(UInt8(ascii: ":"))
                try valueType.appendJSON(value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .udt(let udt, _):
            // Every field in declaration order; fields without a live cell are null.
            var values = [[UInt8]?](repeating: nil, count: udt.fieldNames.count)
            try cells.forEach { path, value in
                let f = path.count == 2 ? Int(path[0]) << 8 | Int(path[1]) : -1
                guard values.indices.contains(f) else { throw CQLValueError("UDT field index \(f) is out of range") }
                var encoded: [UInt8] = []
                try udt.fieldTypes[f].appendJSON(value, to: &encoded)
                values[f] = encoded
            }
            out.append(UInt8(ascii: "{"))
            for (f, name) in udt.fieldNames.enumerated() {
                separator()
                JSONText.appendKey(name, to: &out)
                if let v = values[f] { out.append(contentsOf: v) } else { JSONText.appendNull(to: &out) }
            }
            out.append(UInt8(ascii: "}"))
        default:
            throw CQLValueError("cells of type \(type) are not a collection")
        }
    }
}

extension RowView {
    /// The resolved row whose cells and liveness describe this row (the static row for a
    /// partition that has only static values).
    private var timedRow: ResolvedRow { row.pointee.clusteringSource < 0 ? staticRow.pointee : row.pointee }

    /// The row's write time: the largest timestamp (µs since the epoch) of its live cells and
    /// primary-key liveness, as `WRITETIME` would give per column; nil when it has none.
    public var writeTime: Int64? {
        var best: Int64?
        visitTimes { timestamp, _ in best = max(best ?? .min, timestamp) }
        return best
    }

    /// When the row stops being live because its TTLs run out (seconds since the epoch): the
    /// latest expiry of its live cells and liveness. Nil when any live part never expires.
    public var expiresAt: Int64? {
        var latest: Int64?
        var forever = false
        visitTimes { _, expiry in
            if let expiry { latest = max(latest ?? .min, expiry) } else { forever = true }
        }
        return forever ? nil : latest
    }

    /// Calls `body` with (timestamp, expiry or nil) of the liveness and every live cell.
    private func visitTimes(_ body: (Int64, Int64?) -> Void) {
        let r = timedRow
        let isStatic = r.isStatic
        let sources = reader.mergeSources
        if !r.liveness.isEmpty {
            body(r.liveness.timestamp, r.liveness.isExpiring ? r.liveness.localExpirationTime : nil)
        }
        func visit(_ ref: CellRef) {
            let cell = sources[Int(ref.source)].cell(ref.index, isStatic: isStatic)
            body(cell.timestamp, cell.isExpiring ? cell.localDeletionTime : nil)
        }
        for ref in r.simple where !ref.isNone { visit(ref) }
        for refs in r.complex { for ref in refs { visit(ref) } }
    }
}

/// What the JSON writer keeps from one row to the next (`TableReader.forEachRow` owns it).
struct JSONMemory: ~Copyable {
    /// The partition key columns' JSON, written by the partition's first row (in memory of its
    /// own: read once a row without reference counting).
    var key = RecordList<UInt8>()
    var keyIsValid = false
    /// Per output column: the day of its last timestamp, with that day's text. Freed by `deallocate()`.
    let dates: UnsafeMutableBufferPointer<TemporalFormatting.DateMemory>

    /// A row's JSON on its way to an array (`appendJSON(to: [UInt8])`).
    var line = OutputBuffer(capacity: 4096)
    /// Values written by array-appending code, on their way to the output.
    var spill: [UInt8] = []

    init(columns: Int) {
        dates = .allocate(capacity: columns)
        dates.initialize(repeating: TemporalFormatting.DateMemory())
    }

    deinit { dates.deallocate() }
}

extension TableReader {
    /// The columns of every row in output order (`RowView.columns`), known before reading.
    public var outputColumns: [ColumnSchema] { layout.outputColumns }
}
