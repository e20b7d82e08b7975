/// Partitions.db of a BTI SSTable (`na` bti, `da`), read as Cassandra's `PartitionIndex` reads it:
/// a trie keyed by the byte-comparable form of each partition's decorated key
/// (`DecoratedKeyBytes`), of which only the prefix that tells it from its neighbours is stored.
///
/// Layout: the trie nodes (`TrieNode`), written bottom-up, root last; the first and last
/// partition keys (uint16 length + bytes); then three int64s: the position of those keys, the
/// partition count and the root's position. A partition's payload (flags ≥ 8, always the case in
/// Cassandra 5.0) is the key's hash byte (`DecoratedKeyBytes.hashByte`) then a big-endian
/// sign-extended integer of flags − 7 bytes (flags 1–7: no hash byte, flags bytes): ≥ 0 is the
/// position of the partition's entry in Rows.db (a wide partition: `RowIndexTrie`), < 0 is `~`
/// its Data.db position.
///
/// Nodes are read through a `TrieFile` window. The root must end the trie, as Cassandra 5.0 writes it; the pre-OSS `na` bti layout (root
/// first, in-page child positions) is refused.
final class PartitionIndexBTI {
    /// Where a partition may be, as the index says.
    struct Entry: Equatable {
        /// Offset of the partition in the uncompressed Data.db.
        var dataPosition: Int64
        /// The hash byte stored with the partition (nil: the index stores none).
        var hashByte: UInt8?
        /// The partition's key, read from its Rows.db entry (wide partitions only).
        var key: [UInt8]?
        /// File position of the trie node holding the entry.
        var nodePosition: Int64
        /// Position of the partition's Rows.db entry (wide partitions only).
        var rowsPosition: Int64?

        /// True when partition `key` can be this entry's partition (the prefix stored in the
        /// trie matched; the hash byte and the Rows.db key, when there, must match too).
        func admits(_ key: [UInt8]) -> Bool {
            if let hashByte, hashByte != DecoratedKeyBytes.hashByte(key) { return false }
            if let known = self.key, known != key { return false }
            return true
        }
    }

    let path: String
    let rowsPath: String
    /// Partitions in the SSTable, from the footer.
    let keyCount: Int64
    let firstKey: [UInt8]
    let lastKey: [UInt8]
    private let trie: TrieFile
    private var rows: RowIndexTrie?
    private let version: SSTableVersion
    private let root: Int64
    /// Data.db positions must lie below this (the uncompressed Data.db length).
    private let dataLength: Int64

    static let footerSize: Int64 = 24

    /// Opens the index of an SSTable: `Partitions.db` (and, for wide partitions, `Rows.db`) of it.
    convenience init(_ sstable: SSTable) throws(SSTableError) {
        let d = sstable.descriptor
        try self.init(path: d.path("Partitions.db"), rowsPath: d.path("Rows.db"), dataLength: sstable.uncompressedLength, version: d.version)
    }

