/// Why a `ByteCursor` read failed.
enum CursorError: Error {
    /// The read needs bytes past the end of the buffer; `at` is the buffer position.
    case endOfInput(at: Int)
    /// The bytes are not a valid encoding; `at` is the buffer position.
    case malformed(at: Int, String)
}

/// A bounds-checked, big-endian reader over borrowed bytes. Copies nothing.
///
/// `0 ≤ position ≤ end ≤ bytes.count` always holds, and every read first checks that its bytes
/// lie before `end`; so position arithmetic cannot overflow and is done without overflow checks.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    var position: Int
    let end: Int

    /// Reads `bytes[position..<end]`; an `end` past the bytes (a corrupt offset) is cut to them,
    /// and a `position` past `end` reads nothing.
    init(_ bytes: UnsafeRawBufferPointer, from position: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.end = max(0, min(end ?? bytes.count, bytes.count))
        self.position = max(0, min(position, self.end))
    }

    var remaining: Int { end &- position }
    var isAtEnd: Bool { position >= end }

    @inline(__always)
    mutating func need(_ n: Int) throws(CursorError) {
        if n < 0 { throw .malformed(at: position, "negative length \(n)") }
        if n > end &- position { throw .endOfInput(at: position) }
    }

    @inline(__always)
    mutating func readUInt8() throws(CursorError) -> UInt8 {
        try need(1)
        defer { position &+= 1 }
        return bytes[position]
    }

    @inline(__always)
    mutating func readBigEndian<T: FixedWidthInteger>(_: T.Type) throws(CursorError) -> T {
        try need(MemoryLayout<T>.size)
        defer { position &+= MemoryLayout<T>.size }
        return T(bigEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
    }

    mutating func readInt16() throws(CursorError) -> Int16 { try readBigEndian(Int16.self) }
    mutating func readUInt16() throws(CursorError) -> UInt16 { try readBigEndian(UInt16.self) }
    mutating func readInt32() throws(CursorError) -> Int32 { try readBigEndian(Int32.self) }
    mutating func readInt64() throws(CursorError) -> Int64 { try readBigEndian(Int64.self) }

    mutating func readDouble() throws(CursorError) -> Double {
        Double(bitPattern: try readBigEndian(UInt64.self))
    }

    /// Cassandra's unsigned vint (`VIntCoding`): leading 1-bits of the first byte count the extra bytes.
    @inline(__always)
    mutating func readUnsignedVInt() throws(CursorError) -> UInt64 {
        try need(1)
        let first = bytes[position]
        if first & 0x80 == 0 {
            position &+= 1
            return UInt64(first)
        }
        let extra = (~first).leadingZeroBitCount
        try need(1 + extra)
        var value = UInt64(first & (extra >= 8 ? 0 : (0xFF >> extra)))
        for i in 1...extra { value = value << 8 | UInt64(bytes[position &+ i]) }
        position &+= 1 &+ extra
        return value
    }

    /// Zig-zag encoded signed vint.
    mutating func readSignedVInt() throws(CursorError) -> Int64 {
        let raw = try readUnsignedVInt()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// An unsigned vint that must fit a non-negative Int (a length or count).
    @inline(__always)
    mutating func readVIntLength() throws(CursorError) -> Int {
        let start = position
        let raw = try readUnsignedVInt()
        guard raw <= UInt64(Int32.max) else { throw .malformed(at: start, "length \(raw) is too large") }
        return Int(raw)
    }

    /// Returns the range of the next `n` bytes and skips them.
    @inline(__always)
    mutating func take(_ n: Int) throws(CursorError) -> Range<Int> {
        try need(n)
        defer { position &+= n }
        return position..<(position &+ n)
    }

    mutating func skip(_ n: Int) throws(CursorError) { _ = try take(n) }

    /// A big-endian two's-complement integer of `n` bytes, 1–8 (`SizedInts.read`).
    mutating func readSizedInt(_ n: Int) throws(CursorError) -> Int64 {
        guard n >= 1, n <= 8 else { throw .malformed(at: position, "integer of \(n) bytes") }
        var value = Int64(Int8(bitPattern: try readUInt8()))
        for _ in 1..<n { value = value << 8 | Int64(try readUInt8()) }
        return value
    }

    /// A uint16 length followed by that many bytes.
    mutating func readShortBytes() throws(CursorError) -> Range<Int> { try take(Int(try readUInt16())) }

    /// A uint16 length followed by modified UTF-8 (Java `writeUTF`).
    mutating func readUTF() throws(CursorError) -> String {
        let range = try readShortBytes()
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// A vint length followed by that many bytes, as a string.
    mutating func readVIntString() throws(CursorError) -> String {
        let range = try take(try readVIntLength())
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
