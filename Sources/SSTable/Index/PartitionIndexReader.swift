/// Reads Index.db of a `big` SSTable in order, from any entry boundary, a block at a time:
/// for each partition, in the partitioner's order, its key and its position in the uncompressed
/// Data.db (`RowIndexEntry`). A wide partition's promoted (column) index follows its entry and
/// is skipped unread.
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
    }

    let path: String
    private let file: ReadOnlyFile
    private let vintEntries: Bool
    /// Bytes of the file from `bufferBase`.
    private var buffer: [UInt8] = []
    private var bufferBase: Int64 = 0
    /// File offset of the next entry.
    private(set) var position: Int64 = 0

    static let blockSize = 64 << 10

    init(path: String, version: SSTableVersion) throws(SSTableError) {
        self.path = path
        file = try ReadOnlyFile(path)
        vintEntries = version.isRowFormat
    }

    /// Size of Index.db.
    var size: Int64 { file.size }

    /// Reads on from the entry at `offset` (which must start an entry).
    func seek(to offset: Int64) { position = offset }

    /// The entry at the current position; nil at the end of the file.
    func next() throws(SSTableError) -> Entry? {
        guard position < file.size else { return nil }
        while true {
            let relative = Int(position - bufferBase)
            if relative >= 0, relative <= buffer.count {
                let parsed: Result<(Entry, Int64), CursorError> = buffer.withUnsafeBytes { raw in
                    do throws(CursorError) { return .success(try parseEntry(raw, at: relative)) } catch { return .failure(error) }
                }
                switch parsed {
                case .success(let (entry, next)):
                    guard next <= file.size else {
                        throw SSTableError(path: path, offset: position, "promoted index runs past the end of the file (\(file.size) bytes)")
                    }
                    position = next
                    return entry
                case .failure(.malformed(let at, let message)):
                    throw SSTableError(path: path, offset: bufferBase + Int64(at), message)
                case .failure(.endOfInput):
                    guard bufferBase + Int64(buffer.count) < file.size else {
                        throw SSTableError(path: path, offset: position, "file is truncated inside an entry")
                    }
                }
            }
            try load(from: position, atLeast: max(Self.blockSize, 2 * (buffer.count - max(0, relative))))
        }
    }

    /// Parses the entry at `at`; returns it with the file offset of the next entry.
    private func parseEntry(_ raw: UnsafeRawBufferPointer, at: Int) throws(CursorError) -> (Entry, Int64) {
        var c = ByteCursor(raw, from: at)
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
        let entry = Entry(key: Array(raw[key]), dataPosition: dataPosition, indexOffset: bufferBase + Int64(at), promotedIndexSize: promotedSize)
        return (entry, bufferBase + Int64(c.position) + promotedSize)
    }

    /// Replaces the buffer with up to `count` bytes of the file from `offset`.
    private func load(from offset: Int64, atLeast count: Int) throws(SSTableError) {
        let n = Int(min(Int64(count), file.size - offset))
        if buffer.count != n { buffer = [UInt8](repeating: 0, count: n) }
        var failure: SSTableError?
        buffer.withUnsafeMutableBytes { raw in
            do throws(SSTableError) { try file.read(into: raw, at: offset) } catch { failure = error }
        }
        if let failure { throw failure }
        bufferBase = offset
    }
}
