import JSONCoding
import Testing
@testable import CQL

/// JSON → bytes against serializations written by hand from `native_protocol_v4.spec` §6 and
/// Cassandra's serializers (not from the code under test).
@Suite struct FromJSONScalarTests {
    typealias B = TestBytes

    struct Vector: Sendable, CustomTestStringConvertible {
        let type: CQLType
        let json: String
        let bytes: [UInt8]
        var testDescription: String { "\(type.cqlName) \(json)" }
        init(_ type: CQLType, _ json: String, _ hex: String) { (self.type, self.json, self.bytes) = (type, json, B.hex(hex)) }
        init(_ type: CQLType, _ json: String, bytes: [UInt8]) { (self.type, self.json, self.bytes) = (type, json, bytes) }
    }

    static let vectors: [Vector] = [
        .init(.int, "1", "00000001"), .init(.int, "\"-1\"", "ffffffff"), .init(.int, "2147483647", "7fffffff"),
        .init(.int, "-2147483648", "80000000"), .init(.int, "\"+5\"", "00000005"), .init(.int, "\"007\"", "00000007"),
        .init(.int, "-0", "00000000"), .init(.int, "\"\"", ""),
        .init(.tinyint, "-128", "80"), .init(.tinyint, "\"127\"", "7f"), .init(.smallint, "32767", "7fff"), .init(.smallint, "-2", "fffe"),
        .init(.bigint, "9223372036854775807", "7fffffffffffffff"), .init(.bigint, "\"-9223372036854775808\"", "8000000000000000"),
        .init(.counter, "5", "0000000000000005"), .init(.reversed(.int), "42", "0000002a"),
        // §6.23 varint examples.
        .init(.varint, "0", "00"), .init(.varint, "1", "01"), .init(.varint, "127", "7f"), .init(.varint, "128", "0080"),
        .init(.varint, "129", "0081"), .init(.varint, "-1", "ff"), .init(.varint, "-128", "80"), .init(.varint, "-129", "ff7f"),
        .init(.varint, "\"-256\"", "ff00"), .init(.varint, "18446744073709551616", "010000000000000000"),
        .init(.varint, "\"-18446744073709551616\"", "ff0000000000000000"), .init(.varint, "\"+000255\"", "00ff"),
        .init(.varint, "1000000000000000000000000000000", "0c9f2c9cd04674edea40000000"),
        .init(.varint, "-1000000000000000000000000000000", "f360d3632fb98b1215c0000000"),
        // decimal: int32 scale, then the unscaled varint.
        .init(.decimal, "1.5", "00000001 0f"), .init(.decimal, "\"123.45\"", "00000002 3039"), .init(.decimal, "-123.45", "00000002 cfc7"),
        .init(.decimal, "1.2E+3", "fffffffe 0c"), .init(.decimal, "\"1.23E-8\"", "0000000a 7b"), .init(.decimal, "0.00", "00000002 00"),
        .init(.decimal, "0E+2", "fffffffe 00"), .init(.decimal, "123", "00000000 7b"), .init(.decimal, "\"-0.0\"", "00000001 00"),
        .init(.decimal, "\".5\"", "00000001 05"), .init(.decimal, "\"1.\"", "00000000 01"), .init(.decimal, "1e2", "fffffffe 01"),
        .init(.decimal, "1844674407370955161.6", "00000001 010000000000000000"),
        // IEEE 754 bits.
        .init(.float, "1.0", "3f800000"), .init(.float, "1", "3f800000"), .init(.float, "0.1", "3dcccccd"), .init(.float, "-3.1415927", "c0490fdb"),
        .init(.float, "\"NaN\"", "7fc00000"), .init(.float, "\"Infinity\"", "7f800000"), .init(.float, "\"-Infinity\"", "ff800000"),
        .init(.float, "\"1.5f\"", "3fc00000"), .init(.float, "\" 2 \"", "40000000"), .init(.float, "\"0x1.8p1\"", "40400000"),
        .init(.float, "-0", "00000000"), .init(.float, "-0.0", "80000000"), .init(.float, "1e39", "7f800000"), .init(.float, "\"\"", ""),
        .init(.double, "1.0", "3ff0000000000000"), .init(.double, "0.1", "3fb999999999999a"), .init(.double, "-0.0", "8000000000000000"),
        .init(.double, "123123", "40fe0f3000000000"), .init(.double, "\"-Infinity\"", "fff0000000000000"), .init(.double, "\"1e-3d\"", "3f50624dd2f1a9fc"),
        .init(.double, "\".5\"", "3fe0000000000000"),
        .init(.boolean, "true", "01"), .init(.boolean, "false", "00"), .init(.boolean, "\"TRUE\"", "01"), .init(.boolean, "\"False\"", "00"),
        .init(.boolean, "\"\"", "00"),
        .init(.ascii, "\"abc\"", "616263"), .init(.ascii, "\"\\u007f\"", "7f"), .init(.text, "\"\"", ""),
        .init(.text, "\"é\\u20ac\\ud83d\\ude00\"", "c3a9 e282ac f09f9880"),
        .init(.blob, "\"0xCAFE00\"", "cafe00"), .init(.blob, "\"0x\"", ""), .init(.custom("X"), "\"0x01\"", "01"), .init(.empty, "\"\"", ""),
        .init(.uuid, "\"550E8400-e29b-41d4-a716-446655440000\"", "550e8400e29b41d4a716446655440000"), .init(.uuid, "\"\"", ""),
        .init(.timeuuid, "\"c0b1e4e0-f25e-11e8-b4f6-c7a3b5c0f1d2\"", "c0b1e4e0f25e11e8b4f6c7a3b5c0f1d2"),
        .init(.inet, "\"127.0.0.1\"", "7f000001"), .init(.inet, "\"::1\"", "00000000000000000000000000000001"),
        .init(.inet, "\"2001:db8::ff00:42:8329\"", "20010db8000000000000ff0000428329"),
        .init(.inet, "\"2001:DB8:0:0:0:FF00:42:8329\"", "20010db8000000000000ff0000428329"),
        .init(.inet, "\"::ffff:192.0.2.1\"", "c0000201"), .init(.inet, "\"::192.0.2.1\"", "000000000000000000000000c0000201"),
        .init(.inet, "\"[fe80::1]\"", "fe800000000000000000000000000001"), .init(.inet, "\"1::\"", "00010000000000000000000000000000"),
        .init(.inet, "\"::\"", "00000000000000000000000000000000"),
        // timestamp: ms since the epoch; 1_700_000_000 s is 2023-11-14T22:13:20Z.
        .init(.timestamp, "0", "0000000000000000"), .init(.timestamp, "\"-1\"", "ffffffffffffffff"),
        .init(.timestamp, "\"1970-01-01 00:00:00.000Z\"", "0000000000000000"),
        .init(.timestamp, "\"2023-11-14 22:13:20.123Z\"", bytes: B.be(1_700_000_000_123, 8)),
        .init(.timestamp, "\"2023-11-14T23:13:20.123+01:00\"", bytes: B.be(1_700_000_000_123, 8)),
        .init(.timestamp, "\"2023-11-14T17:13:20.123-0500\"", bytes: B.be(1_700_000_000_123, 8)),
        .init(.timestamp, "\"2023-11-14 22:13:20.1239999Z\"", bytes: B.be(1_700_000_000_123, 8)),
        .init(.timestamp, "\"2023-11-14 22:13:20.1Z\"", bytes: B.be(1_700_000_000_100, 8)),
        .init(.timestamp, "\"2023-11-14 22:13:20\"", bytes: B.be(1_700_000_000_000, 8)),
        .init(.timestamp, "\"2023-11-14 22:13:20 UTC\"", bytes: B.be(1_700_000_000_000, 8)),
        .init(.timestamp, "\"2023-11-15 00:13:20 +02\"", bytes: B.be(1_700_000_000_000, 8)),
        .init(.timestamp, "\"2023-11-14T22:13\"", bytes: B.be(1_699_999_980_000, 8)),
        .init(.timestamp, "\"2023-11-14\"", bytes: B.be(1_699_920_000_000, 8)),
        .init(.timestamp, "\"2023-11-14Z\"", bytes: B.be(1_699_920_000_000, 8)),
        .init(.timestamp, "\"2023-11-14+01:00\"", bytes: B.be(1_699_916_400_000, 8)),
        .init(.timestamp, "\"2023-2-3 4:5:6\"", bytes: B.be(1_675_397_106_000, 8)),
        .init(.timestamp, "\"1582-10-15 00:00:00.000Z\"", bytes: B.be(-12_219_292_800_000, 8)),
        .init(.timestamp, "\"10000-01-01 00:00:00.000Z\"", bytes: B.be(2_932_897 * 86_400_000, 8)),
        .init(.timestamp, "\"+10000-01-01\"", bytes: B.be(2_932_897 * 86_400_000, 8)),
        // SMART resolution (the date-time forms) moves a day past the month's end back to its last day.
        .init(.timestamp, "\"2023-02-30 00:00\"", bytes: B.be(1_677_542_400_000, 8)),
        // date: unsigned days, the epoch at 2^31; 2021-03-04 is day 18690.
        .init(.date, "\"1970-01-01\"", "80000000"), .init(.date, "\"1969-12-31\"", "7fffffff"), .init(.date, "\"2021-03-04\"", "80004902"),
        .init(.date, "\"2147483648\"", "80000000"), .init(.date, "2147483648", "80000000"), .init(.date, "\"0\"", "00000000"),
        .init(.date, "\"-5877641-06-23\"", "00000000"), .init(.date, "\"+5881580-07-11\"", "ffffffff"),
        .init(.date, "\"0000-12-31\"", bytes: B.be(Int64(1) << 31 - 719_163, 4)), .init(.date, "\"2000-02-29\"", bytes: B.be(Int64(1) << 31 + 11_016, 4)),
        // time: ns since midnight.
        .init(.time, "\"00:00:00\"", "0000000000000000"), .init(.time, "1", "0000000000000001"),
        .init(.time, "\"12:34:56.789\"", bytes: B.be(45_296_789_000_000, 8)),
        .init(.time, "\" 07:35:07.000111222 \"", bytes: B.be(27_307_000_111_222, 8)),
        .init(.time, "\"23:59:59.999999999\"", bytes: B.be(86_399_999_999_999, 8)), .init(.time, "\"7:5:1\"", bytes: B.be(25_501_000_000_000, 8)),
        .init(.time, "\"86399999999999\"", bytes: B.be(86_399_999_999_999, 8)),
        // duration: signed vints of months, days and nanoseconds.
        .init(.duration, "\"1h2m\"", bytes: B.svint(0) + B.svint(0) + B.svint(3_720_000_000_000)),
        .init(.duration, "\"1y2mo3w4d5h6m7s8ms9us10ns\"", bytes: B.svint(14) + B.svint(25) + B.svint(18_367_008_009_010)),
        .init(.duration, "\"1Y2MO3D4H5M6S7MS8US9NS\"", bytes: B.svint(14) + B.svint(3) + B.svint(14_706_007_008_009)),
        .init(.duration, "\"2\\u00b5s\"", bytes: B.svint(0) + B.svint(0) + B.svint(2_000)),
        .init(.duration, "\"-3d1m\"", bytes: B.svint(0) + B.svint(-3) + B.svint(-60_000_000_000)),
        .init(.duration, "\"P1Y2M3DT4H5M6S\"", bytes: B.svint(14) + B.svint(3) + B.svint(14_706_000_000_000)),
        .init(.duration, "\"PT1M\"", bytes: B.svint(0) + B.svint(0) + B.svint(60_000_000_000)),
        .init(.duration, "\"-P2W\"", bytes: B.svint(0) + B.svint(-14) + B.svint(0)),
        .init(.duration, "\"P0001-02-03T04:05:06\"", bytes: B.svint(14) + B.svint(3) + B.svint(14_706_000_000_000)),
        .init(.duration, "\"P\"", bytes: B.svint(0) + B.svint(0) + B.svint(0)),
        .init(.duration, "\"9223372036854775807ns\"", bytes: B.svint(0) + B.svint(0) + B.svint(Int64.max)),
    ]

