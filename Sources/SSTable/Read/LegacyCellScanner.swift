import CQL

/// Streams the partitions of one 2.x SSTable (jb, ka, la: the pre-3.0 cell format) as the same
/// rows, static rows and range tombstones a 3.0+ SSTable holds, following Cassandra 3.0's
/// `LegacyLayout`: cells sharing a clustering prefix become one row, the CQL row marker becomes
/// the row's liveness, collection cells become complex cells, and range tombstones over a
/// collection become its complex deletion.
///
/// 2.x files store no column names or types, so the schema decides how cell names are read.
final class LegacyCellScanner: PartitionScanner {
    let sstable: SSTable
    let header: SerializationHeader
    private let input: DataInput
    private let layout: NameLayout
    private let clusteringCount: Int
    /// Column names as bytes, for matching cell names: header statics and regulars.
    private let staticNames: [[UInt8]]
    private let regularNames: [[UInt8]]

    private(set) var partitionKey: [UInt8] = []
    private(set) var partitionDeletion = DeletionTime.live
    private(set) var partitionOffset: Int64 = 0
    private var inPartition = false
    /// The clustering bytes of the row being built, to see where it ends.
    private var rowKey: [UInt8] = []
    /// Live cells of columns neither the schema nor its dropped columns know, by name.
    private(set) var unknownColumns: Set<String> = []
    /// Live cells of those columns, skipped so far.
    private(set) var unknownCells = 0
    private let droppedColumns: Set<String>
    /// Range tombstones met inside a row (2.x repeats them at column-index block boundaries):
    /// applied to that row, then handed out after it.
    private var pendingRanges: [Unfiltered] = []

    /// How cell names are laid out (`CFMetaData` comparator shapes).
    enum NameLayout {
        /// CQL3 tables: CompositeType(clustering…, column name[, collection key]).
        case sparse
        /// COMPACT STORAGE with clustering: the name is the clustering (one raw value, or a composite).
        case dense(composite: Bool)
        /// COMPACT STORAGE without clustering: the name is the column name.
        case staticCompact
    }

    /// The header a 2.x table would have in 3.0: the schema's columns and types.
    static func header(for schema: TableSchema) -> SerializationHeader {
        let keyTypes = schema.partitionKey.map(\.type)
        func columns(_ list: [ColumnSchema]) -> [SerializationHeader.Column] {
            list.map { SerializationHeader.Column(name: $0.name, type: $0.type) }
        }
        let staticCompact = schema.isCompactStorage && schema.clustering.isEmpty
        return SerializationHeader(
            minTimestamp: 0, minLocalDeletionTime: 0, minTTL: 0,
            keyType: keyTypes.count == 1 ? keyTypes[0] : .composite(keyTypes),
            clusteringTypes: schema.clustering.map(\.type),
            staticColumns: columns(staticCompact ? schema.regularColumns : schema.staticColumns),
            regularColumns: staticCompact ? [] : columns(schema.regularColumns))
    }

    init(_ sstable: SSTable, schema: TableSchema) throws(SSTableError) {
        self.sstable = sstable
        header = Self.header(for: schema)
        clusteringCount = schema.clustering.count
        if !schema.isCompactStorage {
            layout = .sparse
        } else if schema.clustering.isEmpty {
            layout = .staticCompact
        } else {
            guard schema.regularColumns.count <= 1 else {
                throw SSTableError(path: sstable.descriptor.dataPath, "COMPACT STORAGE table \(schema.name) with clustering columns must have at most one value column")
            }
            layout = .dense(composite: schema.clustering.count > 1)
        }
        droppedColumns = Set(schema.droppedColumns.keys)
        staticNames = header.staticColumns.map { Array($0.name.utf8) }
        regularNames = header.regularColumns.map { Array($0.name.utf8) }
        input = try DataInput(
            descriptor: sstable.descriptor, compression: sstable.compression,
            blockChecksumsPath: sstable.hasComponent("CRC.db") ? sstable.descriptor.path("CRC.db") : nil,
            digestPath: sstable.digestComponent.map { sstable.descriptor.path($0) })
    }

    func nextPartition() throws(SSTableError) -> Bool {
        if inPartition || !pendingRanges.isEmpty {
            var scratch = Unfiltered()
            while try nextUnfiltered(into: &scratch) {}
        }
        if input.isAtEnd { return false }
        if input.start >= input.count, !(try input.refill()) { return false }
        partitionOffset = input.offset(of: input.start)
        var key: [UInt8] = []
        var deletion = DeletionTime.live
        try input.parse("a partition header") { (c) throws(CursorError) in
            let r = try c.readShortBytes()
            deletion = try c.readLegacyDeletionTime()
            key = Array(UnsafeRawBufferPointer(rebasing: c.bytes[r]))
        }
        partitionKey = key
        partitionDeletion = deletion
        inPartition = true
        return true
    }

