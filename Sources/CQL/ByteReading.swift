/// Big-endian reads from value bytes. Callers check lengths first.
extension UnsafeRawBufferPointer {
    @inline(__always)
    func beUInt16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    @inline(__always)
    func beUInt32(at offset: Int) -> UInt32 {
        var v: UInt32 = 0
        for i in 0..<4 { v = v << 8 | UInt32(self[offset + i]) }
        return v
    }

    @inline(__always)
    func beUInt64(at offset: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(self[offset + i]) }
        return v
    }

    /// A sub-range as its own buffer (no copy).
    @inline(__always)
    func slice(_ start: Int, _ count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: self[start..<(start + count)])
    }
}

/// Reads the `int-bytes` elements of a frozen collection, tuple or UDT value.
struct ElementCursor {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { offset >= bytes.count }

    /// An int32 count or length.
    mutating func readInt32() throws(CQLValueError) -> Int32 {
        guard bytes.count - offset >= 4 else { throw CQLValueError("truncated length at byte \(offset)") }
        let v = Int32(bitPattern: bytes.beUInt32(at: offset))
        offset += 4
        return v
    }

    /// One `int-bytes` element; nil for a negative length (null).
    mutating func readElement() throws(CQLValueError) -> UnsafeRawBufferPointer? {
        let length = try readInt32()
        if length < 0 { return nil }
        let n = Int(length)
        guard bytes.count - offset >= n else {
            throw CQLValueError("element of \(n) bytes at byte \(offset) runs past the value's \(bytes.count) bytes")
        }
        defer { offset += n }
        return bytes.slice(offset, n)
    }

    /// A collection's element count (non-negative).
    mutating func readCount() throws(CQLValueError) -> Int {
        let n = try readInt32()
        guard n >= 0 else { throw CQLValueError("negative element count \(n)") }
        // Every element needs at least its 4-byte length: reject counts the bytes cannot hold.
        guard Int(n) <= (bytes.count - offset) / 4 else { throw CQLValueError("element count \(n) too large for \(bytes.count) bytes") }
        return Int(n)
    }

    func expectEnd(_ what: StaticString) throws(CQLValueError) {
        guard offset == bytes.count else { throw CQLValueError("\(bytes.count - offset) extra bytes after the \(what) value") }
    }
}
