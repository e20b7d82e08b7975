/// Partitions.db of a BTI SSTable (`na` bti, `da`), read as Cassandra's `PartitionIndex` reads it:
/// a trie keyed by the byte-comparable form of each partition's decorated key
/// (`DecoratedKeyBytes`), of which only the prefix that tells it from its neighbours is stored.
///
/// Layout: the trie nodes (`TrieNode`), written bottom-up, root last; the first and last
/// partition keys (uint16 length + bytes); then three int64s: the position of those keys, the
/// partition count and the root's position. A partition's payload (flags ≥ 8, always the case in
/// Cassandra 5.0) is the key's hash byte (`DecoratedKeyBytes.hashByte`) then a big-endian
/// sign-extended integer of flags − 7 bytes (flags 1–7: no hash byte, flags bytes): ≥ 0 is the
/// position of the partition's entry in Rows.db (a wide partition: key as uint16 length + bytes,
/// then its Data.db position as an unsigned vint, `TrieIndexEntry`), < 0 is `~` its Data.db position.
///
/// Nodes are read a window of 8 KiB at a time, so a lookup reads a few pages, not the file.
/// The root must end the trie, as Cassandra 5.0 writes it; the pre-OSS `na` bti layout (root
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
    private let file: ReadOnlyFile
    private var rows: ReadOnlyFile?
    private let root: Int64
    /// End of the trie nodes (where the first and last keys begin).
    private let trieEnd: Int64
    /// Data.db positions must lie below this (the uncompressed Data.db length).
    private let dataLength: Int64
    private var window: [UInt8] = []
    private var windowBase: Int64 = 0

    static let footerSize: Int64 = 24
    static let windowSize = 8192

    /// Opens the index of an SSTable: `Partitions.db` (and, for wide partitions, `Rows.db`) of it.
    convenience init(_ sstable: SSTable) throws(SSTableError) {
        let d = sstable.descriptor
        try self.init(path: d.path("Partitions.db"), rowsPath: d.path("Rows.db"), dataLength: sstable.uncompressedLength)
    }

    /// Opens Partitions.db at `path` and reads its footer and first and last keys.
    init(path: String, rowsPath: String, dataLength: Int64) throws(SSTableError) {
        self.path = path
        self.rowsPath = rowsPath
        self.dataLength = dataLength
        let file = try ReadOnlyFile(path)
        self.file = file
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
        trieEnd = keysAt
        // Cassandra 5.0 writes tries bottom-up, the root last, right before the keys. Pre-OSS
        // `na` bti files (the shared corpus's) put the root first and point to children by their
        // position in the page, with other type numbers: that layout is not read.
        let rootNode = try node(at: root)
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
        var node = try self.node(at: root)
        var i = 0
        while i < bytes.count {
            let c = node.firstChild(atLeast: bytes[i])
            guard c < node.children.count, node.children[c].byte == bytes[i] else { break }
            node = try self.node(at: node.children[c].position)
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
        var node = try self.node(at: root)
        var lesser: Int64?
        for b in DecoratedKeyBytes.tokenPrefix(token) {
            let c = node.firstChild(atLeast: b)
            if c > 0 { lesser = node.children[c - 1].position }
            guard c < node.children.count, node.children[c].byte == b else { break }
            node = try self.node(at: node.children[c].position)
        }
        guard let lesser else { return nil }
        node = try self.node(at: lesser)
        while let last = node.children.last { node = try self.node(at: last.position) }
        guard let entry = try payload(of: node) else {
            throw SSTableError(path: path, offset: node.position, "trie leaf without a payload")
        }
        return entry
    }

    /// The node at `position`, read through the window.
    private func node(at position: Int64) throws(SSTableError) -> TrieNode {
        guard position >= 0, position < trieEnd else {
            throw SSTableError(path: path, offset: position, "trie node position is outside the trie (\(trieEnd) bytes)")
        }
        try load(position, count: TrieNode.maxSize)
        let offset = Int(position - windowBase)
        let parsed: Result<TrieNode, CursorError> = window.withUnsafeBytes { raw in
            do throws(CursorError) { return .success(try TrieNode.parse(raw, at: offset, base: windowBase)) } catch { return .failure(error) }
        }
        switch parsed {
        case .success(let node): return node
        case .failure(.endOfInput(let at)): throw SSTableError(path: path, offset: windowBase + Int64(at), "trie node at \(position) runs past the end of the trie")
        case .failure(.malformed(let at, let message)): throw SSTableError(path: path, offset: windowBase + Int64(at), message)
        }
    }

    /// Makes the window hold the trie from `position` on: `count` bytes, or up to the trie's end.
    private func load(_ position: Int64, count: Int) throws(SSTableError) {
        let windowEnd = windowBase + Int64(window.count)
        if position >= windowBase, position + Int64(count) <= windowEnd || (position < windowEnd && windowEnd == trieEnd) { return }
        let base = position & ~4095
        var bytes = [UInt8](repeating: 0, count: Int(min(Int64(max(Self.windowSize, count + 4096)), trieEnd - base)))
        try Self.read(file, into: &bytes, at: base)
        window = bytes
        windowBase = base
    }

    /// The entry a node's payload holds; nil when it has none.
    private func payload(of node: TrieNode) throws(SSTableError) -> Entry? {
        let flags = node.payloadFlags
        guard flags > 0 else { return nil }
        let hashed = flags >= 8
        let size = hashed ? flags - 7 : flags
        let length = size + (hashed ? 1 : 0)
        guard node.payloadPosition + Int64(length) <= trieEnd else {
            throw SSTableError(path: path, offset: node.payloadPosition, "payload of the trie node at \(node.position) runs past the end of the trie")
        }
        try load(node.payloadPosition, count: length)
        let at = Int(node.payloadPosition - windowBase)
        let hashByte: UInt8? = hashed ? window[at] : nil
        let first = at + (hashed ? 1 : 0)
        var value = Int64(Int8(bitPattern: window[first]))
        for i in 1..<size { value = value << 8 | Int64(window[first + i]) }
        var entry = Entry(dataPosition: ~value, hashByte: hashByte, key: nil, nodePosition: node.position)
        if value >= 0 {
            let (key, dataPosition) = try rowsEntry(at: value)
            entry.key = key
            entry.dataPosition = dataPosition
        }
        guard entry.dataPosition < dataLength else {
            throw SSTableError(
                path: path, offset: node.payloadPosition, "Data.db position \(entry.dataPosition) is past the end of Data.db (\(dataLength) bytes)")
        }
        return entry
    }

    /// The partition key and Data.db position of the Rows.db entry at `position`.
    private func rowsEntry(at position: Int64) throws(SSTableError) -> ([UInt8], Int64) {
        if rows == nil { rows = try ReadOnlyFile(rowsPath) }
        let rows = rows!
        guard position < rows.size else {
            throw SSTableError(path: rowsPath, offset: position, "entry position is past the end of the file (\(rows.size) bytes)")
        }
        var bytes = [UInt8](repeating: 0, count: Int(min(rows.size - position, 2 + 65535 + 9)))
        try Self.read(rows, into: &bytes, at: position)
        let (key, dataPosition) = try Self.parse(bytes, path: rowsPath, at: position) { (raw) throws(CursorError) -> ([UInt8], UInt64) in
            var c = ByteCursor(raw)
            let key = try c.readShortBytes()
            return (Array(raw[key]), try c.readUnsignedVInt())
        }
        guard dataPosition <= UInt64(Int64.max) else { throw SSTableError(path: rowsPath, offset: position, "Data.db position \(dataPosition) is too large") }
        return (key, Int64(dataPosition))
    }

    /// `parseComponent` of bytes read from `offset` of the file: errors name file offsets.
    private static func parse<T>(_ bytes: [UInt8], path: String, at offset: Int64, _ body: (UnsafeRawBufferPointer) throws(CursorError) -> T) throws(SSTableError) -> T {
        do throws(SSTableError) {
            return try parseComponent(bytes, path: path, body)
        } catch {
            throw SSTableError(path: path, offset: offset + (error.offset ?? 0), error.message)
        }
    }

    private static func read(_ file: ReadOnlyFile, into bytes: inout [UInt8], at offset: Int64) throws(SSTableError) {
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
