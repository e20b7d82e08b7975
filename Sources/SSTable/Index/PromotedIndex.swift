import CQL

/// The promoted index of a wide partition's Index.db entry: the partition's row index, as
/// Cassandra's `RowIndexEntry` writes it for a partition of more than one block of
/// `column_index_size` (64 KiB by default) — where each block of its rows starts in Data.db,
/// its first and last clustering, and its width. Read block by block, in place.
///
/// - 2.x (`jb` `ka` `la`, `IndexHelper.IndexInfo`): the partition deletion (int32 local
///   deletion time, int64 markedForDeleteAt), int32 block count; per block the first and last
///   cell names (uint16 length + composite bytes), int64 offset and int64 width.
/// - 3.0+ (`ma`…`nb`, `oa`; `IndexInfo`): unsigned vint header length (key, deletion and static
///   row), the partition deletion (`oa`: the compact form), unsigned vint block count; per block
///   the first and last clustering as `ClusteringPrefix.serializer` writes them (kind byte;
///   bounds: uint16 size; the values as in rows), unsigned vint offset, signed vint width − 64 KiB,
///   a boolean and, when true, the range tombstone deletion open at the block's end; then one
///   int32 per block: where its `IndexInfo` starts, counted from the first.
///
/// Offsets count from the partition's first byte in Data.db.
final class PromotedIndexReader {
    /// What precedes the blocks.
    struct Header {
        var deletion: DeletionTime
        /// 3.0+: bytes of the partition before its first row (key, deletion, static row).
        var headerLength: Int64?
        var blockCount: Int
    }

    /// One block of rows.
    struct Block {
        /// The first and last names: 3.0+ clusterings as `ClusteringPrefix.serializer` writes
        /// them, 2.x cell names. Slices of the reader's window (no copy).
        var first: ArraySlice<UInt8>
        var last: ArraySlice<UInt8>
        /// Where the block starts, from the partition's first byte, and its length.
        var offset: Int64
        var width: Int64
        /// 3.0+: the range tombstone deletion open after the block's last row.
        var endOpenMarker: DeletionTime?
        /// Offset of the block's `IndexInfo` in Index.db.
        var indexOffset: Int64
    }

    var path: String { window.path }
    private let window: FileWindow
    private let rowFormat: Bool
    private let uintDeletionTime: Bool
    /// Per clustering column: the fixed value width, or -1 for length-prefixed values.
    private let clusteringWidths: [Int]
    private var next: Int64 = 0
    private var end: Int64 = 0
    private var remaining = 0
    private var firstBlock: Int64 = 0
    /// 3.0+: each block's `IndexInfo` offset from the first, checked against the offsets table.
    private var blockOffsets: [Int64] = []

    init(path: String, version: SSTableVersion, clusteringTypes: [CQLType]) throws(SSTableError) {
        window = try FileWindow(path: path)
        rowFormat = version.isRowFormat
        uintDeletionTime = version.hasUIntDeletionTime
        clusteringWidths = clusteringTypes.map { $0.fixedLength ?? -1 }
    }

    /// Reads the header of `entry`'s promoted index (which must have one); `nextBlock` then
    /// reads its blocks.
    func open(_ entry: PartitionIndexReader.Entry) throws(SSTableError) -> Header {
        end = entry.promotedIndexOffset + entry.promotedIndexSize
        let (rowFormat, uint) = (self.rowFormat, uintDeletionTime)
        let (header, at) = try window.parse(at: entry.promotedIndexOffset, end: end, "a promoted index") { (c) throws(CursorError) -> Header in
            if !rowFormat {
                let deletion = try c.readLegacyDeletionTime()
                let countAt = c.position
                let count = Int(try c.readInt32())
                guard count >= 0 else { throw .malformed(at: countAt, "negative block count \(count)") }
                return Header(deletion: deletion, headerLength: nil, blockCount: count)
            }
            let lengthAt = c.position
            let headerLength = try c.readUnsignedVInt()
            guard headerLength <= UInt64(Int64.max) else { throw .malformed(at: lengthAt, "header length \(headerLength) is too large") }
            let deletion = try c.readDeletionTime(uint: uint)
            return Header(deletion: deletion, headerLength: Int64(headerLength), blockCount: try c.readVIntLength())
        }
        next = at
        firstBlock = at
        remaining = header.blockCount
        blockOffsets.removeAll(keepingCapacity: true)
        return header
    }

