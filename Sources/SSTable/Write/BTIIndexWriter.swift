/// Partitions.db and Rows.db of a BTI SSTable, as Cassandra's `PartitionIndexBuilder` and
/// `TrieIndexEntry` write them (layouts: `PartitionIndexBTI`).
///
/// Each partition's key enters the trie cut to the shortest prefix of its byte-comparable form
/// that tells it from both neighbours, with the key's hash byte and its position. A partition
/// larger than `rowIndexSize` bytes gets a Rows.db entry (the position stored is that entry's):
/// a row index trie of one block starting at the partition's first byte (a `PAYLOAD_ONLY` root,
/// block offset 0), then the key (uint16 length + bytes), its Data.db position (unsigned vint),
/// the root's distance from the end of the key (vint), the block count 1 (unsigned vint) and the
/// partition deletion copied from the partition header. Cassandra indexes the rows of a partition
/// in blocks of `column_index_size` and writes an entry only for partitions of several blocks; the
/// one-block index here gives readers the Rows.db path, not a clustering index.
final class BTIIndexWriter {
    let rowIndexSize: Int
    private let partitions: OutputFile
    private let rows: OutputFile
    private let trie: TrieWriter
    /// The byte-comparable form of the last key, and its prefix length that tells it from the one before.
    private var lastBytes: [UInt8]?
    private var lastDiffPoint = 0
    private var lastPayload: (flags: Int, bytes: [UInt8]) = (0, [])
    private var firstKey: [UInt8]?
    private var lastKey: [UInt8] = []

    init(partitionsPath: String, rowsPath: String, rowIndexSize: Int) throws(SSTableError) {
        partitions = try OutputFile(partitionsPath)
        rows = try OutputFile(rowsPath)
        trie = TrieWriter(file: partitions)
        self.rowIndexSize = rowIndexSize
    }

    /// Adds the partition serialized as `partition` (key, deletion, rows) at `dataPosition` of Data.db.
    func add(key: [UInt8], dataPosition: Int64, partition: [UInt8], deletionSize: Int) throws(SSTableError) {
        let position = try partition.count > rowIndexSize ? addRowsEntry(key: key, dataPosition: dataPosition, deletion: partition[(2 + key.count)...].prefix(deletionSize)) : ~dataPosition
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

    /// Writes a partition's Rows.db entry; returns its position.
    private func addRowsEntry(key: [UInt8], dataPosition: Int64, deletion: ArraySlice<UInt8>) throws(SSTableError) -> Int64 {
        let root = rows.position
        var out: [UInt8] = [0x01, 0x00]  // PAYLOAD_ONLY, a 1-byte block offset: 0
        let entry = root + Int64(out.count)
        out.appendShortBytes(key)
        out.appendUnsignedVInt(UInt64(dataPosition))
        // `TrieIndexEntry.deserialize` adds the position just after the key.
        out.appendVInt(root - (entry + 2 + Int64(key.count)))
        out.appendUnsignedVInt(1)
        out += deletion
        try rows.write(out)
        return entry
    }

    /// Bytes of the shortest big-endian two's-complement form of `value` (`SizedInts.nonZeroSize`).
    static func nonZeroSize(_ value: Int64) -> Int {
        let magnitude = value < 0 ? ~value : value
        return (64 - magnitude.leadingZeroBitCount + 1 + 7) / 8
    }
}
