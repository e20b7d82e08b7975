import CQL
import SampleData
import Testing

@testable import SSTable

/// The byte-comparable clustering form Rows.db is keyed by: the examples of Cassandra's
/// ByteComparable.md and `ByteSource` docs, and on random values the order of every supported
/// type (ASC and DESC) is the order `CQLType.compare` (Cassandra's comparators) gives.
struct ClusteringBytesTests {
    static func hex(_ s: String) -> [UInt8] {
        let digits = Array(s.filter(\.isHexDigit))
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    /// One value's encoding, without the component marker and terminator.
    static func value(_ type: CQLType, _ bytes: [UInt8]) throws -> [UInt8] {
        let encoded = try #require(ClusteringBytes(types: [type])).encode(kind: .clustering, values: [bytes])
        return Array(encoded.dropFirst().dropLast())
    }

    @Test func valuesEncodeAsByteComparableMdSays() throws {
        let cases: [(CQLType, String, String)] = [
            (.int, "00000001", "80000001"), (.smallint, "FFFF", "7FFF"), (.tinyint, "00", "80"), (.int, "7FFFFFFF", "FFFFFFFF"),
            (.timestamp, "8000000000000000", "0000000000000000"),
            (.float, "3F800000", "BF800000"), (.float, "00000000", "80000000"), (.float, "80000000", "7FFFFFFF"), (.float, "BF800000", "407FFFFF"),
            (.double, "3FF0000000000000", "BFF0000000000000"), (.double, "7FF0000000000000", "FFF0000000000000"),
            (.double, "FFF0000000000000", "000FFFFFFFFFFFFF"), (.double, "7FF8000000000000", "FFF8000000000000"),
            (.uuid, "cc520882950744fb8fc9b349ecdee658", "4cc52088295074fb8fc9b349ecdee658"),
            (.uuid, "2a92d750d8dc11e6a2decf8ecd4cf053", "11e6d8dc2a92d750a2decf8ecd4cf053"),
            (.blob, "2200", "2200FE"), (.blob, "22000033", "2200FEFF3300"), (.blob, "220011", "2200FF1100"), (.text, "4142", "414200"),
            (.date, "80000001", "80000001"),
        ]
        for (type, input, output) in cases {
            #expect(try Self.value(type, Self.hex(input)) == Self.hex(output), "\(type) \(input)")
        }
    }

    /// `ByteSource.VariableLengthInteger`'s examples (bigint from OSS50 on).
    @Test func bigintsAreVariableLength() throws {
        let cases: [(Int64, String)] = [
            (0, "80"), (1, "81"), (-1, "7F"), (63, "BF"), (64, "C040"), (-64, "40"), (-65, "3FBF"), ((1 << 20) - 1, "EFFFFF"),
            (1 << 20, "F0100000"), (-(1 << 20), "100000"), (.max, String(repeating: "FF", count: 9)), (.min, String(repeating: "00", count: 9)),
        ]
        for (v, output) in cases {
            var bytes: [UInt8] = []
            bytes.appendInt64(v)
            #expect(try Self.value(.bigint, bytes) == Self.hex(output), "\(v)")
        }
    }

    /// ByteComparable.md's sequences: `(short 1, float 1.0)` and `≥ (short 0, float -Inf)`; a
    /// null and an empty component; a DESC column inverts its value bytes.
    @Test func clusteringsAndBoundsEncodeAsSequences() throws {
        let bytes = try #require(ClusteringBytes(types: [.smallint, .float]))
        #expect(bytes.encode(kind: .clustering, values: [Self.hex("0001"), Self.hex("3F800000")]) == Self.hex("40 8001 40 BF800000 38"))
        #expect(bytes.encode(kind: .inclusiveStart, values: [Self.hex("0000"), Self.hex("FF800000")]) == Self.hex("40 8000 40 007FFFFF 20"))
        #expect(bytes.encode(kind: .inclusiveEnd, values: [Self.hex("0000")]) == Self.hex("40 8000 60"))
        #expect(bytes.encode(kind: .clustering, values: [nil, []]) == Self.hex("3E 3F 38"))
        let desc = try #require(ClusteringBytes(types: [.reversed(.int), .reversed(.text)]))
        #expect(desc.encode(kind: .clustering, values: [Self.hex("00000001"), Self.hex("41")]) == Self.hex("40 7FFFFFFE 40 BEFF 38"))
        #expect(desc.encode(kind: .clustering, values: [[], []]) == Self.hex("41 40 FF 38"))
        #expect(ClusteringBytes(types: [.int, .varint]) == nil && ClusteringBytes(types: [.tuple([.int])]) == nil)
    }

    /// Random values of each supported type: the encodings sort as the type compares.
    @Test func encodingsSortAsTheTypesCompare() throws {
        var rng = SampleRandom(seed: 5, stream: 9)
        let types: [CQLType] = [.int, .smallint, .tinyint, .bigint, .timestamp, .date, .float, .double, .uuid, .timeuuid, .text, .blob, .inet]
        func random(_ type: CQLType) -> [UInt8] {
            if rng.chance(0.05) { return [] }
            let fixed: [CQLType: Int] = [.int: 4, .smallint: 2, .tinyint: 1, .bigint: 8, .timestamp: 8, .date: 4, .float: 4, .double: 8, .uuid: 16, .timeuuid: 16]
            // Small alphabets and zero bytes make common prefixes and escapes.
            var v = (0..<(fixed[type] ?? rng.int(0...6))).map { _ in rng.chance(0.3) ? UInt8(rng.int(0...2)) : UInt8(truncatingIfNeeded: rng.next()) }
            if type == .uuid || type == .timeuuid { v[6] = v[6] & 0x0F | (type == .timeuuid || rng.chance(0.5) ? 0x10 : 0x40) }
            if type == .float, Float(bitPattern: v.reduce(0) { $0 << 8 | UInt32($1) }).isNaN { v[0] = 0 }
            if type == .double, Double(bitPattern: v.reduce(0) { $0 << 8 | UInt64($1) }).isNaN { v[0] = 0 }
            return v
        }
        for base in types {
            for type in [base, .reversed(base)] {
                let bytes = try #require(ClusteringBytes(types: [type]))
                for _ in 0..<400 {
                    let a = random(base), b = random(base)
                    let expected = a.withUnsafeBytes { x in b.withUnsafeBytes { y in type.compare(x, y) } }
                    let ea = bytes.encode(kind: .clustering, values: [a]), eb = bytes.encode(kind: .clustering, values: [b])
                    let got = ea == eb ? 0 : (ea.lexicographicallyPrecedes(eb) ? -1 : 1)
                    #expect(got == expected.signum(), "\(type): \(a) vs \(b)")
                }
            }
        }
    }

    /// `ByteSource.separatorGt` and `RowIndexWriter.nudge`.
    @Test func separatorsAndNudges() {
        #expect(ClusteringBytes.separator(after: [0x40, 0x80, 0x10, 0x38], atOrBefore: [0x40, 0x80, 0x20, 0x38]) == [0x40, 0x80, 0x11])
        #expect(ClusteringBytes.separator(after: [0x40, 0x41], atOrBefore: [0x40, 0x41, 0x00]) == [0x40, 0x41, 0x00])
        #expect(ClusteringBytes.nudge([0x40, 0x80, 0x10, 0x38], at: 2) == [0x40, 0x80, 0x11])
        #expect(ClusteringBytes.nudge([0x40, 0xFF, 0xFF, 0x38], at: 1) == [0x40, 0xFF, 0xFF, 0x39])
        #expect(ClusteringBytes.nudge([0x40, 0xFF], at: 1) == [0x40, 0xFF, 0x00])
    }
}
