/// An SSTable that cannot be read: names the file and the byte offset where reading failed.
///
/// Offsets in `Data.db` are positions in the *uncompressed* data unless the message says
/// "file offset" (compressed chunk problems).
public struct SSTableError: Error, Sendable, CustomStringConvertible {
    /// The file (or folder) concerned.
    public var path: String
    /// The byte offset, when the problem is at a position in the file.
    public var offset: Int64?
    /// What is wrong, one line.
    public var message: String

    public init(path: String, offset: Int64? = nil, _ message: String) {
        self.path = path
        self.offset = offset
        self.message = message
    }

    public var description: String {
        if let offset { return "\(path): at byte \(offset): \(message)" }
        return "\(path): \(message)"
    }
}
