/// One node of an on-disk BTI trie (Cassandra's `TrieNode`; BtiFormat.md, "Trie nodes").
///
/// The first byte holds the node type (high 4 bits) and the payload flags (low 4 bits; 0: no
/// payload). The types, by ordinal, and their layouts after that byte:
/// - 0 `PAYLOAD_ONLY`: nothing;
/// - 1 `SINGLE_NOPAYLOAD_4`: the low 4 bits are the child's distance instead of flags; transition byte;
/// - 2, 4 `SINGLE_8/16`: transition byte, 1/2-byte distance;
/// - 3 `SINGLE_NOPAYLOAD_12`: the low 4 bits and the next byte are a 12-bit distance; transition byte;
/// - 5–9 `SPARSE_8/12/16/24/40`: child count, the transition bytes, then one distance each
///   (12-bit ones packed in pairs into 3 bytes, an odd last one in 2 bytes, high bits first);
/// - 10–15 `DENSE_12/16/24/32/40`, `LONG_DENSE` (8 bytes): first transition byte, span − 1, then
///   one distance per byte of the span, 0 where there is no transition.
///
/// Distances are big-endian and unsigned; a child lies that many bytes *before* its parent (tries
/// are written bottom-up). The payload, if any, follows the node.
struct TrieNode {
    /// File position of the node.
    var position: Int64
    /// The node type's ordinal (0–15).
    var type: Int
    var payloadFlags: Int
    /// File position just after the node, where its payload starts.
    var payloadPosition: Int64
    /// The transitions in increasing byte order, each with the child's file position.
    var children: [(byte: UInt8, position: Int64)]

    /// The largest node: a `LONG_DENSE` spanning all 256 bytes (a payload adds at most 9 bytes).
    static let maxSize = 3 + 256 * 8

    /// Bytes per distance of each whole-byte type, by ordinal (0: none or not whole bytes).
    static let pointerBytes = [0, 0, 1, 0, 2, 1, 0, 2, 3, 5, 0, 2, 3, 4, 5, 8]

    /// Parses the node whose first byte is at `offset` of `raw`, which holds the file from `base`.
    static func parse(_ raw: UnsafeRawBufferPointer, at offset: Int, base: Int64) throws(CursorError) -> TrieNode {
        var c = ByteCursor(raw, from: offset)
        let header = Int(try c.readUInt8())
        let type = header >> 4
        var flags = header & 0x0F
        var children: [(byte: UInt8, position: Int64)] = []
        let position = base + Int64(offset)

        /// Adds the transition on `byte` to the child `distance` bytes back (0: none, in dense nodes).
        func add(_ byte: Int, _ distance: UInt64, at: Int, dense: Bool = false) throws(CursorError) {
            if distance == 0, dense { return }
            guard distance > 0, distance <= UInt64(position) else {
                throw .malformed(at: at, "trie node at \(position): transition 0x\(String(byte, radix: 16)) points \(distance) bytes back, outside the file")
            }
            children.append((UInt8(byte), position - Int64(distance)))
        }
        func readDistance(_ bytes: Int) throws(CursorError) -> UInt64 {
            var v: UInt64 = 0
            for _ in 0..<bytes { v = v << 8 | UInt64(try c.readUInt8()) }
            return v
        }
        /// 12-bit distance `i` of a packed run starting at `start`.
        func read12(_ start: Int, _ i: Int) throws(CursorError) -> UInt64 {
            var d = ByteCursor(raw, from: start + 3 * i / 2)
            let word = UInt64(try d.readUInt16())
            return (i & 1 == 0 ? word >> 4 : word) & 0xFFF
        }

        switch type {
        case 0:
            break
        case 1:
            flags = 0
            let at = c.position
            try add(Int(try c.readUInt8()), UInt64(header & 0x0F), at: at)
        case 3:
            flags = 0
            let at = c.position
            let low = UInt64(try c.readUInt8())
            try add(Int(try c.readUInt8()), UInt64(header & 0x0F) << 8 | low, at: at)
        case 2, 4:
            let byte = Int(try c.readUInt8())
            let at = c.position
            try add(byte, try readDistance(type == 2 ? 1 : 2), at: at)
        case 5...9:
            let count = Int(try c.readUInt8())
            let bytesAt = c.position
            let bytes = try c.take(count)
            var previous = -1
            for i in 0..<count {
                let b = Int(raw[bytes.lowerBound + i])
                guard b > previous else { throw .malformed(at: bytesAt + i, "trie node at \(position): transitions out of order") }
                previous = b
            }
            let pointers = c.position
            if type == 6 {
                try c.skip((5 * count + 1) / 2 - count)
                for i in 0..<count { try add(Int(raw[bytes.lowerBound + i]), try read12(pointers, i), at: pointers + 3 * i / 2) }
            } else {
                let width = Self.pointerBytes[type]
                for i in 0..<count { try add(Int(raw[bytes.lowerBound + i]), try readDistance(width), at: pointers + width * i) }
            }
        default:
            let first = Int(try c.readUInt8())
            let span = Int(try c.readUInt8()) + 1
            guard first + span <= 256 else { throw .malformed(at: c.position - 1, "trie node at \(position): dense span past byte 0xFF") }
            let pointers = c.position
            if type == 10 {
                try c.skip((3 * span + 1) / 2)
                for i in 0..<span { try add(first + i, try read12(pointers, i), at: pointers + 3 * i / 2, dense: true) }
            } else {
                let width = Self.pointerBytes[type]
                for i in 0..<span { try add(first + i, try readDistance(width), at: pointers + width * i, dense: true) }
            }
        }
        return TrieNode(position: position, type: type, payloadFlags: flags, payloadPosition: base + Int64(c.position), children: children)
    }

    /// The index of the first transition on a byte ≥ `byte` (`children.count` if none).
    func firstChild(atLeast byte: UInt8) -> Int {
        var lo = 0, hi = children.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if children[mid].byte < byte { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
