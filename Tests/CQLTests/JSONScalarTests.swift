import JSONCoding
import SampleData
import Testing
@testable import CQL

@Suite struct JSONScalarTests {
    typealias B = TestBytes

    struct Vector: Sendable, CustomTestStringConvertible {
        let type: CQLType
        let hex: String
        let json: String
        var testDescription: String { "\(type.cqlName) \(hex) → \(json)" }
        init(_ type: CQLType, _ hex: String, _ json: String) { (self.type, self.hex, self.json) = (type, hex, json) }
    }

    /// Byte vectors per `native_protocol_v4.spec` §6, values checked by hand.
    static let vectors: [Vector] = [
        .init(.tinyint, "7f", "127"), .init(.tinyint, "80", "-128"),
        .init(.smallint, "ff fe", "-2"), .init(.smallint, "7fff", "32767"),
        .init(.int, "00000001", "1"), .init(.int, "ffffffff", "-1"), .init(.int, "80000000", "-2147483648"),
        .init(.bigint, "8000000000000000", "-9223372036854775808"), .init(.bigint, "7fffffffffffffff", "9223372036854775807"),
        .init(.counter, "0000000000000005", "5"),
        // §6.23 varint examples.
        .init(.varint, "00", "0"), .init(.varint, "01", "1"), .init(.varint, "7f", "127"), .init(.varint, "0080", "128"),
        .init(.varint, "0081", "129"), .init(.varint, "ff", "-1"), .init(.varint, "80", "-128"), .init(.varint, "ff7f", "-129"),
        .init(.varint, "010000000000000000", "18446744073709551616"),
        .init(.varint, "ff0000000000000000", "-18446744073709551616"),
        .init(.varint, "0c9f2c9cd04674edea40000000", "1000000000000000000000000000000"),
        .init(.varint, "f360d3632fb98b1215c0000000", "-1000000000000000000000000000000"),
        .init(.varint, "00000000000000000000000001", "1"),
        // decimal = int32 scale + varint unscaled, printed as BigDecimal.toString.
        .init(.decimal, "00000002 3039", "123.45"), .init(.decimal, "00000002 cfc7", "-123.45"),
        .init(.decimal, "fffffffe 0c", "1.2E+3"), .init(.decimal, "0000000a 7b", "1.23E-8"),
        .init(.decimal, "00000005 7b", "0.00123"), .init(.decimal, "00000000 7b", "123"),
        .init(.decimal, "00000002 00", "0.00"), .init(.decimal, "fffffffe 00", "0E+2"),
        .init(.decimal, "00000006 01", "0.000001"), .init(.decimal, "00000007 01", "1E-7"),
        .init(.decimal, "00000001 010000000000000000", "1844674407370955161.6"),
        .init(.float, "3f800000", "1.0"), .init(.float, "3dcccccd", "0.1"), .init(.float, "c0490fdb", "-3.1415927"),
        .init(.float, "7fc00000", "\"NaN\""), .init(.float, "7f800000", "\"Infinity\""), .init(.float, "ff800000", "\"-Infinity\""),
        .init(.double, "3ff0000000000000", "1.0"), .init(.double, "3fb999999999999a", "0.1"),
        .init(.double, "8000000000000000", "-0.0"), .init(.double, "fff0000000000000", "\"-Infinity\""),
        .init(.boolean, "01", "true"), .init(.boolean, "00", "false"), .init(.boolean, "02", "true"),
        .init(.blob, "cafe00", "\"0xcafe00\""), .init(.blob, "", "\"0x\""), .init(.custom("X"), "01", "\"0x01\""),
        .init(.uuid, "550e8400e29b41d4a716446655440000", "\"550e8400-e29b-41d4-a716-446655440000\""),
        .init(.timeuuid, "C0B1E4E0F25E11E8B4F6C7A3B5C0F1D2", "\"c0b1e4e0-f25e-11e8-b4f6-c7a3b5c0f1d2\""),
        .init(.inet, "7f000001", "\"127.0.0.1\""),
        .init(.inet, "00000000000000000000000000000001", "\"0:0:0:0:0:0:0:1\""),
        .init(.inet, "20010db8000000000000ff0000428329", "\"2001:db8:0:0:0:ff00:42:8329\""),
        .init(.inet, "00000000000000000000ffffc0000201", "\"192.0.2.1\""),
        .init(.timestamp, "0000000000000000", "\"1970-01-01 00:00:00.000Z\""),
        .init(.timestamp, B.be(1_700_000_000_123, 8).hexString, "\"2023-11-14 22:13:20.123Z\""),
        .init(.timestamp, "ffffffffffffffff", "\"1969-12-31 23:59:59.999Z\""),
        // Before 1582-10-15 Java's GregorianCalendar is Julian: the day before is 1582-10-04.
        .init(.timestamp, B.be(-12_219_292_800_000, 8).hexString, "\"1582-10-15 00:00:00.000Z\""),
        .init(.timestamp, B.be(-12_219_292_800_001, 8).hexString, "\"1582-10-04 23:59:59.999Z\""),
        .init(.timestamp, B.be(-719_164 * 86_400_000, 8).hexString, "\"0001-01-01 00:00:00.000Z\""),
        .init(.timestamp, B.be(-719_164 * 86_400_000 - 1, 8).hexString, "\"0001-12-31 23:59:59.999Z\""),
        .init(.timestamp, B.be(2_932_897 * 86_400_000, 8).hexString, "\"10000-01-01 00:00:00.000Z\""),
        .init(.date, "80000000", "\"1970-01-01\""), .init(.date, "7fffffff", "\"1969-12-31\""),
        .init(.date, "00000000", "\"-5877641-06-23\""), .init(.date, "ffffffff", "\"+5881580-07-11\""),
        .init(.date, B.be(Int64(1) << 31 + 2_932_897, 4).hexString, "\"+10000-01-01\""),
        .init(.date, B.be(Int64(1) << 31 - 719_162, 4).hexString, "\"0001-01-01\""),
        .init(.date, B.be(Int64(1) << 31 - 719_163, 4).hexString, "\"0000-12-31\""),
        .init(.time, "0000000000000000", "\"00:00:00.000000000\""), .init(.time, "0000000000000001", "\"00:00:00.000000001\""),
        .init(.time, B.be(86_399_999_999_999, 8).hexString, "\"23:59:59.999999999\""),
        .init(.time, B.be(45_296_789_000_000, 8).hexString, "\"12:34:56.789000000\""),
        .init(.duration, (B.svint(14) + B.svint(2) + B.svint(11_045_006_007_008)).hexString, "\"1y2mo2d3h4m5s6ms7us8ns\""),
        .init(.duration, (B.svint(1) + B.svint(2) + B.svint(0)).hexString, "\"1mo2d\""),
        .init(.duration, (B.svint(0) + B.svint(-3) + B.svint(-60_000_000_000)).hexString, "\"-3d1m\""),
        .init(.duration, (B.svint(0) + B.svint(0) + B.svint(0)).hexString, "\"\""),
        .init(.duration, (B.svint(-24) + B.svint(0) + B.svint(0)).hexString, "\"-2y\""),
        // Empty values: "" for types where empty is not a value (Cassandra 4: Objects.toString(null, "\"\"")).
        .init(.int, "", "\"\""), .init(.bigint, "", "\"\""), .init(.varint, "", "\"\""), .init(.decimal, "", "\"\""),
        .init(.double, "", "\"\""), .init(.boolean, "", "\"\""), .init(.uuid, "", "\"\""), .init(.timestamp, "", "\"\""),
        .init(.inet, "", "\"\""), .init(.empty, "", "\"\""), .init(.text, "", "\"\""),
        .init(.reversed(.int), "0000002a", "42"),
    ]

