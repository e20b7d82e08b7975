/// A Murmur3 partition key in the byte-comparable form BTI's Partitions.db orders and indexes
/// partitions by (Cassandra's `DecoratedKey.asComparableBytes`, ByteComparable.md, non-legacy
/// versions): 0x40, the token as 8 big-endian bytes with the sign bit flipped, 0x40, the escaped
/// key bytes (`ClusteringBytes.appendEscaped`), then the terminator 0x38.
enum DecoratedKeyBytes {
    static let nextComponent: UInt8 = 0x40
    static let terminator: UInt8 = 0x38

    /// The byte-comparable form of partition `key` under Murmur3Partitioner.
    static func murmur3(_ key: [UInt8]) -> [UInt8] {
        var out = tokenPrefix(key.withUnsafeBytes { Murmur3.token($0) })
        out.reserveCapacity(out.count + key.count + 4)
        out.append(nextComponent)
        ClusteringBytes.appendEscaped(key, to: &out)
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
