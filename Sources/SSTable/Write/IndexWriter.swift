/// Index.db (one entry per partition: key, Data.db position, and for a partition of more than
/// one row index block its promoted index, as `RowIndexEntry.IndexedEntry` writes it; layout:
/// `PromotedIndexReader`) and Summary.db (every 128th Index.db entry, `IndexSummaryBuilder` at
/// full sampling).
final class IndexWriter {
    static let minIndexInterval = 128
    static let samplingLevel = 128
    let file: OutputFile
    private var entry: [UInt8] = []
    private var blocks: [UInt8] = []
    private var blockOffsets: [Int32] = []
    private var sampled: [(key: [UInt8], position: Int64)] = []
    private var count = 0
    private(set) var firstKey: [UInt8]?
    private(set) var lastKey: [UInt8] = []

    init(path: String) throws(SSTableError) { file = try OutputFile(path) }

    /// Adds the partition at `dataPosition` of Data.db, cut into `rowIndex`'s blocks
    /// (`widths`: per clustering column, the fixed value width or -1).
    func add(key: [UInt8], dataPosition: Int64, deletion: DeletionTime, rowIndex: RowIndexBuilder, widths: [Int]) throws(SSTableError) {
        if count % Self.minIndexInterval == 0 { sampled.append((key, file.position)) }
        count += 1
        if firstKey == nil { firstKey = key }
        lastKey = key
        entry.removeAll(keepingCapacity: true)
        entry.appendShortBytes(key)
        entry.appendUnsignedVInt(UInt64(dataPosition))
        if rowIndex.blocks.count > 1 {
            do throws(WriteError) {
                try appendPromotedIndex(deletion: deletion, rowIndex: rowIndex, widths: widths)
            } catch {
                throw SSTableError(path: file.path, offset: file.position, "row index of the partition at Data.db byte \(dataPosition): \(error.description)")
            }
        } else {
            entry.appendUnsignedVInt(0)
        }
        try file.write(entry)
    }

    /// The promoted index's size, header, `IndexInfo`s (width stored less 64 KiB) and offsets table.
    private func appendPromotedIndex(deletion: DeletionTime, rowIndex: RowIndexBuilder, widths: [Int]) throws(WriteError) {
        blocks.removeAll(keepingCapacity: true)
        blockOffsets.removeAll(keepingCapacity: true)
        for b in rowIndex.blocks {
            blockOffsets.append(Int32(blocks.count))
            try blocks.appendClusteringPrefix(b.first, widths: widths)
            try blocks.appendClusteringPrefix(b.last, widths: widths)
            blocks.appendUnsignedVInt(b.offset)
            blocks.appendVInt(Int64(b.width) - 65536)
            blocks.append(b.openAtEnd == nil ? 0 : 1)
            if let open = b.openAtEnd { blocks.appendDeletionTime(open, uint: false) }
        }
        for o in blockOffsets { blocks.appendInt32(o) }
        let headerSize = VInt.size(UInt64(rowIndex.headerLength)) + 12 + VInt.size(UInt64(rowIndex.blocks.count))
        entry.appendUnsignedVInt(headerSize + blocks.count)
        entry.appendUnsignedVInt(rowIndex.headerLength)
        entry.appendDeletionTime(deletion, uint: false)
        entry.appendUnsignedVInt(rowIndex.blocks.count)
        entry += blocks
    }

    func finish() throws(SSTableError) { try file.close() }

    /// Summary.db: header, little-endian offsets, entries (key + little-endian Index.db
    /// position), then the first and last keys as int-length bytes.
    func summary() -> [UInt8] {
        var entries: [UInt8] = []
        var offsets: [UInt32] = []
        let offsetsSize = sampled.count * 4
        for s in sampled {
            offsets.append(UInt32(offsetsSize + entries.count))
            entries.append(contentsOf: s.key)
            entries.appendInt64LE(UInt64(s.position))
        }
        var out: [UInt8] = []
        out.appendInt32(Int32(Self.minIndexInterval))
        out.appendInt32(Int32(sampled.count))
        out.appendInt64(Int64(offsetsSize + entries.count))
        out.appendInt32(Int32(Self.samplingLevel))
        out.appendInt32(Int32((count + Self.minIndexInterval - 1) / Self.minIndexInterval))
        for o in offsets { out.appendInt32LE(o) }
        out.append(contentsOf: entries)
        for key in [firstKey ?? [], lastKey] {
            out.appendInt32(Int32(key.count))
            out.append(contentsOf: key)
        }
        return out
    }
}