    @Test(arguments: vectors)
    func encodes(_ v: Vector) throws {
        #expect(try v.type.json(B.hex(v.hex)) == v.json)
    }

    @Test(arguments: [
        (CQLType.int, "000001"), (.int, "0000000001"), (.bigint, "00"), (.tinyint, "0000"), (.smallint, "00"),
        (.float, "000000"), (.double, "00"), (.boolean, "0000"), (.uuid, "00"), (.timeuuid, "0011"), (.inet, "000000"),
        (.timestamp, "00"), (.date, "00"), (.time, "00"), (.time, "ffffffffffffffff"), (.time, "00004e94914f0000"),
        (.decimal, "00000001"), (.duration, "00"), (.duration, "000000ff"), (.counter, "01"),
    ])
    func rejectsWrongLengths(_ type: CQLType, _ hex: String) {
        #expect(throws: CQLValueError.self) { try type.json(B.hex(hex)) }
    }

    @Test func escapesTextAsCassandra() throws {
        #expect(try CQLType.text.json(B.text("a\"b\\c\n\t\r\u{8}\u{c}\u{1}\u{1f}\u{7f}é€😀/")) == "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001F\u{7f}é€😀/\"")
        // Invalid UTF-8 becomes U+FFFD, as Java's decoder does; ascii bytes ≥ 0x80 each become U+FFFD.
        #expect(try CQLType.text.json([0x61, 0xFF, 0x62, 0xE2, 0x82]) == "\"a\u{FFFD}b\u{FFFD}\"")
        #expect(try CQLType.ascii.json([0x61, 0xC3, 0xA9]) == "\"a\u{FFFD}\u{FFFD}\"")
        var out: [UInt8] = []
        JSONWriter.writeString("x\"y", into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "\"x\\\"y\"")
        out = []
        appendJSONColumnName("MyCol", to: &out)
        appendJSONColumnName("plain_col", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "\"\\\"MyCol\\\"\"\"plain_col\"")
    }

