import CQL
import SampleData
import Testing

@testable import DynamoMapping

/// The composite sort key's byte order must be Cassandra's clustering order (`CQLType.compare`),
/// for random values of every orderable type, ASC and DESC.
@Suite struct OrderedKeyEncodingTests {
    static let udt = UserType(keyspace: "k", name: "u", fieldNames: ["a", "b"], fieldTypes: [.int, .text])

    static let types: [CQLType] = [
        .ascii, .text, .blob, .boolean, .tinyint, .smallint, .int, .bigint, .varint, .decimal, .float, .double,
        .timestamp, .date, .time, .uuid, .timeuuid, .inet, .duration,
        .list(.int, frozen: true), .set(.text, frozen: true), .map(.text, .int, frozen: true),
        .tuple([.int, .text]), .udt(udt, frozen: true), .list(.list(.text, frozen: true), frozen: true),
    ]

    static func randomText(_ g: inout SampleRandom) -> [UInt8] {
        let alphabet: [String] = ["", "a", "b", "#", "$", "!", "\"", " ", "\u{0}", "\u{1}", "~", "\u{7f}", "é", "日", "z", "%", "&", "aa"]
        var s = ""
        for _ in 0..<Int.random(in: 0...4, using: &g) { s += alphabet.randomElement(using: &g)! }
        return Bytes.text(s)
    }

    static func randomDigits(_ g: inout SampleRandom) -> String {
        let n = Int.random(in: 1...45, using: &g)
        var s = Bool.random(using: &g) ? "-" : ""
        for i in 0..<n { s += String(Int.random(in: (i == 0 ? 0 : 0)...9, using: &g)) }
        if Int.random(in: 0..<5, using: &g) == 0 { s = ["0", "1", "-1", "10", "100", "-10", "99"].randomElement(using: &g)! }
        return s
    }

    /// A random serialized value of `type` (sometimes empty, sometimes an edge value).
    static func value(_ type: CQLType, _ g: inout SampleRandom, allowEmpty: Bool = true) -> [UInt8] {
        if allowEmpty, Int.random(in: 0..<25, using: &g) == 0 { return [] }
        func edge<T>(_ values: [T], _ random: () -> T) -> T { Bool.random(using: &g) ? values.randomElement(using: &g)! : random() }
        switch type {
        case .ascii, .text: return randomText(&g)
        case .blob, .inet, .duration:
            let n = type == .inet ? (Bool.random(using: &g) ? 4 : 16) : Int.random(in: 0...5, using: &g)
            return (0..<n).map { _ in edge([0, 1, 0x7F, 0x80, 0xFF], { UInt8.random(in: 0...255, using: &g) }) }
        case .boolean: return [Bool.random(using: &g) ? 1 : 0]
        case .tinyint: return Bytes.be(Int64(edge([Int8.min, -1, 0, 1, Int8.max], { Int8.random(in: .min ... .max, using: &g) })), 1)
        case .smallint: return Bytes.be(Int64(edge([Int16.min, -1, 0, 1, Int16.max], { Int16.random(in: .min ... .max, using: &g) })), 2)
        case .int: return Bytes.int32(edge([Int32.min, -1, 0, 1, Int32.max], { Int32.random(in: -1000...1000, using: &g) }))
        case .bigint: return Bytes.int64(edge([Int64.min, -1, 0, 1, Int64.max], { Int64.random(in: .min ... .max, using: &g) }))
        case .varint: return Bytes.varint(randomDigits(&g))
        case .decimal: return Bytes.decimal(unscaled: randomDigits(&g), scale: edge([0, 1, -1, 5, -40, Int32.max, Int32.min], { Int32.random(in: -20...20, using: &g) }))
        case .float: return Bytes.float(edge([-.infinity, .infinity, .nan, -0.0, 0.0, .leastNonzeroMagnitude, -.greatestFiniteMagnitude], { Float(Int.random(in: -50...50, using: &g)) / 7 }))
        case .double: return Bytes.double(edge([-.infinity, .infinity, .nan, -0.0, 0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e300], { Double(Int.random(in: -50...50, using: &g)) / 7 }))
        case .timestamp:
            let edges: [Int64] = [Int64.min, -62_167_219_200_001, -62_167_219_200_000, -1, 0, 253_402_300_799_999, 253_402_300_800_000, Int64.max]
            let ms: Int64 = edge(edges, { Int64.random(in: -100_000_000_000_000...300_000_000_000_000, using: &g) })
            return Bytes.int64(ms)
        case .date:
            let base: Int64 = 1 << 31
            let edges: [Int64] = [0, Int64(UInt32.max), base, base - 719_528, base - 719_529, base + 2_932_896, base + 2_932_897]
            let d: Int64 = edge(edges, { Int64(UInt32.random(in: 0 ... .max, using: &g)) })
            return Bytes.be(d, 4)
        case .time: return Bytes.int64(edge([0, 86_399_999_999_999, 1], { Int64.random(in: 0..<86_400_000_000_000, using: &g) }))
        case .uuid, .timeuuid:
            var b = (0..<16).map { _ in UInt8.random(in: 0...255, using: &g) }
            let version: UInt8 = type == .timeuuid ? 1 : [1, 4, 3, 1].randomElement(using: &g)!
            b[6] = version << 4 | (b[6] & 0x0F)
            if Bool.random(using: &g) { b[0] = 0; b[1] = 0 }  // share time parts to reach later bytes
            return b
        case .list(let e, _), .set(let e, _):
            let n = Int.random(in: 0...3, using: &g)
            return Bytes.collection((0..<n).map { _ in Int.random(in: 0..<10, using: &g) == 0 ? nil : value(e, &g) })
        case .map(let k, let v, _):
            let n = Int.random(in: 0...3, using: &g)
            return Bytes.map((0..<n).flatMap { _ in [value(k, &g), value(v, &g)] })
        case .tuple(let ts):
            return Bytes.fields(ts.map { value($0, &g) })
        case .udt(let u, _):
            return Bytes.fields(u.fieldTypes.map { value($0, &g) })
        default: return []
        }
    }

