/// Part of a file held in memory to parse index structures in place (Index.db entries and their
/// promoted indexes, Rows.db entries): `parse` runs a cursor over the file from any offset and
/// reads more of the file while the cursor needs it. Memory: one block, or the largest
/// structure parsed at once.
final class FileWindow {
    let path: String
    let file: any RandomAccessSource
    let blockSize: Int
    /// Bytes of the file from `base`. Each read replaces the array (never writes into it), so
    /// slices of it handed out stay valid.
    private(set) var bytes: [UInt8] = []
    private(set) var base: Int64 = 0

    /// A structure larger than this means a corrupt length.
    static let maxStructure = 512 << 20

    init(path: String, file: any RandomAccessSource, blockSize: Int = 64 << 10) {
        self.path = path
        self.file = file
        self.blockSize = blockSize
    }

    convenience init(path: String, blockSize: Int = 64 << 10) throws(SSTableError) {
        self.init(path: path, file: try SSTableStorage.open(path), blockSize: blockSize)
    }

    var size: Int64 { file.size }

    /// Runs `body` on a cursor over the file from `offset` to `end` (the end of the file when
    /// nil), reading more of the file while `body` runs out of bytes. Returns what `body`
    /// returns and the file offset where it left the cursor; cursor positions are indexes into
    /// `bytes` (file offset `base + position`). `what` names the structure in errors.
    func parse<T>(at offset: Int64, end: Int64? = nil, _ what: String, _ body: (inout ByteCursor) throws(CursorError) -> T) throws(SSTableError) -> (T, Int64) {
        let limit = min(end ?? file.size, file.size)
        guard offset >= 0, offset <= limit else {
            throw SSTableError(path: path, offset: offset, "\(what) starts past the end of the file (\(file.size) bytes)")
        }
        var want = blockSize
        if offset < base || offset > base + Int64(bytes.count) { try load(offset, count: want) }
        while true {
            let relative = Int(offset - base), stop = Int(min(limit - base, Int64(bytes.count)))
            let result: Result<(T, Int), CursorError> = bytes.withUnsafeBytes { raw in
                var c = ByteCursor(raw, from: relative, end: stop)
                do throws(CursorError) {
                    let value = try body(&c)
                    return .success((value, c.position))
                } catch {
                    return .failure(error)
                }
            }
            switch result {
            case .success(let (value, position)):
                return (value, base + Int64(position))
            case .failure(.malformed(let at, let message)):
                throw SSTableError(path: path, offset: base + Int64(at), message)
            case .failure(.endOfInput):
                guard base + Int64(bytes.count) < limit else {
                    throw SSTableError(path: path, offset: offset, end == nil ? "file is truncated inside \(what)" : "\(what) runs past its end at byte \(limit)")
                }
                want = max(want, 2 * (stop - relative))
                guard want <= Self.maxStructure else {
                    throw SSTableError(path: path, offset: offset, "\(what) is larger than \(Self.maxStructure >> 20) MiB: a length field is corrupt")
                }
                try load(offset, count: want)
            }
        }
    }

    /// Replaces the window with up to `count` bytes of the file from `offset`.
    private func load(_ offset: Int64, count: Int) throws(SSTableError) {
        bytes = try file.bytes(at: offset, count: Int(min(Int64(count), file.size - offset)))
        base = offset
    }
}
