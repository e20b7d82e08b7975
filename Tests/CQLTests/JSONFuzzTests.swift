import Testing
@testable import CQL

/// Random bytes of random lengths for every type: appendJSON and compare must return or throw, never trap.
@Suite struct JSONFuzzTests {
    static let udt = UserType(keyspace: "ks", name: "u", fieldNames: ["a", "b"], fieldTypes: [.int, .list(.text, frozen: true)])
    static let types: [CQLType] = [
        .ascii, .text, .tinyint, .smallint, .int, .bigint, .varint, .decimal, .float, .double, .boolean, .blob, .uuid,
        .timeuuid, .inet, .timestamp, .date, .time, .duration, .counter, .empty, .custom("x"), .reversed(.int),
        .list(.int, frozen: true), .set(.text, frozen: true), .map(.int, .text, frozen: true),
        .map(.list(.int, frozen: true), .tuple([.int, .text]), frozen: true), .tuple([.int, .text, .varint]),
        .udt(udt, frozen: true), .composite([.int, .text]), .list(.udt(udt, frozen: true), frozen: true),
    ]

    /// A deterministic xorshift generator so failures reproduce.
    struct Rng: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
    }

    @Test(arguments: types)
    func neverTraps(_ type: CQLType) {
        var rng = Rng(state: 0x9E37_79B9_7F4A_7C15 &+ UInt64(type.cqlName.utf8.count))
        var ok = 0
        for _ in 0..<3000 {
            let length = Int.random(in: 0...40, using: &rng)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Small counts and lengths make structured values parse further.
            if length >= 4 && Bool.random(using: &rng) { bytes[0] = 0; bytes[1] = 0; bytes[2] = 0; bytes[3] &= 3 }
            if (try? type.json(bytes)) != nil { ok += 1 }
            let other = (0..<Int.random(in: 0...20, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let c1 = type.cmp(bytes, other), c2 = type.cmp(other, bytes)
            #expect(c1.signum() == -c2.signum() || type == .empty)
        }
        #expect(ok >= 0)
    }
}
