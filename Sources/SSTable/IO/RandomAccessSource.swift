/// Bytes read by position: a local file (``ReadOnlyFile``) or an object a store serves (S3).
/// Used from one thread at a time.
public protocol RandomAccessSource: AnyObject {
    /// The path or URL errors name.
    var path: String { get }
    /// Length in bytes.
    var size: Int64 { get }
    /// Reads exactly `buffer.count` bytes at `offset` into `buffer`.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(SSTableError)
}

extension RandomAccessSource {
    /// `count` bytes at `offset`, in an array of their own.
    public func bytes(at offset: Int64, count: Int) throws(SSTableError) -> [UInt8] {
        guard offset + Int64(count) <= size else {
            throw SSTableError(path: path, offset: offset, "\(count) bytes run past the end of the file (\(size) bytes): it is truncated")
        }
        var bytes = [UInt8](repeating: 0, count: count)
        var failure: SSTableError?
        bytes.withUnsafeMutableBytes { raw in
            do throws(SSTableError) { try read(into: raw, at: offset) } catch { failure = error }
        }
        if let failure { throw failure }
        return bytes
    }

    /// The whole file (for small components: CompressionInfo, Statistics, TOC).
    public func readAll(limit: Int64 = 1 << 30) throws(SSTableError) -> [UInt8] {
        guard size <= limit else { throw SSTableError(path: path, "file is too large (\(size) bytes)") }
        return try bytes(at: 0, count: Int(size))
    }
}
