import Testing
@testable import CQL

@Suite struct CompareTests {
    typealias B = TestBytes

    /// Each list is in strictly ascending Cassandra order.
    static let ascending: [(CQLType, [[UInt8]])] = [
        (.int, [[], B.int32(Int32.min), B.int32(-1), B.int32(0), B.int32(1), B.int32(Int32.max)]),
        (.bigint, [[], B.be(Int64.min, 8), B.be(-1, 8), B.be(0, 8), B.be(Int64.max, 8)]),
        (.tinyint, [[0x80], [0xFF], [0x00], [0x7F]]),
        (.smallint, [[0x80, 0x00], [0xFF, 0xFF], [0x00, 0x01], [0x01, 0x00]]),
        (.timestamp, [B.be(-1000, 8), B.be(0, 8), B.be(1000, 8)]),
        (.counter, [B.be(-5, 8), B.be(3, 8)]),
        (.varint, [[], B.hex("ff0000000000000000"), B.hex("ff7f"), [0x80], [0xFF], [0x00], [0x7F], B.hex("0080"), B.hex("010000000000000000")]),
        // decimal: -1, 0.001, 0.09, 0.1, 999, 1.2E+3, 1E+10
        (.decimal, [B.hex("00000000ff"), B.hex("0000000301"), B.hex("0000000209"), B.hex("0000000101"), B.hex("0000000003e7"),
                    B.hex("fffffffe0c"), B.hex("fffffff601")]),
        (.float, [B.hex("ff800000"), B.hex("bf800000"), B.hex("80000000"), B.hex("00000000"), B.hex("3f800000"), B.hex("7f800000"), B.hex("7fc00000")]),
        (.double, [B.hex("fff0000000000000"), B.hex("8000000000000000"), B.hex("0000000000000000"), B.hex("7ff8000000000000")]),
        (.boolean, [[], [0], [1]]),
        (.text, [[], B.text("a"), B.text("b"), B.text("ba"), B.text("z"), B.text("é")]),
        (.blob, [[], [0x00], [0x00, 0x00], [0x7F], [0x80], [0xFF]]),
        (.date, [[0, 0, 0, 0], [0x7F, 0xFF, 0xFF, 0xFF], [0x80, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0xFF]]),
        (.inet, [B.hex("00000000000000000000000000000001"), B.hex("0a000001"), B.hex("7f000001")]),
        (.reversed(.int), [B.int32(5), B.int32(1), B.int32(-3)]),
        // Version-1 UUIDs by timestamp (time_mid outranks time_low), then other versions by version number.
        (.uuid, [B.hex("ffffffff000010008000000000000000"), B.hex("00000000000110008000000000000000"),
                 B.hex("00000000000011008000000000000000"), B.hex("0000000000004000ffffffffffffffff"),
                 B.hex("0000000000014000000000000000000f")]),
        // timeuuid: timestamp first, then the low half as signed bytes (0x80 < 0x00).
        (.timeuuid, [B.hex("ffffffff000010008000000000000000"), B.hex("ffffffff000010000000000000000000"),
                     B.hex("ffffffff00001000007f000000000000"), B.hex("00000000000110000000000000000000")]),
        (.list(.int, frozen: true), [[], B.collection([]), B.collection([B.int32(-1)]), B.collection([B.int32(1)]),
                                     B.collection([B.int32(1), B.int32(2)]), B.collection([B.int32(2)])]),
        (.map(.text, .int, frozen: true), [B.map([B.text("a"), B.int32(1)]), B.map([B.text("a"), B.int32(2)]),
                                           B.map([B.text("a"), B.int32(2), B.text("b"), B.int32(0)]), B.map([B.text("b"), B.int32(0)])]),
        (.tuple([.int, .text]), [B.fields([nil]), B.fields([B.int32(1)]), B.fields([B.int32(1), B.text("a")]), B.fields([B.int32(2)])]),
    ]

    @Test(arguments: 0..<ascending.count)
    func sortsAscending(_ index: Int) {
        let (type, values) = Self.ascending[index]
        for i in values.indices {
            #expect(type.cmp(values[i], values[i]) == 0, "\(type.cqlName) \(values[i].hexString) vs itself")
            for j in values.indices where j > i {
                #expect(type.cmp(values[i], values[j]) < 0, "\(type.cqlName): \(values[i].hexString) < \(values[j].hexString)")
                #expect(type.cmp(values[j], values[i]) > 0, "\(type.cqlName): \(values[j].hexString) > \(values[i].hexString)")
            }
        }
    }

    @Test func numericallyEqualEncodings() {
        #expect(CQLType.varint.cmp([0x00, 0x01], [0x01]) == 0)
        #expect(CQLType.varint.cmp([0xFF, 0xFF], [0xFF]) == 0)
        #expect(CQLType.decimal.cmp(B.hex("000000010a"), B.hex("0000000001")) == 0) // 1.0 == 1
        #expect(CQLType.decimal.cmp(B.hex("0000000200"), B.hex("fffffffe00")) == 0) // 0.00 == 0E+2
        #expect(CQLType.tuple([.int, .int]).cmp(B.fields([B.int32(1)]), B.fields([B.int32(1), nil])) == 0)
        #expect(CQLType.empty.cmp([], []) == 0)
    }
}