    @Test(arguments: vectors)
    func serializes(_ v: Vector) throws {
        #expect(try v.type.serialized(fromJSON: JSONValue.parse(v.json)) == v.bytes)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let type: CQLType
        let json: String
        let message: String
        var testDescription: String { "\(type.cqlName) \(json)" }
        init(_ type: CQLType, _ json: String, _ message: String) { (self.type, self.json, self.message) = (type, json, message) }
    }

    /// Each message starts with the one given.
    static let refusals: [Refusal] = [
        .init(.int, "\"abc\"", "expected an int (32-bit) but got \"abc\" (not an integer)"),
        .init(.int, "2147483648", "expected an int (32-bit) but got 2147483648 (out of range: -2147483648 to 2147483647)"),
        .init(.int, "1.5", "expected an int (32-bit) but got 1.5 (not an integer)"),
        .init(.int, "1e2", "expected an int (32-bit) but got 1e2 (not an integer)"),
        .init(.int, "true", "expected an int (32-bit) but got true"),
        .init(.int, "null", "null is not allowed for int"),
        .init(.int, "[1]", "expected an int (32-bit) but got [1]"),
        .init(.tinyint, "128", "expected a tinyint (8-bit) but got 128 (out of range: -128 to 127)"),
        .init(.smallint, "\"-32769\"", "expected a smallint (16-bit) but got \"-32769\" (out of range"),
        .init(.bigint, "9223372036854775808", "expected a bigint (64-bit) but got 9223372036854775808 (out of range"),
        .init(.bigint, "\" 1\"", "expected a bigint (64-bit) but got \" 1\" (not an integer)"),
        .init(.varint, "\"\"", "expected a varint (an integer) but got \"\" (not an integer)"),
        .init(.varint, "1.5", "expected a varint (an integer) but got 1.5"),
        .init(.decimal, "\"xyzz\"", "expected a decimal (a number) but got \"xyzz\" (not a decimal number)"),
        .init(.decimal, "true", "expected a decimal (a number) but got true"),
        .init(.decimal, "\"1e2147483648\"", "expected a decimal (a number) but got \"1e2147483648\" (its exponent is out of range)"),
        .init(.decimal, "\"1e-2147483648\"", "expected a decimal (a number) but got \"1e-2147483648\" (its scale is out of range)"),
        .init(.decimal, "\"0.1e-2147483647\"", "expected a decimal (a number) but got \"0.1e-2147483647\" (its scale is out of range)"),
        .init(.decimal, "\"1..2\"", "expected a decimal (a number) but got \"1..2\" (not a decimal number)"),
        .init(.float, "\"nan\"", "expected a float (a number) but got \"nan\" (not a number)"),
        .init(.float, "\"0x1.8\"", "expected a float (a number) but got \"0x1.8\" (not a number)"),
        .init(.double, "true", "expected a double (a number) but got true"),
        .init(.double, "\"1e\"", "expected a double (a number) but got \"1e\" (not a number)"),
        .init(.boolean, "1", "expected a boolean (true or false) but got 1"),
        .init(.boolean, "\"yes\"", "expected a boolean (true or false) but got \"yes\""),
        .init(.ascii, "\"é\"", "expected an ascii string but got \"é\" (U+E9 is not ASCII)"),
        .init(.ascii, "123", "expected an ascii string but got 123"),
        .init(.text, "123", "expected a text string but got 123"),
        .init(.blob, "\"cafe\"", "expected a blob (a string of 0x and hex digits) but got \"cafe\""),
        .init(.blob, "\"0x123\"", "expected a blob (a string of 0x and hex digits) but got \"0x123\" (an even number of hex digits must follow 0x)"),
        .init(.blob, "\"0X12\"", "expected a blob"),
        .init(.blob, "123", "expected a blob"),
        .init(.empty, "\"x\"", "expected an empty value (\"\") but got \"x\""),
        .init(.uuid, "\"00000000-0000-0000-zzzz-000000000000\"", "expected a uuid (a string like \"550e8400-e29b-41d4-a716-446655440000\") but got \"00000000-0000-0000-zzzz-000000000000\" (not of the form"),
        .init(.uuid, "123", "expected a uuid"),
        .init(.timeuuid, "\"550e8400-e29b-41d4-a716-446655440000\"", "expected a timeuuid (a version 1 uuid string) but got \"550e8400-e29b-41d4-a716-446655440000\" (version 4, not 1)"),
        .init(.inet, "\"xyzz\"", "expected an inet (an IPv4 or IPv6 address string) but got \"xyzz\" (not an IP address"),
        .init(.inet, "\"256.0.0.1\"", "expected an inet"), .init(.inet, "\"1.2.3\"", "expected an inet"),
        .init(.inet, "\"1::2::3\"", "expected an inet"), .init(.inet, "\"1:2:3:4:5:6:7:8:9\"", "expected an inet"),
        .init(.inet, "123", "expected an inet"),
        .init(.timestamp, "123.456", "expected a timestamp (milliseconds since 1970 or a string like \"2021-03-04 05:06:07.123Z\") but got 123.456 (not an integer)"),
        .init(.timestamp, "\"abcd\"", "expected a timestamp"), .init(.timestamp, "\"2023-02-30\"", "expected a timestamp"),
        .init(.timestamp, "\"10000-01-01\"", "expected a timestamp"), .init(.timestamp, "\"2023-11-14 25:00\"", "expected a timestamp"),
        .init(.timestamp, "\"2023-11-14 10:00 +01:00\"", "expected a timestamp"), .init(.timestamp, "\"now\"", "expected a timestamp"),
        .init(.timestamp, "\"9223372036854775808\"", "expected a timestamp"), .init(.timestamp, "\"0000-01-01 00:00\"", "expected a timestamp"),
        .init(.date, "\"2021-02-29\"", "expected a date (a string like \"2021-03-04\") but got \"2021-02-29\" (not a date of the form yyyy-mm-dd)"),
        .init(.date, "\"2021-3-4\"", "expected a date"), .init(.date, "\"12021-03-04\"", "expected a date"),
        .init(.date, "4294967296", "expected a date (a string like \"2021-03-04\") but got 4294967296 (a day number must be from 0 to 4294967295"),
        .init(.date, "\"-1\"", "expected a date"), .init(.date, "\"-5877641-06-22\"", "expected a date"), .init(.date, "true", "expected a date"),
        .init(.time, "\"24:00:00\"", "expected a time (a string like \"05:06:07.123456789\") but got \"24:00:00\" (not a time of the form"),
        .init(.time, "\"12:00\"", "expected a time"), .init(.time, "\"12:00:00.\"", "expected a time"),
        .init(.time, "\"12:00:00.1234567890\"", "expected a time"), .init(.time, "\"12:00:00.-1\"", "expected a time"),
        .init(.time, "86400000000000", "expected a time (a string like \"05:06:07.123456789\") but got 86400000000000 (nanoseconds must be from 0"),
        .init(.duration, "\"1h1h\"", "expected a duration (a string like \"1h30m\" or \"PT1H30M\") but got \"1h1h\" (the hours are given more than once)"),
        .init(.duration, "\"1m1h\"", "expected a duration (a string like \"1h30m\" or \"PT1H30M\") but got \"1m1h\" (the hours must come before the minutes)"),
        .init(.duration, "\"1x\"", "expected a duration (a string like \"1h30m\" or \"PT1H30M\") but got \"1x\" (\"x\" is not a unit"),
        .init(.duration, "\"P1Y1W\"", "expected a duration"), .init(.duration, "\"PT1D\"", "expected a duration"),
        .init(.duration, "\"178956971y\"", "expected a duration (a string like \"1h30m\" or \"PT1H30M\") but got \"178956971y\" (the total number of months must be at most 2147483647)"),
        .init(.duration, "5", "expected a duration"),
    ]

    @Test(arguments: refusals)
    func refuses(_ r: Refusal) throws {
        let value = try JSONValue.parse(r.json)
        let message = errorMessage { () throws(CQLValueError) in try r.type.serialized(fromJSON: value) }
        #expect(message?.hasPrefix(r.message) == true, "\(message ?? "no error")")
    }
}