    @Test func doublesRoundTrip() throws {
        for d in [1e-5, 1.5e300, 123456.789, -2.2250738585072014e-308, 4.9406564584124654e-324, 9007199254740994, 1e22, 0.3] {
            let text = try CQLType.double.json(B.be(Int64(bitPattern: d.bitPattern), 8))
            #expect(Double(text) == d, "\(text)")
        }
        for f: Float in [1e-5, 3.4028235e38, 0.3, 16777218] {
            let text = try CQLType.float.json(B.be(Int64(f.bitPattern), 4))
            #expect(Float(text) == f, "\(text)")
        }
    }

    /// The fixed-point fast path prints exactly what `Double.description` prints, wherever it
    /// applies: two-decimal readings, random bit patterns, values at every scale, and edges.
    @Test func shortDoublesMatchDescription() {
        var rng = SampleRandom(seed: 7)
        var values: [Double] = [0.0001, 0.00012, 0.1, 0.3, 1e14 + 0.5, 999_999_999_999_999.9, 123_456_789_012_345.6, 0.1 + 0.2, -40.01]
        for _ in 0..<200_000 { values.append(Double(Int(rng.next() % 16001) - 4000) / 100) }
        for _ in 0..<200_000 { values.append(Double(bitPattern: rng.next())) }
        for _ in 0..<200_000 {
            let scale = (0..<Int(rng.next() % 23)).reduce(1e-6) { p, _ in p * 10 }
            values.append(Double(Int(rng.next() % 1_999_999) - 999_999) * scale)
        }
        var hits = 0
        for v in values where v.isFinite && v != v.rounded(.towardZero) {
            var out: [UInt8] = []
            guard ScalarFormatting.appendShortFixed(v, to: &out) else { continue }
            hits += 1
            #expect(String(decoding: out, as: UTF8.self) == v.description)
        }
        #expect(hits > 200_000)
    }

    /// The fixed-width timestamp path prints what the general calendar code prints, over its
    /// whole range (from the epoch to the end of year 9999) and at its edges.
    @Test func modernTimestampsMatchGeneralPath() {
        var rng = SampleRandom(seed: 11)
        let end: UInt64 = 253_402_300_800_000
        var values: [UInt64] = [0, 1, 999, 1000, 86_399_999, 86_400_000, 951_782_400_000, 4_107_542_399_999, end - 1]
        for _ in 0..<300_000 { values.append(rng.next() % end) }
        for _ in 0..<100_000 { values.append(1_700_000_000_000 + rng.next() % 400_000_000_000) }
        for v in values {
            var fast: [UInt8] = [], general: [UInt8] = []
            let quoted = v & 1 == 0
            TemporalFormatting.appendModernTimestamp(v, quoted: quoted, to: &fast)
            TemporalFormatting.appendTimestampGeneral(Int64(v), quoted: quoted, to: &general)
            #expect(fast == general, "\(v)")
        }
    }

