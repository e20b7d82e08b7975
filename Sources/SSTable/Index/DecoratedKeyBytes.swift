/// A Murmur3 partition key in the byte-comparable form BTI's Partitions.db orders and indexes
/// partitions by (Cassandra's `DecoratedKey.asComparableBytes`, ByteComparable.md, non-legacy
/// versions): 0x40, the token as 8 big-endian bytes with the sign bit flipped, 0x40, the escaped
/// key bytes, then the terminator 0x38.
///
/// Escaping (`ByteSource.AbstractEscaper`): a 0x00 byte is written as 0x00; each further 0x00
/// right after it as 0xFE; a non-zero byte after a run of 0x00 is preceded by 0xFF. The key ends
/// with 0x00, or 0xFE when its last byte is 0x00. E.g. `41 00 00 42` → `41 00 FE FF 42 00`.
enum DecoratedKeyBytes {
    static let nextComponent: UInt8 = 0x40
    static let terminator: UInt8 = 0x38

    /// The byte-comparable form of partition `key` under Murmur3Partitioner.
    static func murmur3(_ key: [UInt8]) -> [UInt8] {
        var out = tokenPrefix(key.withUnsafeBytes { Murmur3.token($0) })
        out.reserveCapacity(out.count + key.count + 4)
        out.append(nextComponent)
        var escaped = false
        for b in key {
            if escaped {
                if b == 0 {
                    out.append(0xFE)
                    continue
                }
                out.append(0xFF)
                escaped = false
            }
            out.append(b)
            if b == 0 { escaped = true }
        }
        out.append(escaped ? 0xFE : 0x00)
        out.append(terminator)
        return out
    }

    /// The first 9 bytes of the byte-comparable form of every key with this token.
    static func tokenPrefix(_ token: Int64) -> [UInt8] {
        let flipped = UInt64(bitPattern: token) ^ (1 << 63)
        var out: [UInt8] = [nextComponent]
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: flipped >> UInt64(shift))) }
        return out
    }

    /// The hash byte Partitions.db stores with each partition (`DecoratedKey.filterHashLowerBits`):
    /// the low byte of the second half of the key's MurmurHash3 x64_128.
    static func hashByte(_ key: [UInt8]) -> UInt8 {
        UInt8(truncatingIfNeeded: key.withUnsafeBytes { Murmur3.hash128($0).h2 })
    }
}
