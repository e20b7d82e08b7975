import CQL

/// Partitions.db and Rows.db of a BTI SSTable, as Cassandra's `PartitionIndexBuilder`,
/// `RowIndexWriter` and `TrieIndexEntry` write them (layouts: `PartitionIndexBTI`,
/// `RowIndexTrie`).
///
/// Each partition's key enters the Partitions.db trie cut to the shortest prefix of its
/// byte-comparable form that tells it from both neighbours, with the key's hash byte and its
/// position. A partition of more than one row index block (`RowIndexBuilder`) gets a Rows.db
/// row index trie and entry, and the position stored is that entry's; others store `~` their
/// Data.db position. Tries are written as `IncrementalTrieWriterSimple` writes them (`TrieWriter`).
final class BTIIndexWriter {
    private let partitions: OutputFile
    private let rows: OutputFile
    private let trie: TrieWriter
    /// The byte-comparable clustering form the row index is keyed by; nil when a clustering type
    /// has none here (a partition needing a row index is then refused).
    private let clusteringBytes: ClusteringBytes?
    private let clusteringTypes: [CQLType]
    private let uintDeletionTime: Bool
    /// The byte-comparable form of the last key, and its prefix length that tells it from the one before.
    private var lastBytes: [UInt8]?
    private var lastDiffPoint = 0
    private var lastPayload: (flags: Int, bytes: [UInt8]) = (0, [])
    private var firstKey: [UInt8]?
    private var lastKey: [UInt8] = []

    init(partitionsPath: String, rowsPath: String, clusteringTypes: [CQLType], version: SSTableVersion) throws(SSTableError) {
        partitions = try OutputFile(partitionsPath)
        rows = try OutputFile(rowsPath)
        trie = TrieWriter(file: partitions)
        clusteringBytes = ClusteringBytes(types: clusteringTypes)
        self.clusteringTypes = clusteringTypes
        uintDeletionTime = version.hasUIntDeletionTime
    }

    /// Adds the partition at `dataPosition` of Data.db, cut into `rowIndex`'s blocks.
    func add(key: [UInt8], dataPosition: Int64, deletion: DeletionTime, rowIndex: RowIndexBuilder) throws(SSTableError) {
        let position = rowIndex.blocks.count > 1 ? try addRowsEntry(key: key, dataPosition: dataPosition, deletion: deletion, rowIndex: rowIndex) : ~dataPosition
        let bytes = DecoratedKeyBytes.murmur3(key)
        if let lastBytes {
            let diffPoint = zip(lastBytes, bytes).prefix { $0 == $1 }.count + 1
            try trie.add(Array(lastBytes.prefix(max(diffPoint, lastDiffPoint))), payloadFlags: lastPayload.flags, payload: lastPayload.bytes)
            lastDiffPoint = diffPoint
        } else {
            firstKey = key
        }
        lastBytes = bytes
        lastKey = key
        let size = Self.nonZeroSize(position)
        var payload = [DecoratedKeyBytes.hashByte(key)]
        for i in stride(from: size - 1, through: 0, by: -1) { payload.append(UInt8(truncatingIfNeeded: position >> (8 * i))) }
        lastPayload = (8 + size - 1, payload)
    }

    /// Writes the last key, the root and the footer, and closes both files.
    func finish() throws(SSTableError) {
        if let lastBytes {
            try trie.add(Array(lastBytes.prefix(lastDiffPoint)), payloadFlags: lastPayload.flags, payload: lastPayload.bytes)
        }
        let root = try trie.complete()
        var out: [UInt8] = []
        let keysAt = partitions.position
        out.appendShortBytes(firstKey ?? [])
        out.appendShortBytes(lastKey)
        out.appendInt64(keysAt)
        out.appendInt64(trie.count)
        out.appendInt64(root)
        try partitions.write(out)
        try partitions.close()
        try rows.close()
    }

    /// Writes a partition's row index trie and Rows.db entry; returns the entry's position.
    private func addRowsEntry(key: [UInt8], dataPosition: Int64, deletion: DeletionTime, rowIndex: RowIndexBuilder) throws(SSTableError) -> Int64 {
        guard let encoder = clusteringBytes else {
            let names = clusteringTypes.map(\.cqlName).joined(separator: ", ")
            throw SSTableError(path: rows.path, "cannot write the row index of a wide partition: no byte-comparable form here for clustering types \(names)")
        }
        let rowTrie = TrieWriter(file: rows)
        var previousMax: [UInt8]?
        var previousSeparator: [UInt8] = []
        for block in rowIndex.blocks {
            let first = encoder.encode(kind: block.first.kind, values: block.first.values)
            let separator = previousMax.map { ClusteringBytes.separator(after: $0, atOrBefore: first) } ?? []
            try add(separator, to: rowTrie, offset: Int64(block.offset), open: block.openAtStart)
            previousSeparator = separator
            previousMax = encoder.encode(kind: block.last.kind, values: block.last.values)
        }
        // `RowIndexWriter.complete`: a key just above the last clustering, as long as the last
        // separator's common prefix with it plus one, marks the end of the rows.
        let max = previousMax ?? []
        var common = 0
        while common < max.count, common < previousSeparator.count, max[common] == previousSeparator[common] { common += 1 }
        try add(ClusteringBytes.nudge(max, at: common), to: rowTrie, offset: Int64(rowIndex.endPosition), open: nil)
        let root = try rowTrie.complete()
        let entry = rows.position
        var out: [UInt8] = []
        out.appendShortBytes(key)
        out.appendUnsignedVInt(UInt64(dataPosition))
        // `TrieIndexEntry.deserialize` counts the root from the end of the key.
        out.appendVInt(root - (entry + 2 + Int64(key.count)))
        out.appendUnsignedVInt(rowIndex.blocks.count)
        out.appendDeletionTime(deletion, uint: uintDeletionTime)
        try rows.write(out)
        return entry
    }

    /// Adds a row index key with its payload (`RowIndexReader.getSerializer`): the offset in
    /// as few bytes as hold it (flag bits 0–2), and the open range tombstone (flag bit 3).
    private func add(_ key: [UInt8], to rowTrie: TrieWriter, offset: Int64, open: DeletionTime?) throws(SSTableError) {
        let size = Self.nonZeroSize(offset)
        var payload: [UInt8] = []
        for i in stride(from: size - 1, through: 0, by: -1) { payload.append(UInt8(truncatingIfNeeded: offset >> (8 * i))) }
        if let open { payload.appendDeletionTime(open, uint: uintDeletionTime) }
        try rowTrie.add(key, payloadFlags: size | (open == nil ? 0 : 8), payload: payload)
    }

    /// Bytes of the shortest big-endian two's-complement form of `value` (`SizedInts.nonZeroSize`).
    static func nonZeroSize(_ value: Int64) -> Int {
        let magnitude = value < 0 ? ~value : value
        return (64 - magnitude.leadingZeroBitCount + 1 + 7) / 8
    }
}