    /// Opens Partitions.db at `path` and reads its footer and first and last keys.
    init(path: String, rowsPath: String, dataLength: Int64, version: SSTableVersion) throws(SSTableError) {
        self.path = path
        self.rowsPath = rowsPath
        self.dataLength = dataLength
        self.version = version
        let file = try SSTableStorage.open(path)
        let size = file.size
        guard size >= Self.footerSize + 4 else { throw SSTableError(path: path, offset: 0, "file of \(size) bytes is too short for a partition index") }
        let footerAt = size - Self.footerSize
        var footer = [UInt8](repeating: 0, count: Int(Self.footerSize))
        try Self.read(file, into: &footer, at: footerAt)
        let (keysAt, count, root) = footer.withUnsafeBytes { raw in
            (Int64(bigEndian: raw.loadUnaligned(as: Int64.self)), Int64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: Int64.self)),
             Int64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: Int64.self)))
        }
        guard keysAt > 0, keysAt <= footerAt - 4, footerAt - keysAt <= 2 * (2 + 65535) else {
            throw SSTableError(path: path, offset: footerAt, "first and last keys at \(keysAt) are outside the file (\(size) bytes)")
        }
        guard count > 0, count <= keysAt else { throw SSTableError(path: path, offset: footerAt + 8, "bad partition count \(count)") }
        guard root >= 0, root < keysAt else { throw SSTableError(path: path, offset: footerAt + 16, "trie root \(root) is outside the trie (\(keysAt) bytes)") }
        var keys = [UInt8](repeating: 0, count: Int(footerAt - keysAt))
        try Self.read(file, into: &keys, at: keysAt)
        let (first, last) = try Self.parse(keys, path: path, at: keysAt) { (raw) throws(CursorError) -> ([UInt8], [UInt8]) in
            var c = ByteCursor(raw)
            let first = try c.readShortBytes(), last = try c.readShortBytes()
            guard c.isAtEnd else { throw .malformed(at: c.position, "\(c.remaining) bytes between the last key and the footer") }
            return (Array(raw[first]), Array(raw[last]))
        }
        keyCount = count
        firstKey = first
        lastKey = last
        self.root = root
        trie = TrieFile(path: path, file: file, end: keysAt)
        // Cassandra 5.0 writes tries bottom-up, the root last, right before the keys. Pre-OSS
        // `na` bti files (the shared corpus's) put the root first and point to children by their
        // position in the page, with other type numbers: that layout is not read.
        let rootNode = try trie.node(at: root)
        let flags = rootNode.payloadFlags
        let rootEnd = rootNode.payloadPosition + Int64(flags >= 8 ? flags - 6 : flags)
        guard rootEnd == keysAt else {
            throw SSTableError(
                path: path, offset: root, "the trie's root ends at \(rootEnd), not at the first key (\(keysAt)): not a Cassandra 5.0 trie (a pre-OSS layout, or damage)")
        }
    }

    /// The entry that can hold partition `key` (Cassandra's `exactCandidate`); nil: `key` is not
    /// in the SSTable. As only a prefix of each key is stored, the entry may be another
    /// partition's when `key` is absent: the caller must compare the key found at
    /// `dataPosition` in Data.db (a wide partition's key was compared with Rows.db already).
    func entry(for key: [UInt8]) throws(SSTableError) -> Entry? {
        let bytes = DecoratedKeyBytes.murmur3(key)
        var node = try trie.node(at: root)
        var i = 0
        while i < bytes.count {
            let c = node.firstChild(atLeast: bytes[i])
            guard c < node.children.count, node.children[c].byte == bytes[i] else { break }
            node = try trie.node(at: node.children[c].position)
            i += 1
        }
        // A prefix that ends in a node with children only matches the whole key.
        if i < bytes.count, !node.children.isEmpty { return nil }
        guard let entry = try payload(of: node), entry.admits(key) else { return nil }
        return entry
    }

    /// The last partition whose token is certainly below `token` (nil: none is): the greatest
    /// entry on a branch that leaves the path of the token's first 9 bytes downwards (`Walker`'s
    /// lesser branch, then its maximum). The partitions after it in Data.db hold every token
    /// ≥ `token`; the partition there must have a token below `token` and admit the entry.
    func entry(before token: Int64) throws(SSTableError) -> Entry? {
        var node = try trie.node(at: root)
        var lesser: Int64?
        for b in DecoratedKeyBytes.tokenPrefix(token) {
            let c = node.firstChild(atLeast: b)
            if c > 0 { lesser = node.children[c - 1].position }
            guard c < node.children.count, node.children[c].byte == b else { break }
            node = try trie.node(at: node.children[c].position)
        }
        guard let lesser else { return nil }
        node = try trie.node(at: lesser)
        while let last = node.children.last { node = try trie.node(at: last.position) }
        guard let entry = try payload(of: node) else {
            throw SSTableError(path: path, offset: node.position, "trie leaf without a payload")
        }
        return entry
    }

    /// The entry a node's payload holds; nil when it has none.
    private func payload(of node: TrieNode) throws(SSTableError) -> Entry? {
        let flags = node.payloadFlags
        guard flags > 0 else { return nil }
        let hashed = flags >= 8
        let size = hashed ? flags - 7 : flags
        let (hashByte, value) = try trie.parse(at: node.payloadPosition, count: size + (hashed ? 1 : 0)) { (c) throws(CursorError) -> (UInt8?, Int64) in
            let hashByte: UInt8? = hashed ? try c.readUInt8() : nil
            return (hashByte, try c.readSizedInt(size))
        }
        var entry = Entry(dataPosition: ~value, hashByte: hashByte, key: nil, nodePosition: node.position, rowsPosition: value >= 0 ? value : nil)
        if value >= 0 {
            let rowsEntry = try rowIndex().entry(at: value)
            entry.key = rowsEntry.key
            entry.dataPosition = rowsEntry.dataPosition
        }
        guard entry.dataPosition < dataLength else {
            throw SSTableError(
                path: path, offset: node.payloadPosition, "Data.db position \(entry.dataPosition) is past the end of Data.db (\(dataLength) bytes)")
        }
        return entry
    }

    /// Rows.db, opened when first needed.
    func rowIndex() throws(SSTableError) -> RowIndexTrie {
        if let rows { return rows }
        let opened = try RowIndexTrie(path: rowsPath, version: version)
        rows = opened
        return opened
    }

    /// A walk over every partition in key order, read with `next`.
    func walk() throws(SSTableError) -> TrieFile.Walk { TrieFile.Walk(root: try trie.node(at: root)) }

    /// The next partition of a walk; nil after the last.
    func next(_ walk: inout TrieFile.Walk) throws(SSTableError) -> Entry? {
        guard let node = try walk.next(in: trie) else { return nil }
        return try payload(of: node)
    }

    /// `parseComponent` of bytes read from `offset` of the file: errors name file offsets.
    private static func parse<T>(_ bytes: [UInt8], path: String, at offset: Int64, _ body: (UnsafeRawBufferPointer) throws(CursorError) -> T) throws(SSTableError) -> T {
        do throws(SSTableError) {
            return try parseComponent(bytes, path: path, body)
        } catch {
            throw SSTableError(path: path, offset: offset + (error.offset ?? 0), error.message)
        }
    }

    private static func read(_ file: any RandomAccessSource, into bytes: inout [UInt8], at offset: Int64) throws(SSTableError) {
        var failure: SSTableError?
        bytes.withUnsafeMutableBytes { raw in
            do throws(SSTableError) { try file.read(into: raw, at: offset) } catch { failure = error }
        }
        if let failure { throw failure }
    }
}

extension SSTable {
    /// Why a range read cannot seek through this BTI SSTable's Partitions.db (missing, damaged,
    /// a pre-OSS layout); nil when it can.
    public func partitionIndexProblem() -> String? {
        guard hasComponent("Partitions.db") else { return "\(descriptor.path("Partitions.db")): missing" }
        do throws(SSTableError) {
            _ = try PartitionIndexBTI(self)
            return nil
        } catch {
            return error.description
        }
    }
}
