/// Big-endian and vint appends onto a byte array: the encodings of Java's `DataOutput` and
/// Cassandra's `VIntCoding`, as the writer needs them.
extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendInt16(_ v: UInt16) {
        append(UInt8(truncatingIfNeeded: v >> 8))
        append(UInt8(truncatingIfNeeded: v))
    }

    @inline(__always)
    mutating func appendInt32(_ v: UInt32) {
        append(UInt8(truncatingIfNeeded: v >> 24))
        append(UInt8(truncatingIfNeeded: v >> 16))
        append(UInt8(truncatingIfNeeded: v >> 8))
        append(UInt8(truncatingIfNeeded: v))
    }

    @inline(__always)
    mutating func appendInt32(_ v: Int32) { appendInt32(UInt32(bitPattern: v)) }

    @inline(__always)
    mutating func appendInt64(_ v: UInt64) {
        appendInt32(UInt32(truncatingIfNeeded: v >> 32))
        appendInt32(UInt32(truncatingIfNeeded: v))
    }

    @inline(__always)
    mutating func appendInt64(_ v: Int64) { appendInt64(UInt64(bitPattern: v)) }

    mutating func appendDouble(_ v: Double) { appendInt64(v.bitPattern) }

    /// Little-endian 32 and 64 bits (Summary.db offsets and positions).
    mutating func appendInt32LE(_ v: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    mutating func appendInt64LE(_ v: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }

    /// Unsigned vint: leading 1-bits of the first byte count the extra bytes (`VIntCoding`).
    @inline(__always)
    mutating func appendUnsignedVInt(_ v: UInt64) {
        if v < 0x80 {
            append(UInt8(v))
            return
        }
        let extra = VInt.extraBytes(v)
        let firstByteValue = UInt8(truncatingIfNeeded: v >> UInt64(extra * 8))
        let mask: UInt8 = extra >= 8 ? 0xFF : ~(0xFF >> UInt8(extra))
        append(extra >= 8 ? 0xFF : (mask | firstByteValue))
        var shift = (extra - 1) * 8
        while shift >= 0 {
            append(UInt8(truncatingIfNeeded: v >> UInt64(shift)))
            shift -= 8
        }
    }

    @inline(__always)
    mutating func appendUnsignedVInt(_ v: Int) { appendUnsignedVInt(UInt64(bitPattern: Int64(v))) }

    /// Signed vint: zig-zag, then unsigned vint.
    mutating func appendVInt(_ v: Int64) {
        appendUnsignedVInt(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    /// uint16 length + bytes.
    mutating func appendShortBytes(_ bytes: [UInt8]) {
        appendInt16(UInt16(bytes.count))
        append(contentsOf: bytes)
    }

    /// Java `writeUTF` for ASCII text: uint16 length + bytes.
    mutating func appendUTF(_ s: String) { appendShortBytes(Array(s.utf8)) }

    /// A DeletionTime as the SSTable version stores it (`DeletionTime.getSerializer`): from `oa`
    /// on 0x80 for live, else int64 markedForDeleteAt and uint32 local deletion time; before,
    /// int32 local deletion time and int64 markedForDeleteAt.
    mutating func appendDeletionTime(_ d: DeletionTime, uint: Bool) {
        if !uint {
            appendInt32(Int32(truncatingIfNeeded: d.localDeletionTime))
            appendInt64(d.markedForDeleteAt)
        } else if d.isLive {
            append(0x80)
        } else {
            appendInt64(d.markedForDeleteAt)
            appendInt32(UInt32(truncatingIfNeeded: d.localDeletionTime))
        }
    }

    /// Unsigned vint length + bytes.
    mutating func appendVIntBytes(_ bytes: [UInt8]) {
        appendUnsignedVInt(bytes.count)
        append(contentsOf: bytes)
    }

    /// Unsigned LEB128 (stream-lib `Varint.writeUnsignedVarInt`).
    mutating func appendLEB128(_ v: UInt32) {
        var v = v
        while v & ~0x7F != 0 {
            append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        append(UInt8(v))
    }
}

/// Sizes of Cassandra's vint encoding.
enum VInt {
    /// Extra bytes after the first for an unsigned value (0–8).
    @inline(__always)
    static func extraBytes(_ v: UInt64) -> Int {
        // 7 value bits in one byte; each extra byte adds 7 (the first byte loses one bit per extra byte).
        let bits = 64 - v.leadingZeroBitCount
        if bits <= 7 { return 0 }
        return min(8, (bits - 1) / 7)
    }

    /// Bytes of an unsigned vint.
    @inline(__always)
    static func size(_ v: UInt64) -> Int { 1 + extraBytes(v) }
}
