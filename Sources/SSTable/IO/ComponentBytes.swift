/// Parses a small component read whole (CompressionInfo.db, Statistics.db), turning cursor
/// failures into errors that name the file and offset.
func parseComponent<T>(_ bytes: [UInt8], path: String, _ body: (UnsafeRawBufferPointer) throws(CursorError) -> T) throws(SSTableError) -> T {
    let result: Result<T, CursorError> = bytes.withUnsafeBytes { raw in
        do throws(CursorError) { return .success(try body(raw)) } catch { return .failure(error) }
    }
    switch result {
    case .success(let value): return value
    case .failure(.endOfInput(let at)): throw SSTableError(path: path, offset: Int64(at), "file is truncated")
    case .failure(.malformed(let at, let message)): throw SSTableError(path: path, offset: Int64(at), message)
    }
}
