import Foundation
import SampleData
import Testing

@testable import SSTable

/// The BTI trie format pieces against Cassandra's own documents and files: the byte-comparable
/// key form (ByteSource.java's examples), node sizes (BtiFormat.md's table), and the leaves of a
/// Partitions.db written by Cassandra 5.0.
@Suite struct TrieFormatTests {
    /// The key part of the byte-comparable form (after 0x40 + 8 token bytes + 0x40, before 0x38).
    static func escaped(_ key: [UInt8]) -> [UInt8] {
        let bytes = DecoratedKeyBytes.murmur3(key)
        #expect(bytes.first == 0x40 && bytes[9] == 0x40 && bytes.last == 0x38)
        return Array(bytes[10..<(bytes.count - 1)])
    }

    @Test func keyBytesFollowByteSourceExamples() {
        // `ByteSource.AbstractEscaper`'s documented examples.
        #expect(Self.escaped([0x41, 0, 0, 0x42]) == [0x41, 0x00, 0xFE, 0xFF, 0x42, 0x00])
        #expect(Self.escaped([0x41, 0, 0x42, 0]) == [0x41, 0x00, 0xFF, 0x42, 0x00, 0xFE])
        #expect(Self.escaped([0x41, 0]) == [0x41, 0x00, 0xFE])
        #expect(Self.escaped([0x41, 0x42]) == [0x41, 0x42, 0x00])
        // `ByteSource.of(long)`: the sign bit flipped, big-endian.
        #expect(DecoratedKeyBytes.tokenPrefix(0) == [0x40, 0x80, 0, 0, 0, 0, 0, 0, 0])
        #expect(DecoratedKeyBytes.tokenPrefix(-1) == [0x40, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(DecoratedKeyBytes.tokenPrefix(.min) == [0x40, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(DecoratedKeyBytes.tokenPrefix(0x0102_0304_0506_0708) == [0x40, 0x81, 2, 3, 4, 5, 6, 7, 8])
    }

    /// The first leaves of `da-2-bti-Partitions.db` written by Cassandra 5.0 for three uuid keys
    /// 11…11, 22…22, 33…33 at Data.db offsets 63, 0 and 125, as quoted by a test of another
    /// reader (github.com, `partitions_writer` tests: "hexdump: 08 24 ff | 08 22 c0 | 08 f4 82"):
    /// each a `PAYLOAD_ONLY` node with flags 8 (hash byte + 1-byte position), the key's hash
    /// byte and `~offset`. Our writer must write the same bytes first.
    @Test func leavesMatchAPartitionsDbWrittenByCassandra() throws {
        let keys: [[UInt8]] = [[UInt8](repeating: 0x22, count: 16), [UInt8](repeating: 0x11, count: 16), [UInt8](repeating: 0x33, count: 16)]
        let tokens = keys.map { k in k.withUnsafeBytes { Murmur3.token($0) } }
        #expect(tokens == tokens.sorted(), "Data.db order of the Cassandra file: 22…, 11…, 33…")
        #expect(keys.map(DecoratedKeyBytes.hashByte) == [0x24, 0x22, 0xF4])
        let folder = try WriterSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let writer = try BTIIndexWriter(partitionsPath: folder + "/P.db", rowsPath: folder + "/R.db", clusteringTypes: [], version: SSTableVersion("da", format: "bti"))
        for (key, offset) in zip(keys, [Int64(0), 63, 125]) {
            try writer.add(key: key, dataPosition: offset, deletion: .live, rowIndex: RowIndexBuilder(blockSize: 1 << 20, big: false))
        }
        try writer.finish()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/P.db")))
        #expect(Array(bytes.prefix(9)) == [0x08, 0x24, 0xFF, 0x08, 0x22, 0xC0, 0x08, 0xF4, 0x82])
        let index = try PartitionIndexBTI(path: folder + "/P.db", rowsPath: folder + "/R.db", dataLength: 200, version: SSTableVersion("da", format: "bti"))
        #expect(index.keyCount == 3 && index.firstKey == keys[0] && index.lastKey == keys[2])
        for (key, offset) in zip(keys, [Int64(0), 63, 125]) {
            #expect(try index.entry(for: key)?.dataPosition == offset)
        }
    }