    func seek(to offset: Int64) throws(SSTableError) {
        try input.seek(to: offset)
        inPartition = false
        pendingRanges.removeAll()
    }

    var dataBytesRead: Int64 { input.fileBytesRead }

    // MARK: Atoms

    /// One on-disk atom (`OnDiskAtom`): a cell, a range tombstone, or the end of the partition.
    struct Atom {
        enum Kind { case endOfPartition, rangeTombstone, cell }
        var kind: Kind
        var name: Range<Int> = 0..<0
        var flags: UInt8 = 0
        var timestamp: Int64 = 0
        var ttl: Int32 = CellConstants.noTTL
        var localDeletionTime: Int64 = CellConstants.noDeletionTime
        var value: Range<Int> = 0..<0
        /// Range tombstones: the end bound and the deletion.
        var endName: Range<Int> = 0..<0
        var deletion = DeletionTime.live
    }

    /// Cell flags (`ColumnSerializer`).
    enum Flag {
        static let deleted: UInt8 = 0x01
        static let expiring: UInt8 = 0x02
        static let counter: UInt8 = 0x04
        static let counterUpdate: UInt8 = 0x08
        static let rangeTombstone: UInt8 = 0x10
    }

    private func readAtom(_ c: inout ByteCursor) throws(CursorError) -> Atom {
        let nameLength = Int(try c.readUInt16())
        if nameLength == 0 { return Atom(kind: .endOfPartition) }
        var atom = Atom(kind: .cell)
        atom.name = try c.take(nameLength)
        let flagsAt = c.position
        atom.flags = try c.readUInt8()
        if atom.flags & Flag.rangeTombstone != 0 {
            atom.kind = .rangeTombstone
            atom.endName = try c.readShortBytes()
            atom.deletion = try c.readLegacyDeletionTime()
            return atom
        }
        guard atom.flags & ~(Flag.deleted | Flag.expiring | Flag.counter) == 0 else {
            throw .malformed(at: flagsAt, "bad cell flags 0x\(String(atom.flags, radix: 16))")
        }
        if atom.flags & Flag.counter != 0 {
            _ = try c.readInt64()  // timestamp of the last delete
        } else if atom.flags & Flag.expiring != 0 {
            atom.ttl = try c.readInt32()
            atom.localDeletionTime = Int64(try c.readInt32())
        }
        atom.timestamp = try c.readInt64()
        let lengthAt = c.position
        let length = Int(try c.readInt32())
        guard length >= 0 else { throw .malformed(at: lengthAt, "negative value length \(length)") }
        atom.value = try c.take(length)
        if atom.flags & Flag.deleted != 0 {
            guard length == 4 else { throw .malformed(at: lengthAt, "a deleted cell must hold a 4-byte deletion time") }
            atom.localDeletionTime = Int64(Int32(bigEndian: c.bytes.loadUnaligned(fromByteOffset: atom.value.lowerBound, as: Int32.self)))
            atom.value = atom.value.upperBound..<atom.value.upperBound
        }
        return atom
    }

    /// A cell name split into its parts (all ranges in the window).
    struct Name {
        var isStatic = false
        /// Clustering values (sparse: composite components; dense: the name or its components).
        var clustering: [Range<Int>] = []
        /// The raw bytes that identify the row (clustering part of the name).
        var rowKey: Range<Int> = 0..<0
        var column: Range<Int>?
        var collectionKey: Range<Int>?
        /// End-of-component byte of the last component (composite names).
        var lastEOC: Int8 = 0
    }

    /// Splits a composite name: uint16 length, bytes, EOC byte per component.
    private func readComposite(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, into name: inout Name, clusteringCount: Int) throws(CursorError) {
        var c = ByteCursor(bytes, from: range.lowerBound, end: range.upperBound)
        if c.remaining >= 2, bytes[c.position] == 0xFF, bytes[c.position + 1] == 0xFF {
            name.isStatic = true
            c.position += 2
        }
        let rowStart = c.position
        var index = 0
        while !c.isAtEnd {
            let component = try c.readShortBytes()
            name.lastEOC = Int8(bitPattern: try c.readUInt8())
            if index < clusteringCount {
                name.clustering.append(component)
                name.rowKey = rowStart..<c.position
            } else if index == clusteringCount {
                name.column = component
            } else if index == clusteringCount + 1 {
                name.collectionKey = component
            } else {
                throw .malformed(at: range.lowerBound, "cell name has more components than the schema allows")
            }
            index += 1
        }
        if index < clusteringCount { name.rowKey = rowStart..<c.position }
    }

