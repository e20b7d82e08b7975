import JSONCoding
import SampleData
import Testing
@testable import CQL

/// For every type: serialized bytes → `appendJSON` (what `dump` prints) → `JSONValue.parse` →
/// `serialized(fromJSON:)` gives the same bytes, over random values and the encoder's edge cases.
@Suite struct FromJSONRoundTripTests {
    typealias B = TestBytes
    static let addr = UserType(keyspace: "ks", name: "addr", fieldNames: ["street", "Zip", "tags"],
                               fieldTypes: [.text, .int, .set(.text, frozen: true)])

    static let types: [CQLType] = [
        .ascii, .text, .tinyint, .smallint, .int, .bigint, .counter, .varint, .decimal, .float, .double, .boolean, .blob,
        .uuid, .timeuuid, .inet, .timestamp, .date, .time, .duration, .reversed(.bigint), .custom("org.example.X"),
        .list(.int, frozen: true), .set(.text, frozen: true), .set(.double, frozen: true), .map(.int, .text, frozen: true),
        .map(.uuid, .list(.decimal, frozen: true), frozen: true), .map(.list(.int, frozen: true), .tuple([.int, .text]), frozen: true),
        .map(.udt(addr, frozen: true), .boolean, frozen: true), .map(.timestamp, .date, frozen: true),
        .tuple([.int, .text, .varint, .inet]), .udt(addr, frozen: true),
        .list(.map(.text, .set(.varint, frozen: true), frozen: true), frozen: true),
    ]

    /// Bytes → JSON text → bytes.
    static func roundTrip(_ type: CQLType, _ bytes: [UInt8]) throws -> [UInt8] {
        try type.serialized(fromJSON: JSONValue.parse(type.json(bytes)))
    }

    @Test(arguments: types)
    func randomValues(_ type: CQLType) throws {
        var rng = SampleRandom(seed: UInt64(type.cqlName.utf8.count) &* 0x9E37_79B9 &+ 17)
        for _ in 0..<400 {
            let bytes = Self.value(type, &rng)
            let json = try type.json(bytes)
            #expect(try Self.roundTrip(type, bytes) == bytes, "\(type.cqlName) \(json)")
        }
    }

    /// The encoder's vectors (`JSONScalarTests`) that name a value the parser reads back as those
    /// bytes: all but non-canonical booleans, empty values that come back otherwise (`""` is
    /// `false`, or refused for varint and decimal), the zero duration (printed `""`), timestamps
    /// before 1583 (printed Julian, read proleptic Gregorian, as Cassandra does) and an
    /// IPv4-mapped IPv6 address (read as IPv4).
    @Test func encoderVectors() throws {
        var checked = 0
        for v in JSONScalarTests.vectors {
            let bytes = B.hex(v.hex)
            switch v.type {
            case .boolean where bytes.count != 1 || bytes[0] > 1, .varint where bytes.isEmpty, .decimal where bytes.isEmpty: continue
            case .duration where v.json == "\"\"", .inet where bytes.count == 16 && bytes[10] == 0xFF: continue
            case .timestamp where bytes.count == 8 && bytes.reduce(Int64(0), { $0 << 8 | Int64($1) }) < -12_212_553_600_000: continue
            case .varint where bytes.count > 1 && (bytes[0] == 0 && bytes[1] < 0x80 || bytes[0] == 0xFF && bytes[1] >= 0x80): continue
            default: break
            }
            #expect(try Self.roundTrip(v.type, bytes) == bytes, "\(v.testDescription)")
            checked += 1
        }
        #expect(checked > 70)
    }

    // MARK: random values, built independently of the code under test

