import HexCoding

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

    /// One line: control characters from file contents (names, corrupt strings) are escaped.
    public var description: String {
        let text = offset.map { "\(path): at byte \($0): \(message)" } ?? "\(path): \(message)"
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\x" + Hex.encode([UInt8(scalar.value)])
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