    private func readName(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) throws(CursorError) -> Name {
        var name = Name()
        switch layout {
        case .sparse:
            try readComposite(bytes, range, into: &name, clusteringCount: clusteringCount)
        case .dense(let composite):
            if composite {
                try readComposite(bytes, range, into: &name, clusteringCount: clusteringCount)
                name.column = nil
            } else {
                name.clustering = [range]
                name.rowKey = range
            }
        case .staticCompact:
            name.isStatic = true
            name.column = range
        }
        return name
    }

    /// Index of the header column named by `bytes`, or -1.
    private func columnIndex(_ bytes: UnsafeRawBufferPointer, isStatic: Bool) -> Int {
        let names = isStatic ? staticNames : regularNames
        for (i, n) in names.enumerated() where n.count == bytes.count {
            if n.withUnsafeBytes({ $0.elementsEqual(bytes) }) { return i }
        }
        return -1
    }

    func nextIndexItem(into item: inout RowIndexItem) throws(SSTableError) -> Bool {
        guard inPartition else { return false }
        item.offset = input.offset(of: input.start)
        var more = false
        var name: [UInt8] = []
        swap(&name, &item.name)
        var isRangeTombstone = false
        try input.parse("a cell") { (c) throws(CursorError) in
            let atom = try readAtom(&c)
            more = atom.kind != .endOfPartition
            isRangeTombstone = atom.kind == .rangeTombstone
            name.removeAll(keepingCapacity: true)
            name.append(contentsOf: UnsafeRawBufferPointer(rebasing: c.bytes[atom.name]))
        }
        swap(&name, &item.name)
        item.isRangeTombstone = isRangeTombstone
        item.opens = nil
        if !more { inPartition = false }
        return more
    }

    // MARK: Rows

    func nextUnfiltered(into u: inout Unfiltered) throws(SSTableError) -> Bool {
        if !pendingRanges.isEmpty {
            u = pendingRanges.removeFirst()
            return true
        }
        guard inPartition else { return false }
        enum Step { case next, emit, end }
        var building = false
        while true {
            var step = Step.next
            try input.parse("a cell") { (c) throws(CursorError) in
                let atomStart = c.position
                let atom = try readAtom(&c)
                let bytes = c.bytes
                /// Adds the atom to the row being built, or starts one; false (and the atom left
                /// unread) when it belongs to the next row.
                func joinRow(_ name: Name) -> Bool {
                    if building, !sameRow(name, bytes) {
                        c.position = atomStart
                        step = .emit
                        return false
                    }
                    if !building {
                        startRow(name, bytes, into: &u)
                        building = true
                    }
                    return true
                }
                switch atom.kind {
                case .endOfPartition:
                    if building {
                        c.position = atomStart
                        step = .emit
                    } else {
                        step = .end
                    }
                case .rangeTombstone:
                    let start = try readName(bytes, atom.name)
                    let end = try readName(bytes, atom.endName)
                    if case .sparse = layout, start.column != nil {
                        // A collection's tombstone: the complex deletion of that column in its row.
                        guard joinRow(start) else { return }
                        let index = columnIndex(UnsafeRawBufferPointer(rebasing: bytes[start.column!]), isStatic: start.isStatic)
                        if index >= 0 { u.complexDeletions.append((Int32(index), atom.deletion)) }
                        return
                    }
                    if building {
                        // Inside a row: its start sorts before the row. Apply it to the row if
                        // it covers it; hand it out after the row.
                        var range = Unfiltered()
                        makeRange(start: start, end: end, deletion: atom.deletion, bytes, into: &range)
                        if u.kind == .row, ClusteringOrder.compare(range, u, types: header.clusteringTypes) <= 0,
                            ClusteringOrder.compare(range.rangeEndBound, u, types: header.clusteringTypes) >= 0
                        {
                            u.deletion = u.deletion.merged(with: atom.deletion)
                        }
                        pendingRanges.append(range)
                        return
                    }
                    makeRange(start: start, end: end, deletion: atom.deletion, bytes, into: &u)
                    step = .emit
                case .cell:
                    let name = try readName(bytes, atom.name)
                    guard joinRow(name) else { return }
                    addCell(atom, name, bytes, into: &u)
                }
            }
            switch step {
            case .next: continue
            case .emit: return true
            case .end:
                inPartition = false
                if !pendingRanges.isEmpty {
                    u = pendingRanges.removeFirst()
                    return true
                }
                return false
            }
        }
    }

