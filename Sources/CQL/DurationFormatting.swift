/// `duration` values: three signed vints (months, days, nanoseconds), printed as Cassandra's
/// `Duration.toString()`: `-` if any part is negative, then `y mo d h m s ms us ns` parts that are
/// non-zero (`1y2mo3d4h5m6s7ms8us9ns`); a zero duration prints as the empty string.
enum DurationFormatting {
    /// Reads one signed vint (zig-zag over Cassandra's unsigned vint) at `offset`.
    static func readSignedVInt(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) throws(CQLValueError) -> Int64 {
        guard offset < bytes.count else { throw CQLValueError("truncated duration") }
        let first = bytes[offset]
        let extra = (~first).leadingZeroBitCount
        guard bytes.count - offset - 1 >= extra else { throw CQLValueError("truncated duration") }
        var value: UInt64 = extra == 8 ? 0 : UInt64(first & (0xFF >> extra))
        for k in 0..<extra { value = value << 8 | UInt64(bytes[offset + 1 + k]) }
        offset += 1 + extra
        return Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws(CQLValueError) -> (months: Int64, days: Int64, nanos: Int64) {
        var offset = 0
        let months = try readSignedVInt(bytes, &offset)
        let days = try readSignedVInt(bytes, &offset)
        let nanos = try readSignedVInt(bytes, &offset)
        guard offset == bytes.count else { throw CQLValueError("\(bytes.count - offset) extra bytes after the duration value") }
        guard Int32(exactly: months) != nil, Int32(exactly: days) != nil else { throw CQLValueError("duration months/days out of range") }
        return (months, days, nanos)
    }

    static func append(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) throws(CQLValueError) {
        let (months, days, nanos) = try decode(bytes)
        if months < 0 || days < 0 || nanos < 0 { out.append(UInt8(ascii: "-")) }
        @inline(__always) func part(_ dividend: UInt64, _ divisor: UInt64, _ unit: StaticString) -> UInt64 {
            if dividend == 0 || dividend < divisor { return dividend }
            DecimalDigits.append(dividend / divisor, to: &out)
            unit.withUTF8Buffer { out.append(contentsOf: $0) }
            return dividend % divisor
        }
        let monthsLeft = part(months.magnitude, 12, "y")
        _ = part(monthsLeft, 1, "mo")
        _ = part(days.magnitude, 1, "d")
        if nanos != 0 {
            var r = part(nanos.magnitude, 3_600_000_000_000, "h")
            r = part(r, 60_000_000_000, "m")
            r = part(r, 1_000_000_000, "s")
            r = part(r, 1_000_000, "ms")
            r = part(r, 1_000, "us")
            _ = part(r, 1, "ns")
        }
    }
}
