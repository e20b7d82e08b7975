/// Reads Index.db of a `big` SSTable in order, from any entry boundary, a block at a time:
/// for each partition, in the partitioner's order, its key and its position in the uncompressed
/// Data.db (`RowIndexEntry`). A wide partition's promoted (row) index follows its entry; this
/// reader steps over it (`PromotedIndexReader` reads it).
///
/// Entry: uint16 key length + key; then ma+ unsigned vint position and unsigned vint promoted
/// index size, before ma int64 position and int32 promoted index size; then that many bytes.
final class PartitionIndexReader {
    /// One partition's entry.
    struct Entry {
        var key: [UInt8]
        /// Offset of the partition in the uncompressed Data.db.
        var dataPosition: Int64
        /// Offset of the entry in Index.db.
        var indexOffset: Int64
        /// Bytes of the promoted index after the entry (0: the partition has none).
        var promotedIndexSize: Int64
        /// Offset of the promoted index in Index.db.
        var promotedIndexOffset: Int64
    }

    let path: String
    private let window: FileWindow
    private let vintEntries: Bool
    /// File offset of the next entry.
    private(set) var position: Int64 = 0

    init(path: String, version: SSTableVersion) throws(SSTableError) {
        self.path = path
        window = try FileWindow(path: path)
        vintEntries = version.isRowFormat
    }

    /// Size of Index.db.
    var size: Int64 { window.size }

    /// Reads on from the entry at `offset` (which must start an entry).
    func seek(to offset: Int64) { position = offset }

    /// The entry at the current position; nil at the end of the file.
    func next() throws(SSTableError) -> Entry? {
        guard position < window.size else { return nil }
        let vintEntries = self.vintEntries
        let ((key, dataPosition, promotedSize), end) = try window.parse(at: position, "an entry") { (c) throws(CursorError) -> (Range<Int>, Int64, Int64) in
            let key = try c.readShortBytes()
            let positionAt = c.position
            let dataPosition: Int64, promotedSize: Int64
            if vintEntries {
                let p = try c.readUnsignedVInt()
                guard p <= UInt64(Int64.max) else { throw .malformed(at: positionAt, "Data.db position \(p) is too large") }
                dataPosition = Int64(p)
                promotedSize = Int64(try c.readVIntLength())
            } else {
                dataPosition = try c.readInt64()
                let sizeAt = c.position
                promotedSize = Int64(try c.readInt32())
                guard promotedSize >= 0 else { throw .malformed(at: sizeAt, "negative promoted index size \(promotedSize)") }
            }
            guard dataPosition >= 0 else { throw .malformed(at: positionAt, "negative Data.db position \(dataPosition)") }
            return (key, dataPosition, promotedSize)
        }
        guard end + promotedSize <= window.size else {
            throw SSTableError(path: path, offset: position, "promoted index runs past the end of the file (\(window.size) bytes)")
        }
        let keyBytes = Array(window.bytes[key])
        let entry = Entry(key: keyBytes, dataPosition: dataPosition, indexOffset: position, promotedIndexSize: promotedSize, promotedIndexOffset: end)
        position = end + promotedSize
        return entry
    }
}