    private func sameRow(_ name: Name, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard name.isStatic == (rowKeyIsStatic) else { return false }
        if case .staticCompact = layout { return true }
        let key = UnsafeRawBufferPointer(rebasing: bytes[name.rowKey])
        return rowKey.count == key.count && rowKey.withUnsafeBytes { $0.elementsEqual(key) }
    }

    private var rowKeyIsStatic = false

    /// Starts a row (or the static row) at a name's clustering, copying the values into storage.
    private func startRow(_ name: Name, _ bytes: UnsafeRawBufferPointer, into u: inout Unfiltered) {
        u.reset(kind: name.isStatic ? .staticRow : .row)
        u.storage.removeAll()
        rowKeyIsStatic = name.isStatic
        rowKey.removeAll(keepingCapacity: true)
        rowKey.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[name.rowKey]))
        if !name.isStatic {
            for r in name.clustering { u.clustering.append(copy(r, bytes, into: &u)) }
            // A row whose name holds fewer clustering values (compact tables) keeps them null.
            while u.clustering.count < clusteringCount { u.clustering.append(.null) }
        }
    }

    private func copy(_ r: Range<Int>, _ bytes: UnsafeRawBufferPointer, into u: inout Unfiltered) -> ClusteringSlot {
        let start = Int32(u.storage.count)
        u.storage.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[r]))
        return ClusteringSlot(start: start, end: Int32(u.storage.count))
    }

    private func addCell(_ atom: Atom, _ name: Name, _ bytes: UnsafeRawBufferPointer, into u: inout Unfiltered) {
        let column: Int
        switch layout {
        case .dense:
            column = regularNames.isEmpty ? -1 : 0
        case .sparse:
            guard let c = name.column else { return }
            if c.isEmpty {
                // The CQL row marker: the row's primary-key liveness.
                guard atom.flags & Flag.deleted == 0 else { return }
                u.liveness = LivenessInfo(timestamp: atom.timestamp, ttl: atom.ttl, localExpirationTime: atom.localDeletionTime)
                return
            }
            column = columnIndex(UnsafeRawBufferPointer(rebasing: bytes[c]), isStatic: name.isStatic)
            if column < 0, atom.flags & Flag.deleted == 0 {
                // A live cell of a column the schema lacks: not silently lost, reported.
                let columnName = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[c]), as: UTF8.self)
                if !droppedColumns.contains(columnName) {
                    unknownColumns.insert(columnName)
                    unknownCells += 1
                }
            }
        case .staticCompact:
            column = columnIndex(UnsafeRawBufferPointer(rebasing: bytes[name.column!]), isStatic: true)
        }
        // Cells of columns the schema does not have (dropped, or Thrift-era names) are skipped.
        guard column >= 0 else { return }
        var flags = CellFlags()
        if atom.flags & Flag.deleted != 0 { flags.insert(.deleted) }
        if atom.flags & Flag.expiring != 0 { flags.insert(.expiring) }
        let path = name.collectionKey.map { copy($0, bytes, into: &u) } ?? ClusteringSlot(start: Int32(u.storage.count), end: Int32(u.storage.count))
        let value = copy(atom.value, bytes, into: &u)
        u.cells.append(
            CellRecord(
                column: Int32(column), flags: flags, timestamp: atom.timestamp, localDeletionTime: atom.localDeletionTime,
                ttl: atom.ttl, pathStart: path.start, pathEnd: path.end, valueStart: value.start, valueEnd: value.end))
    }

    /// A range tombstone as one range (start bound, end bound, deletion), as 3.0's `LegacyLayout`
    /// decodes bounds: start EOC > 0 is exclusive, end EOC < 0 is exclusive.
    private func makeRange(start: Name, end: Name, deletion: DeletionTime, _ bytes: UnsafeRawBufferPointer, into u: inout Unfiltered) {
        u.reset(kind: .marker)
        u.storage.removeAll()
        u.deletion = deletion
        u.endDeletion = deletion
        // Raw (non-composite) names: bounds are inclusive and an empty bound is open.
        var startKind = BoundKind.inclusiveStart, endKind = BoundKind.inclusiveEnd
        if !isRawDense {
            startKind = start.lastEOC > 0 ? .exclusiveStart : .inclusiveStart
            endKind = end.lastEOC < 0 ? .exclusiveEnd : .inclusiveEnd
        }
        u.boundKind = startKind
        for r in start.clustering where !(r.isEmpty && isRawDense) { u.clustering.append(copy(r, bytes, into: &u)) }
        u.rangeEndKind = endKind
        u.rangeEndClustering.removeAll()
        for r in end.clustering where !(r.isEmpty && isRawDense) { u.rangeEndClustering.append(copy(r, bytes, into: &u)) }
    }

    private var isRawDense: Bool {
        if case .dense(false) = layout { return true }
        return false
    }
}
