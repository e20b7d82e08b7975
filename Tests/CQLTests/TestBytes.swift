@testable import CQL

/// Byte builders for serialized CQL values, written independently of the code under test.
enum TestBytes {
    static func be(_ v: Int64, _ width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: v >> (8 * (width - 1 - $0))) }
    }

    static func int32(_ v: Int32) -> [UInt8] { be(Int64(v), 4) }

    /// A frozen list/set: count, then each element as `int-bytes` (nil = null, length −1).
    static func collection(_ elements: [[UInt8]?]) -> [UInt8] {
        int32(Int32(elements.count)) + fields(elements)
    }

    /// A frozen map: pair count, then key and value `int-bytes` alternating.
    static func map(_ keysAndValues: [[UInt8]?]) -> [UInt8] {
        int32(Int32(keysAndValues.count / 2)) + fields(keysAndValues)
    }

    /// Tuple/UDT fields: each `int-bytes` (nil = null).
    static func fields(_ elements: [[UInt8]?]) -> [UInt8] {
        elements.flatMap { e -> [UInt8] in
            guard let e else { return int32(-1) }
            return int32(Int32(e.count)) + e
        }
    }

    static func text(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// Cassandra's unsigned vint.
    static func uvint(_ v: UInt64) -> [UInt8] {
        if v < 0x80 { return [UInt8(v)] }
        var extra = 1
        while extra < 8 && v >= (UInt64(1) << (7 * (extra + 1))) { extra += 1 }
        if extra == 8 { return [0xFF] + (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * (7 - $0))) } }
        var bytes = (0...extra).map { UInt8(truncatingIfNeeded: v >> (8 * (extra - $0))) }
        bytes[0] |= UInt8(truncatingIfNeeded: 0xFF << (8 - extra))
        return bytes
    }

    static func svint(_ v: Int64) -> [UInt8] { uvint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    static func hex(_ s: String) -> [UInt8] {
        let digits = Array(s.utf8).filter { $0 != UInt8(ascii: " ") }
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)! }
    }
}

extension CQLType {
    /// The JSON text for `bytes`, for tests.
    func json(_ bytes: [UInt8]) throws -> String {
        var out: [UInt8] = []
        try bytes.withUnsafeBytes { try appendJSON($0, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    func cmp(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in compare(pa, pb) } }
    }
}