    /// Every finite double has a short form: raw measurements (15–17 significant digits) and
    /// exponent notation are written as `description`, in place.
    @Test func everyFiniteDoubleIsWrittenInPlace() {
        var rng = SampleRandom(seed: 17)
        var values: [Double] = [1e-5, -1e-7, 1e20, -1.5e300, 5e-324, 123_456_789_012_345.67, .greatestFiniteMagnitude, 0.1 + 0.2]
        for _ in 0..<100_000 { values.append(Double(rng.next() % (1 << 53)) / Double(1 << 53) * 200 - 100) }
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: ShortJSONKind.capacity)
        defer { scratch.deallocate() }
        var date = TemporalFormatting.DateMemory()
        for v in values {
            B.be(Int64(bitPattern: v.bitPattern), 8).withUnsafeBytes { raw in
                let n = ShortJSONKind.double.write(raw, to: scratch, date: &date)
                #expect(n.map { String(decoding: UnsafeBufferPointer(start: scratch, count: $0), as: UTF8.self) } == v.description)
            }
        }
    }

    /// `ShortJSONKind.write` writes exactly what `appendJSON` appends wherever it writes anything.
    @Test func shortJSONMatchesAppendJSON() {
        var rng = SampleRandom(seed: 13)
        let types: [(CQLType, Int)] = [
            (.int, 4), (.bigint, 8), (.counter, 8), (.smallint, 2), (.tinyint, 1), (.uuid, 16), (.timeuuid, 16),
            (.timestamp, 8), (.double, 8), (.boolean, 1), (.text, 0), (.ascii, 0), (.float, 4), (.date, 4),
        ]
        var written = 0
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: ShortJSONKind.capacity)
        defer { scratch.deallocate() }
        var dates = [TemporalFormatting.DateMemory](repeating: .init(), count: types.count)
        for _ in 0..<40_000 {
            for (t, (type, width)) in types.enumerated() {
                var bytes: [UInt8]
                switch (type, rng.next() % 4) {
                case (.text, _), (.ascii, _):
                    let n = Int(rng.next() % 70)
                    bytes = (0..<n).map { _ in rng.next() % 8 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : UInt8(0x20 + rng.next() % 95) }
                case (.double, 0):
                    bytes = B.be(Int64(bitPattern: (Double(Int(rng.next() % 2_000_001) - 1_000_000) / 100).bitPattern), 8)
                case (.double, 2):
                    // A raw measurement: 15–17 significant digits, written as `description`.
                    let raw = Double(rng.next() % (1 << 53)) / Double(1 << 53) * 200 - 100
                    bytes = B.be(Int64(bitPattern: raw.bitPattern), 8)
                case (.timestamp, 0):
                    bytes = B.be(Int64(rng.next() % 4_000_000_000_000) - 100_000_000_000, 8)
                case (.date, 0), (.date, 2):
                    // From 1900 to 2100: before the epoch (general path) and after it (in place).
                    bytes = B.be(Int64(1 << 31) - 25_567 + Int64(rng.next() % 73_049), 4)
                case (.float, 0):
                    // Eighths: integral and not.
                    let eighths = Float(Int(rng.next() % 20_001) - 10_000) / 8
                    bytes = B.be(Int64(eighths.bitPattern), 4)
                case (.timestamp, 2):
                    // Within a few days: the column's remembered day is often the value's.
                    bytes = B.be(1_700_000_000_000 + Int64(rng.next() % 300_000_000), 8)
                case (_, 1):
                    bytes = (0..<Int(rng.next() % 17)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                default:
                    bytes = (0..<width).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                }
                bytes.withUnsafeBytes { raw in
                    guard let n = type.shortJSONKind.write(raw, to: scratch, date: &dates[t]) else { return }
                    written += 1
                    var out: [UInt8] = []
                    #expect(throws: Never.self) { try type.appendJSON(raw, to: &out) }
                    #expect(Array(UnsafeBufferPointer(start: scratch, count: n)) == out, "\(type) \(bytes)")
                }
            }
        }
        #expect(written > 200_000)
    }
}

extension Array where Element == UInt8 {
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }
}
