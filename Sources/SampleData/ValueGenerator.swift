import CQL

/// Random serialized CQL values (cell value bytes, native protocol v4 layout) for any type.
public enum ValueGenerator {
    static let words = ["alpha", "beta", "gamma", "delta", "quote\"d", "back\\slash", "tab\there", "naïve", "日本", "emoji 🚀", "", "x"]

    /// A random value of `type` (nested types in their frozen form). `size` scales text, blobs and collections.
    public static func value(_ type: CQLType, _ rng: inout SampleRandom, size: Int = 3) -> [UInt8] {
        var out: [UInt8] = []
        switch type {
        case .reversed(let base): return value(base, &rng, size: size)
        case .ascii:
            let n = rng.int(0...(size * 4))
            for _ in 0..<n { out.append(UInt8(rng.int(0x20...0x7E))) }
        case .text:
            var s = ""
            for _ in 0..<rng.int(0...size) { s += rng.pick(words) + " " }
            out = Array(s.utf8)
        case .tinyint: out = [UInt8(truncatingIfNeeded: rng.next())]
        case .smallint: out.appendBE(UInt64(truncatingIfNeeded: rng.next()), bytes: 2)
        case .int: out.appendBE(UInt64(truncatingIfNeeded: Int64(Int32(truncatingIfNeeded: rng.next() >> UInt64(rng.int(0...31))))), bytes: 4)
        case .bigint, .counter: out.appendBE(rng.next() >> UInt64(rng.int(0...63)), bytes: 8)
        case .varint:
            let n = rng.int(1...12)
            out = minimalTwosComplement(&rng, bytes: n)
        case .decimal:
            out.appendBE(UInt64(bitPattern: Int64(rng.int(-3...12))), bytes: 4)
            let n = rng.int(1...10)
            out += minimalTwosComplement(&rng, bytes: n)
        case .float:
            let f = Float(Int32(truncatingIfNeeded: rng.next() >> 40)) / 64
            out.appendBE(UInt64(f.bitPattern), bytes: 4)
        case .double:
            let d = Double(Int64(bitPattern: rng.next()) >> 20) / 1024
            out.appendBE(d.bitPattern, bytes: 8)
        case .boolean: out = [rng.chance(0.5) ? 1 : 0]
        case .blob: for _ in 0..<rng.int(0...(size * 4)) { out.append(UInt8(truncatingIfNeeded: rng.next())) }
        case .uuid: out = uuid4(&rng)
        case .timeuuid: out = timeUUID(millis: Int64(rng.int(1_000_000_000_000...1_900_000_000_000)), &rng)
        case .inet:
            let n = rng.chance(0.7) ? 4 : 16
            for _ in 0..<n { out.append(UInt8(truncatingIfNeeded: rng.next())) }
        case .timestamp: out.appendBE(UInt64(bitPattern: Int64(rng.int(-2_208_988_800_000...4_102_444_800_000))), bytes: 8)
        case .date: out.appendBE(UInt64(UInt32(1 << 31) &+ UInt32(bitPattern: Int32(rng.int(-40_000...60_000)))), bytes: 4)
        case .time: out.appendBE(UInt64(rng.int(0..<86_400_000_000_000)), bytes: 8)
        case .duration:
            let sign: Int64 = rng.chance(0.2) ? -1 : 1
            out.appendSignedVInt(sign * Int64(rng.int(0...30)))
            out.appendSignedVInt(sign * Int64(rng.int(0...400)))
            out.appendSignedVInt(sign * Int64(rng.int(0...86_400_000_000_000)))
        case .empty: break
        case .list(let e, _):
            out = frozenCollection((0..<rng.int(0...size)).map { _ in value(e, &rng, size: 1) })
        case .set(let e, _):
            out = frozenCollection(sortedUnique((0..<rng.int(0...size)).map { _ in value(e, &rng, size: 1) }, e))
        case .map(let k, let v, _):
            let keys = sortedUnique((0..<rng.int(0...size)).map { _ in value(k, &rng, size: 1) }, k)
            out = frozenCollection(keys.flatMap { [$0, value(v, &rng, size: 1)] }, pairs: keys.count)
        case .tuple(let types):
            out = fields(types.map { rng.chance(0.15) ? nil : value($0, &rng, size: 1) })
        case .udt(let u, _):
            out = fields(u.fieldTypes.map { rng.chance(0.15) ? nil : value($0, &rng, size: 1) })
        case .composite(let types):
            for t in types {
                let v = value(t, &rng, size: size)
                out.appendBE(UInt64(v.count), bytes: 2)
                out += v
                out.append(0)
            }
        case .custom: out = [UInt8(truncatingIfNeeded: rng.next())]
        }
        return out
    }