    /// The next block; nil after the last, once the 3.0+ offsets table is checked and the
    /// promoted index is found to end there.
    func nextBlock() throws(SSTableError) -> Block? {
        guard remaining > 0 else {
            try finish()
            return nil
        }
        let (rowFormat, uint, widths) = (self.rowFormat, uintDeletionTime, clusteringWidths)
        let start = next
        let (parsed, after) = try window.parse(at: start, end: end, "a row index block") {
            (c) throws(CursorError) -> (Range<Int>, Range<Int>, Int64, Int64, DeletionTime?) in
            if !rowFormat {
                let first = try c.readShortBytes(), last = try c.readShortBytes()
                let offsetAt = c.position
                let offset = try c.readInt64(), width = try c.readInt64()
                guard offset >= 0, width > 0 else { throw .malformed(at: offsetAt, "block offset \(offset) or width \(width) is out of range") }
                return (first, last, offset, width, nil)
            }
            let first = try Self.skipPrefix(&c, widths: widths), last = try Self.skipPrefix(&c, widths: widths)
            let offsetAt = c.position
            let offset = try c.readUnsignedVInt()
            let width = try c.readSignedVInt() &+ 65536
            guard offset <= UInt64(Int64.max), width > 0 else { throw .malformed(at: offsetAt, "block offset \(offset) or width \(width) is out of range") }
            let open = try c.readUInt8() != 0 ? try c.readDeletionTime(uint: uint) : nil
            return (first, last, Int64(offset), width, open)
        }
        next = after
        remaining -= 1
        if rowFormat { blockOffsets.append(start - firstBlock) }
        return Block(
            first: window.bytes[parsed.0], last: window.bytes[parsed.1], offset: parsed.2, width: parsed.3, endOpenMarker: parsed.4, indexOffset: start)
    }

    /// Checks the offsets table (3.0+) and that the promoted index ends there.
    private func finish() throws(SSTableError) {
        if rowFormat, !blockOffsets.isEmpty {
            let expected = blockOffsets
            let (_, after) = try window.parse(at: next, end: end, "the row index offsets table") { (c) throws(CursorError) in
                for (i, offset) in expected.enumerated() {
                    let at = c.position
                    let stored = Int64(try c.readInt32())
                    guard stored == offset else {
                        throw .malformed(at: at, "offsets table entry \(i) is \(stored), but block \(i) starts \(offset) bytes after the first")
                    }
                }
            }
            next = after
            blockOffsets.removeAll(keepingCapacity: true)
        }
        guard next == end else {
            throw SSTableError(path: window.path, offset: next, "\(end - next) bytes after the last row index block, inside the promoted index")
        }
    }

    /// Steps over a clustering prefix as `ClusteringPrefix.serializer` writes it; returns its bytes.
    static func skipPrefix(_ c: inout ByteCursor, widths: [Int]) throws(CursorError) -> Range<Int> {
        let start = c.position
        guard let kind = BoundKind(rawValue: try c.readUInt8()), kind != .staticClustering else {
            throw .malformed(at: start, "bad clustering kind 0x\(String(c.bytes[start], radix: 16))")
        }
        var count = widths.count
        if kind != .clustering {
            count = Int(try c.readUInt16())
            guard count <= widths.count else { throw .malformed(at: start + 1, "bound has \(count) clustering values but the table has \(widths.count)") }
        }
        try c.skipClusteringValues(widths.prefix(count))
        return start..<c.position
    }
}

extension ByteCursor {
    /// Clustering values as rows store them: batches of 32, each led by an unsigned vint with 2
    /// bits per value (bit 2i+1: null, bit 2i: empty), then each present value (fixed width, or
    /// vint length + bytes).
    mutating func skipClusteringValues(_ widths: ArraySlice<Int>) throws(CursorError) {
        var i = 0
        while i < widths.count {
            let bits = try readUnsignedVInt()
            let limit = min(widths.count, i + 32)
            while i < limit {
                let shift = UInt64((i % 32) * 2)
                if bits & (3 << shift) == 0 {
                    let width = widths[widths.startIndex + i]
                    try skip(width >= 0 ? width : try readVIntLength())
                }
                i += 1
            }
        }
    }
}