    /// Node sizes from BtiFormat.md's table ("Size for 1 child", "9 dense children (01-08, 10)",
    /// "10 sparse children (01 + i*10)"), by type ordinal.
    @Test func nodeSizesFollowBtiFormatTable() {
        let one: [UInt8] = [1], dense: [UInt8] = Array(1...8) + [10], sparse: [UInt8] = (0..<10).map { UInt8(1 + $0 * 10) }
        let table: [(type: Int, one: Int, dense: Int?, sparse: Int?)] = [
            (1, 2, nil, nil), (2, 3, nil, nil), (5, 4, 20, 22), (3, 3, nil, nil), (6, 5, 25, 27), (10, 5, 18, 140), (4, 4, nil, nil),
            (7, 5, 29, 32), (11, 5, 23, 185), (8, 6, 38, 42), (12, 6, 33, 276), (13, 7, 43, 367), (9, 8, 56, 62), (14, 8, 53, 458),
            (15, 11, 83, 731),
        ]
        #expect(TrieWriter.nodeSize(0, []) == 1)
        for row in table {
            #expect(TrieWriter.nodeSize(row.type, one) == row.one, "type \(row.type)")
            if let d = row.dense { #expect(TrieWriter.nodeSize(row.type, dense) == d, "type \(row.type)") }
            if let s = row.sparse { #expect(TrieWriter.nodeSize(row.type, sparse) == s, "type \(row.type)") }
        }
    }

    /// Every node type, written with random transitions and distances of its width, parses back
    /// to the same transitions, children and payload position, and has the documented size.
    @Test func everyNodeTypeRoundTrips() throws {
        var rng = SampleRandom(seed: 7, stream: 1)
        let maxDistance: [Int64] = [0, 0xF, 0xFF, 0xFFF, 0xFFFF, 0xFF, 0xFFF, 0xFFFF, 0xFF_FFFF, 0xFF_FFFF_FFFF, 0xFFF, 0xFFFF, 0xFF_FFFF, 0xFFFF_FFFF, 0xFF_FFFF_FFFF, 1 << 50]
        for type in 0..<16 {
            for round in 0..<50 {
                let count = type == 0 ? 0 : (1...4).contains(type) ? 1 : rng.int(1...(round % 5 == 0 ? 255 : 12))
                var transitions = Set<UInt8>()
                let spread = round % 2 == 0 ? 256 : max(count, 20)
                while transitions.count < count { transitions.insert(UInt8(rng.int(0..<spread))) }
                let sorted = transitions.sorted()
                let distances = sorted.map { _ in Int64(rng.int(1...Int(min(maxDistance[type], 1 << 40)))) }
                let flags = type == 1 || type == 3 ? 0 : rng.int(0...15)
                var out: [UInt8] = [0xAA]
                TrieWriter.serialize(type: type, transitions: sorted, distances: distances, payloadFlags: flags, into: &out)
                #expect(out.count - 1 == TrieWriter.nodeSize(type, sorted), "type \(type)")
                let position: Int64 = 1 << 41
                let node = try out.withUnsafeBytes { raw in try TrieNode.parse(raw, at: 1, base: position - 1) }
                #expect(node.type == type && node.payloadFlags == flags, "type \(type)")
                #expect(node.payloadPosition == position + Int64(out.count - 1), "type \(type)")
                #expect(node.children.map(\.byte) == sorted, "type \(type)")
                #expect(node.children.map { position - $0.position } == distances, "type \(type)")
            }
        }
    }

    /// The writer picks Cassandra's type for each node (`TrieNode.typeFor`): the smallest pointer
    /// size that holds the farthest child, a payload-capable single, the smaller of sparse and dense.
    @Test func writerPicksTypesAsTypeFor() {
        #expect(TrieWriter.nodeType(transitions: [], distances: [], hasPayload: true) == 0)
        #expect(TrieWriter.nodeType(transitions: [7], distances: [15], hasPayload: false) == 1)
        #expect(TrieWriter.nodeType(transitions: [7], distances: [15], hasPayload: true) == 2)
        #expect(TrieWriter.nodeType(transitions: [7], distances: [16], hasPayload: false) == 2)
        #expect(TrieWriter.nodeType(transitions: [7], distances: [256], hasPayload: false) == 3)
        #expect(TrieWriter.nodeType(transitions: [7], distances: [256], hasPayload: true) == 4)
        #expect(TrieWriter.nodeType(transitions: [7], distances: [0x10000], hasPayload: false) == 12)
        #expect(TrieWriter.nodeType(transitions: [1, 200], distances: [3, 9], hasPayload: false) == 5)
        #expect(TrieWriter.nodeType(transitions: [1, 2, 3], distances: [3, 9, 12], hasPayload: false) == 10)
        #expect(TrieWriter.nodeType(transitions: [1, 200], distances: [300, 9], hasPayload: false) == 6)
        #expect(TrieWriter.nodeType(transitions: [1, 200], distances: [0x1000, 9], hasPayload: false) == 7)
        #expect(TrieWriter.nodeType(transitions: Array(0...255), distances: Array(repeating: 0x1000, count: 256), hasPayload: false) == 11)
        #expect(TrieWriter.nodeType(transitions: [1, 200], distances: [0x1_0000_0000, 9], hasPayload: false) == 9)
        #expect(TrieWriter.nodeType(transitions: [1, 2], distances: [0x1_0000_0000, 9], hasPayload: false) == 14)
        #expect(TrieWriter.nodeType(transitions: [1, 2], distances: [1 << 45, 9], hasPayload: false) == 15)
    }

    /// A trie of arbitrary keys written by `TrieWriter` and walked node by node: every key leads
    /// to its payload, absent keys to none. The keys give chains of single nodes (long shared
    /// prefixes over a small alphabet), payloads inside the trie (keys that prefix others), full
    /// fan-outs and a file of megabytes, so nodes of most types and distances up to 24 bits.
    @Test func trieWriterOutputWalksBackToEveryKey() throws {
        var rng = SampleRandom(seed: 3, stream: 9)
        var keys = Set<[UInt8]>()
        let alphabet: [UInt8] = [0x00, 0x41, 0x42, 0xFF]
        while keys.count < 3000 { keys.insert((0..<rng.int(0...24)).map { _ in alphabet[rng.int(0..<4)] }) }
        // Under 32 first bytes, hundreds of random second bytes each, then unique tails.
        for _ in 0..<20000 { keys.insert([UInt8(rng.int(0xC0..<0xE0))] + (0..<21).map { _ in UInt8(rng.int(0..<256)) }) }
        // A payload with one child far back (a full fan-out below it), and the same without payload.
        keys.insert([0x10])
        for b in 0...255 { keys.insert([0x10, 0x20, UInt8(b)]); keys.insert([0x11, 0x20, UInt8(b)]) }
        let sorted = keys.sorted { $0.lexicographicallyPrecedes($1) }
        var payloads: [[UInt8]: (flags: Int, bytes: [UInt8])] = [:]
        let folder = try WriterSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = try OutputFile(folder + "/trie")
        let writer = TrieWriter(file: file)
        for key in sorted {
            let flags = rng.int(1...15)
            let payload = (0..<(flags >= 8 ? flags - 6 : flags)).map { _ in UInt8(rng.int(0..<256)) }
            payloads[key] = (flags, payload)
            try writer.add(key, payloadFlags: flags, payload: payload)
        }
        #expect(throws: SSTableError.self) { try writer.add(sorted[sorted.count - 1], payloadFlags: 1, payload: [0]) }
        let root = try writer.complete()
        try file.close()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/trie")))
        #expect(bytes.count > 1 << 16)
        func node(_ position: Int64) throws -> TrieNode { try bytes.withUnsafeBytes { raw in try TrieNode.parse(raw, at: Int(position), base: 0) } }
        func find(_ key: [UInt8]) throws -> TrieNode? {
            var n = try node(root)
            for b in key {
                guard let child = n.children.first(where: { $0.byte == b }) else { return nil }
                n = try node(child.position)
            }
            return n
        }
        for key in sorted {
            let n = try #require(try find(key))
            let expected = payloads[key]!
            let at = Int(n.payloadPosition)
            #expect(n.payloadFlags == expected.flags && Array(bytes[at..<(at + expected.bytes.count)]) == expected.bytes)
        }
        for _ in 0..<3000 {
            let key = (0..<rng.int(0...24)).map { _ in alphabet[rng.int(0..<4)] }
            if !keys.contains(key) { #expect(try find(key).map { $0.payloadFlags == 0 } ?? true) }
        }
        var types = Set<Int>(), pending = [root]
        while let position = pending.popLast() {
            let n = try node(position)
            types.insert(n.type)
            pending += n.children.map(\.position)
        }
        print("node types: \(types.sorted())")
        #expect(types.isSuperset(of: [0, 1, 2, 3, 4, 5, 6, 7, 10, 11]) && !types.isDisjoint(with: [8, 12]), "\(types.sorted())")
    }

    /// Payload sizes as `SizedInts.nonZeroSize` counts them.
    @Test func payloadSizes() {
        let cases: [(Int64, Int)] = [(0, 1), (-1, 1), (127, 1), (-128, 1), (128, 2), (-129, 2), (~125, 1), (32767, 2), (32768, 3), (.max, 8), (.min, 8)]
        for (value, size) in cases { #expect(BTIIndexWriter.nonZeroSize(value) == size, "\(value)") }
    }
}