    /// A frozen list/set (int32 count, int-length elements) or map (`pairs` given: key, value, …).
    public static func frozenCollection(_ elements: [[UInt8]], pairs: Int? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.appendBE(UInt64(pairs ?? elements.count), bytes: 4)
        for e in elements {
            out.appendBE(UInt64(e.count), bytes: 4)
            out += e
        }
        return out
    }

    /// Tuple / UDT fields: int-length each, −1 for null.
    public static func fields(_ values: [[UInt8]?]) -> [UInt8] {
        var out: [UInt8] = []
        for v in values {
            if let v {
                out.appendBE(UInt64(v.count), bytes: 4)
                out += v
            } else {
                out.appendBE(0xFFFF_FFFF, bytes: 4)
            }
        }
        return out
    }

    /// Values sorted by the type's order, duplicates removed.
    public static func sortedUnique(_ values: [[UInt8]], _ type: CQLType) -> [[UInt8]] {
        let sorted = values.sorted { compare($0, $1, type) < 0 }
        var out: [[UInt8]] = []
        for v in sorted where out.last.map({ compare($0, v, type) != 0 }) ?? true { out.append(v) }
        return out
    }

    public static func compare(_ a: [UInt8], _ b: [UInt8], _ type: CQLType) -> Int {
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in type.compare(x, y) } }
    }

    /// A random version-4 UUID.
    public static func uuid4(_ rng: inout SampleRandom) -> [UInt8] {
        var out: [UInt8] = []
        out.appendBE(rng.next(), bytes: 8)
        out.appendBE(rng.next(), bytes: 8)
        out[6] = out[6] & 0x0F | 0x40
        out[8] = out[8] & 0x3F | 0x80
        return out
    }

    /// A version-1 UUID for a time in milliseconds (100 ns units since 1582-10-15), random clock and node.
    public static func timeUUID(millis: Int64, _ rng: inout SampleRandom, sub: Int64 = 0) -> [UInt8] {
        let t = UInt64(millis * 10_000 + 0x01B2_1DD2_1381_4000 + sub)
        let timeLow = t & 0xFFFF_FFFF, timeMid = (t >> 32) & 0xFFFF, timeHi = (t >> 48) & 0x0FFF
        var out: [UInt8] = []
        out.appendBE(timeLow << 32 | timeMid << 16 | (timeHi | 0x1000), bytes: 8)
        out.appendBE(rng.next() & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000, bytes: 8)
        return out
    }

    /// Minimal two's complement of a random integer of up to `bytes` bytes (Java `BigInteger.toByteArray`).
    static func minimalTwosComplement(_ rng: inout SampleRandom, bytes: Int) -> [UInt8] {
        var out = (0..<bytes).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        while out.count > 1 && ((out[0] == 0 && out[1] < 0x80) || (out[0] == 0xFF && out[1] >= 0x80)) { out.removeFirst() }
        return out
    }
}

extension Array where Element == UInt8 {
    /// The low `bytes` bytes of `v`, big-endian.
    public mutating func appendBE(_ v: UInt64, bytes: Int) {
        for i in stride(from: bytes - 1, through: 0, by: -1) { append(UInt8(truncatingIfNeeded: v >> UInt64(i * 8))) }
    }

    /// Zig-zag signed vint (durations).
    mutating func appendSignedVInt(_ v: Int64) {
        let u = UInt64(bitPattern: (v << 1) ^ (v >> 63))
        let bits = 64 - u.leadingZeroBitCount
        let extra = bits <= 7 ? 0 : Swift.min(8, (bits - 1) / 7)
        if extra == 0 { append(UInt8(u)); return }
        let mask: UInt8 = extra >= 8 ? 0xFF : ~(0xFF >> UInt8(extra))
        append(extra >= 8 ? 0xFF : mask | UInt8(truncatingIfNeeded: u >> UInt64(extra * 8)))
        for i in stride(from: extra - 1, through: 0, by: -1) { append(UInt8(truncatingIfNeeded: u >> UInt64(i * 8))) }
    }
}
