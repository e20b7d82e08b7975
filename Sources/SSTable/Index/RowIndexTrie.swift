/// Rows.db of a BTI SSTable: for each wide partition (more than one row index block), its row
/// index trie, then its entry, as Cassandra 5.0's `RowIndexWriter` and `TrieIndexEntry` write
/// them (read as `RowIndexReader` reads them).
///
/// Entry (where Partitions.db points): the partition key (uint16 length + bytes), its Data.db
/// position (unsigned vint), the trie root's position as a signed vint counted from the end of
/// the key, the block count (unsigned vint) and the partition deletion (`oa`/`da`: the compact
/// form).
///
/// Trie: keyed by separators in the byte-comparable clustering form (`ClusteringBytes`): the
/// first block's key is empty, each next block's is the shortest key above the previous block's
/// last clustering and at or below its own first (`ClusteringBytes.separator`); one more key, just
/// above the last clustering (`ClusteringBytes.nudge`), marks the end of the partition's rows.
/// Payload: flag bits 0–2 give the byte count of the block's offset from the partition's first
/// byte (big-endian, sign-extended); bit 3 says a range tombstone is open at the block's start,
/// whose deletion follows.
final class RowIndexTrie {
    /// A wide partition's Rows.db entry.
    struct Entry {
        var key: [UInt8]
        /// Offset of the partition in the uncompressed Data.db.
        var dataPosition: Int64
        /// Position of the row index trie's root.
        var root: Int64
        var blockCount: Int
        var deletion: DeletionTime
        /// Position of the entry in Rows.db.
        var position: Int64
    }

    /// One key of the trie: a block's start, or (the last) the end of the partition's rows.
    struct Block {
        var key: [UInt8]
        /// From the partition's first byte.
        var offset: Int64
        /// The range tombstone deletion open at the block's start.
        var openDeletion: DeletionTime?
        /// Position of the trie node holding the block.
        var nodePosition: Int64
    }

    let path: String
    private let trie: TrieFile
    private let entries: FileWindow
    private let uintDeletionTime: Bool

    init(path: String, version: SSTableVersion) throws(SSTableError) {
        self.path = path
        let file = try SSTableStorage.open(path)
        trie = TrieFile(path: path, file: file, end: file.size)
        entries = FileWindow(path: path, file: file, blockSize: 4096)
        uintDeletionTime = version.hasUIntDeletionTime
    }

    /// The entry at `position` (where a Partitions.db payload points).
    func entry(at position: Int64) throws(SSTableError) -> Entry {
        let uint = uintDeletionTime
        let size = trie.end
        let (entry, _) = try entries.parse(at: position, "a Rows.db entry") { (c) throws(CursorError) -> Entry in
            let key = try c.readShortBytes()
            let dataAt = c.position
            let data = try c.readUnsignedVInt()
            guard data <= UInt64(Int64.max) else { throw .malformed(at: dataAt, "Data.db position \(data) is too large") }
            let rootAt = c.position
            // `TrieIndexEntry.deserialize` counts the root from the end of the key.
            let root = position + 2 + Int64(key.count) + (try c.readSignedVInt())
            guard root >= 0, root < size else { throw .malformed(at: rootAt, "row index root \(root) is outside the file (\(size) bytes)") }
            let countAt = c.position
            let count = try c.readVIntLength()
            guard count > 0 else { throw .malformed(at: countAt, "a row index of \(count) blocks") }
            let deletion = try c.readDeletionTime(uint: uint)
            return Entry(
                key: Array(UnsafeRawBufferPointer(rebasing: c.bytes[key])), dataPosition: Int64(data), root: root, blockCount: count, deletion: deletion,
                position: position)
        }
        return entry
    }

    /// A walk over `entry`'s blocks in key order, read with `next`.
    func walk(_ entry: Entry) throws(SSTableError) -> TrieFile.Walk { TrieFile.Walk(root: try trie.node(at: entry.root)) }

    /// The next block of a walk; nil after the last.
    func next(_ walk: inout TrieFile.Walk) throws(SSTableError) -> Block? {
        guard let node = try walk.next(in: trie) else { return nil }
        let flags = node.payloadFlags
        let bytes = flags & 7, open = flags & 8 != 0
        let uint = uintDeletionTime
        let count = Int(min(Int64(bytes + (open ? 12 : 0)), trie.end - node.payloadPosition))
        let (offset, deletion) = try trie.parse(at: node.payloadPosition, count: count) { (c) throws(CursorError) -> (Int64, DeletionTime?) in
            let offset = bytes == 0 ? 0 : try c.readSizedInt(bytes)
            return (offset, open ? try c.readDeletionTime(uint: uint) : nil)
        }
        return Block(key: walk.key, offset: offset, openDeletion: deletion, nodePosition: node.position)
    }
}