    static func randomBytes(_ n: Int, _ rng: inout SampleRandom) -> [UInt8] {
        (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    /// The shortest two's-complement form, as `BigInteger.toByteArray` writes it.
    static func minimal(_ bytes: [UInt8]) -> [UInt8] {
        var b = bytes
        while b.count > 1 && ((b[0] == 0 && b[1] < 0x80) || (b[0] == 0xFF && b[1] >= 0x80)) { b.removeFirst() }
        return b
    }

    static func sortedUnique(_ elements: [[UInt8]], _ type: CQLType) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for e in elements.sorted(by: { type.cmp($0, $1) < 0 }) where out.last.map({ type.cmp($0, e) != 0 }) ?? true { out.append(e) }
        return out
    }

    static func value(_ type: CQLType, _ rng: inout SampleRandom) -> [UInt8] {
        let small = Int(rng.next() % 4)
        switch type {
        case .ascii: return (0..<Int(rng.next() % 20)).map { _ in UInt8(rng.next() % 128) }
        case .text:
            let scalars: [Unicode.Scalar] = ["a", "Z", "\"", "\\", "\n", "\u{1}", "é", "€", "😀", "\u{7f}", " ", "/"]
            var s = ""
            for _ in 0..<Int(rng.next() % 20) { s.unicodeScalars.append(scalars[Int(rng.next() % UInt64(scalars.count))]) }
            return B.text(s)
        case .tinyint: return randomBytes(1, &rng)
        case .smallint: return randomBytes(2, &rng)
        case .int: return small == 0 ? [] : randomBytes(4, &rng)
        case .bigint, .counter, .reversed(.bigint): return randomBytes(8, &rng)
        case .varint: return minimal(randomBytes(1 + Int(rng.next() % 24), &rng))
        case .decimal:
            let scale: Int64 = small == 0 ? Int64(Int32(truncatingIfNeeded: rng.next())) : Int64(rng.next() % 41) - 20
            return B.be(scale, 4) + minimal(randomBytes(1 + Int(rng.next() % 16), &rng))
        case .float:
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            return B.be(Int64(f.isNaN ? Float.nan.bitPattern : f.bitPattern), 4)
        case .double:
            let d = small == 0 ? Double(Int(rng.next() % 20_001) - 10_000) / 100 : Double(bitPattern: rng.next())
            return B.be(Int64(bitPattern: d.isNaN ? Double.nan.bitPattern : d.bitPattern), 8)
        case .boolean: return [UInt8(rng.next() % 2)]
        case .blob, .custom: return randomBytes(Int(rng.next() % 12), &rng)
        case .uuid: return randomBytes(16, &rng)
        case .timeuuid:
            var b = randomBytes(16, &rng)
            b[6] = b[6] & 0x0F | 0x10
            return b
        case .inet:
            if small < 2 { return randomBytes(4, &rng) }
            var b = randomBytes(16, &rng)
            if small == 2 { for i in 0..<8 { b[i] = 0 } }
            return b
        case .timestamp:
            // From 1583 (Gregorian in both directions) to beyond year 10000.
            let start: Int64 = -12_212_553_600_000
            return B.be(start + Int64(rng.next() % UInt64(Int64.max / 1024)), 8)
        case .date: return randomBytes(4, &rng)
        case .time: return B.be(Int64(rng.next() % 86_400_000_000_000), 8)
        case .duration:
            // One sign for all three, not all zero (zero prints as ""), 32-bit months and days.
            let sign: Int64 = rng.next() % 2 == 0 ? 1 : -1
            let months = Int64(rng.next() % (small == 0 ? UInt64(Int32.max) : 30))
            let days = Int64(rng.next() % (small == 1 ? UInt64(Int32.max) : 40))
            let nanos = Int64(rng.next() % (small == 2 ? UInt64(Int64.max) : 100_000_000_000_000)) + 1
            return B.svint(sign * months) + B.svint(sign * days) + B.svint(sign * nanos)
        case .list(let e, _):
            return B.collection((0..<small).map { _ in value(e, &rng) })
        case .set(let e, _):
            return B.collection(sortedUnique((0..<small).map { _ in value(e, &rng) }, e))
        case .map(let k, let v, _):
            let keys = sortedUnique((0..<small).map { _ in value(k, &rng) }, k)
            return B.map(keys.flatMap { [$0, value(v, &rng)] })
        case .tuple(let types):
            return B.fields(types.map { rng.next() % 4 == 0 ? nil : value($0, &rng) })
        case .udt(let u, _):
            return B.fields(u.fieldTypes.map { rng.next() % 4 == 0 ? nil : value($0, &rng) })
        default:
            return []
        }
    }
}
