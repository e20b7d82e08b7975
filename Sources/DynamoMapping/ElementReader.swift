import CQL

/// Reads the native-protocol encoding of frozen collections, tuples and UDTs: an int32 count
/// (collections), then per element an int32 length (−1 for null) and the bytes.
struct ElementReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { position >= bytes.count }

    mutating func readInt32() throws(CQLValueError) -> Int32 {
        guard position + 4 <= bytes.count else { throw CQLValueError("collection value truncated at byte \(position)") }
        var v: UInt32 = 0
        for i in 0..<4 { v = v << 8 | UInt32(bytes[position + i]) }
        position += 4
        return Int32(bitPattern: v)
    }

    /// The element count of a list, set or map.
    mutating func readCount() throws(CQLValueError) -> Int {
        let n = try readInt32()
        guard n >= 0, Int(n) <= bytes.count else { throw CQLValueError("collection count \(n) is invalid") }
        return Int(n)
    }

    /// The next element; nil for a null element.
    mutating func readElement() throws(CQLValueError) -> UnsafeRawBufferPointer? {
        let n = try readInt32()
        if n < 0 { return nil }
        guard position + Int(n) <= bytes.count else { throw CQLValueError("collection element of \(n) bytes overruns the value") }
        defer { position += Int(n) }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<position + Int(n)])
    }
}

extension UnsafeRawBufferPointer {
    /// Big-endian unsigned integer of the first `count` bytes (at most 8).
    @inline(__always)
    func bigEndian(_ count: Int, at offset: Int = 0) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<count { v = v << 8 | UInt64(self[offset + i]) }
        return v
    }
}