    static func encoded(_ v: [UInt8], _ t: CQLType) throws -> [UInt8] {
        var out: [UInt8] = []
        try v.withUnsafeBytes { try OrderedKeyEncoding.appendComponent($0, type: t, to: &out) }
        return out
    }

    static func sign(_ x: Int) -> Int { x < 0 ? -1 : x > 0 ? 1 : 0 }

    static func byteOrder(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.lexicographicallyPrecedes(b) ? -1 : (a == b ? 0 : 1)
    }

    @Test(arguments: types)
    func singleComponentOrderMatchesCassandra(type: CQLType) throws {
        // A seed from the type name (not hashValue, which Swift randomizes per process): failures reproduce.
        var g = SampleRandom(seed: type.cqlName.utf8.reduce(UInt64(17)) { $0 &* 31 &+ UInt64($1) })
        for direction in [type, CQLType.reversed(type)] {
            let values = (0..<150).map { _ in Self.value(type, &g) }
            let codes = try values.map { try Self.encoded($0, direction) }
            for i in values.indices {
                for j in values.indices where i < j {
                    let expected = Self.sign(direction.cmp(values[i], values[j]))
                    let actual = Self.byteOrder(codes[i], codes[j])
                    #expect(actual == expected, "\(direction.cqlName) \(values[i]) vs \(values[j]): \(String(decoding: codes[i], as: UTF8.self)) / \(String(decoding: codes[j], as: UTF8.self))")
                    if actual != expected { return }
                }
            }
            // Valid UTF-8 (DynamoDB strings).
            for c in codes { #expect(String(validating: c, as: UTF8.self) != nil || type == .text || type == .ascii) }
        }
    }

    /// Several components, mixed ASC/DESC: the joined key sorts as Cassandra's clustering.
    @Test func compositeKeysSortAsClustering() throws {
        var g = SampleRandom(seed: 42)
        let shapes: [[CQLType]] = [
            [.text, .int], [.reversed(.text), .bigint], [.timestamp, .reversed(.timeuuid)], [.blob, .reversed(.varint), .text],
            [.reversed(.decimal), .reversed(.text)], [.tuple([.int, .text]), .reversed(.double)], [.date, .uuid, .reversed(.list(.text, frozen: true))],
        ]
        for types in shapes {
            let rows = (0..<120).map { _ in types.map { Self.value($0.unreversed, &g) } }
            let keys = try rows.map { r in try r.indices.map { try Self.encoded(r[$0], types[$0]) }.joined(separator: [OrderedKeyEncoding.separator]).map { $0 } }
            for i in rows.indices {
                for j in rows.indices where i < j {
                    var expected = 0
                    for (k, t) in types.enumerated() {
                        expected = Self.sign(t.cmp(rows[i][k], rows[j][k]))
                        if expected != 0 { break }
                    }
                    #expect(Self.byteOrder(keys[i], keys[j]) == expected, "\(types.map(\.cqlName)) \(rows[i]) vs \(rows[j])")
                    if Self.byteOrder(keys[i], keys[j]) != expected { return }
                }
            }
        }
    }

    @Test func readableForms() throws {
        #expect(String(decoding: try Self.encoded(Bytes.int32(42), .int), as: UTF8.self) == "p0000000042")
        #expect(String(decoding: try Self.encoded(Bytes.int32(-1), .int), as: UTF8.self) == "n2147483647")
        #expect(String(decoding: try Self.encoded(Bytes.int64(1_714_564_800_000), .timestamp), as: UTF8.self) == "2024-05-01T12:00:00.000Z")
        #expect(String(decoding: try Self.encoded(Bytes.text("a#b"), .text), as: UTF8.self) == "a$cb")
        #expect(String(decoding: try Self.encoded(Bytes.varint("123"), .varint), as: UTF8.self) == "p5000000003123")
        #expect(String(decoding: try Self.encoded([], .reversed(.int)), as: UTF8.self) == "~")
    }
}
