import CQL
import Foundation
import SampleData
import Testing

@testable import SSTable

/// BTI SSTables (`na-…-bti`, written by `SSTableWriter` with Partitions.db and Rows.db): range
/// reads seek through Partitions.db and equal the slices of the whole read; point lookups find
/// every partition's Data.db position; a damaged index falls back to a scan with a warning.
@Suite struct PartitionIndexBTITests {
    struct Table {
        var folder: String
        var schema: TableSchema
        var now: Int64
        var expected: String
        var generator: TableGenerator
    }

    static func options(rowIndexSize: Int = 400, compressor: ChunkCompressor? = .lz4) -> SSTableWriter.Options {
        SSTableWriter.Options(version: "na", format: "bti", compressor: compressor, chunkLength: 4096, rowIndexSize: rowIndexSize)
    }

    /// A generated table of `profile` in `sstables` BTI SSTables.
    static func generate(_ profile: String, partitions: Int, sstables: Int = 3, options: SSTableWriter.Options = options(), seed: UInt64 = 11) throws -> Table {
        var rng = SampleRandom(seed: seed, stream: 5)
        let generator = try #require(Profile.named(profile)).generator(now: 1_750_000_000)
        let folder = try WriterSupport.temporaryFolder() + "/ks/\(profile)"
        let expected = try WriterSupport.write(generator, partitions: partitions, sstables: sstables, folder: folder, options: { _ in options }, &rng)
        return Table(folder: folder, schema: generator.schema, now: generator.now, expected: expected, generator: generator)
    }

    static func sstables(_ folder: String) throws -> [SSTable] {
        let location = try #require(try SSTableDiscovery.tables(at: folder).first)
        return try location.sstables.map { try SSTable($0.descriptor, components: $0.components) }
    }

    /// Every node type that occurs in the trie of `index`'s file, by walking it from the root.
    static func nodeTypes(_ path: String) throws -> Set<Int> {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let root = bytes.suffix(8).reduce(Int64(0)) { $0 << 8 | Int64($1) }
        var types = Set<Int>(), pending = [root]
        while let position = pending.popLast() {
            let node = try bytes.withUnsafeBytes { raw in try TrieNode.parse(raw, at: Int(position), base: 0) }
            types.insert(node.type)
            pending += node.children.map(\.position)
        }
        return types
    }

    @Test(arguments: ["iot", "users", "orders"])
    func sharesOfBTITablesAreTheWholeDump(profile: String) throws {
        let t = try Self.generate(profile, partitions: 300)
        defer { try? FileManager.default.removeItem(atPath: t.folder) }
        let tables = try Self.sstables(t.folder)
        #expect(tables.count == 3 && tables.allSatisfy { $0.descriptor.version.format == "bti" && $0.hasComponent("Partitions.db") })
        let whole = try RangeReadTests.read(t.folder, schema: t.schema, now: t.now)
        #expect(String(decoding: whole.text, as: UTF8.self) == t.expected)
        for n in [1, 2, 3, 8, 32] {
            let joined = try RangeReadTests.shares(t.folder, schema: t.schema, now: t.now, n)
            #expect(joined.text == whole.text, "\(profile): \(n) shares")
            #expect(joined.warnings.isEmpty, "\(joined.warnings)")
        }
    }

    /// Shares of a multi-MB BTI table each read about 1/N of its Data.db (at most 1.2/N plus one
    /// chunk per SSTable): Partitions.db is used, not a scan. Its tries hold leaves, sparse and
    /// dense nodes with 8- to 16-bit distances, and wide partitions in Rows.db.
    @Test func aShareOfABTITableReadsAboutItsPart() throws {
        let t = try Self.generate("orders", partitions: 6000, options: Self.options(rowIndexSize: 600), seed: 3)
        defer { try? FileManager.default.removeItem(atPath: t.folder) }
        let tables = try Self.sstables(t.folder)
        let total = tables.reduce(Int64(0)) { $0 + $1.dataFileSize }
        #expect(total > 2 << 20, "\(total) bytes")
        let chunks = tables.reduce(Int64(0)) { sum, s in
            let offsets = s.compression!.chunkOffsets + [s.dataFileSize]
            return sum + zip(offsets, offsets.dropFirst()).map { $1 - $0 }.max()!
        }
        var types = Set<Int>()
        for s in tables {
            types.formUnion(try Self.nodeTypes(s.descriptor.path("Partitions.db")))
            #expect(try Data(contentsOf: URL(fileURLWithPath: s.descriptor.path("Rows.db"))).count > 0)
        }
        #expect(types.isSuperset(of: [0, 3, 5, 10, 11]), "\(types.sorted())")
        print("node types in the Partitions.db files: \(types.sorted())")
        let whole = try RangeReadTests.read(t.folder, schema: t.schema, now: t.now)
        #expect(whole.dataBytesRead == total)
        for n in [3, 8] {
            var text: [UInt8] = []
            for (i, range) in TokenRange.split(n).enumerated() {
                let share = try RangeReadTests.read(t.folder, schema: t.schema, now: t.now, range: range)
                text += share.text
                #expect(share.warnings.isEmpty, "\(share.warnings)")
                let bound = Double(total) * 1.2 / Double(n) + Double(chunks)
                #expect(Double(share.dataBytesRead) <= bound, "share \(i + 1)/\(n): \(share.dataBytesRead) of \(total) bytes")
            }
            #expect(text == whole.text)
        }
    }

    /// Every partition of every SSTable is found at its Data.db offset (narrow ones through `~`
    /// positions, wide ones through Rows.db); keys not in the SSTable are mostly rejected by the
    /// trie and the hash byte, and any candidate left holds another key in Data.db.
    @Test func pointLookupsFindEveryPartition() throws {
        let t = try Self.generate("users", partitions: 1500, options: Self.options(rowIndexSize: 150), seed: 5)
        defer { try? FileManager.default.removeItem(atPath: t.folder) }
        var rng = SampleRandom(seed: 99, stream: 2)
        var wide = 0, absentCandidates = 0, absentTried = 0
        for sstable in try Self.sstables(t.folder) {
            let partitions = try PartitionIndexTests.scan(try RowFormatScanner(sstable))
            let index = try PartitionIndexBTI(sstable)
            #expect(index.keyCount == Int64(partitions.count))
            #expect(index.firstKey == partitions.first?.key && index.lastKey == partitions.last?.key)
            for p in partitions {
                let entry = try index.entry(for: p.key)
                #expect(entry?.dataPosition == p.offset, "\(sstable.descriptor.dataPath): partition at \(p.offset)")
                if entry?.key != nil { wide += 1 }
            }
            let present = Set(partitions.map(\.key))
            let offsets = Dictionary(uniqueKeysWithValues: partitions.map { ($0.offset, $0.key) })
            for _ in 0..<2000 {
                let key = t.generator.randomKey(&rng)
                guard !present.contains(key) else { continue }
                absentTried += 1
                if let entry = try index.entry(for: key) {
                    absentCandidates += 1
                    #expect(offsets[entry.dataPosition] != nil && offsets[entry.dataPosition] != key)
                }
            }
        }
        #expect(wide > 10)
        // A candidate needs the key's token prefix to end on a leaf and its hash byte to match (1 in 256).
        #expect(absentTried > 3000 && absentCandidates * 100 < absentTried, "\(absentCandidates) of \(absentTried)")
    }

    /// The shared corpus's pre-OSS `na` bti Partitions.db files lay the trie out root first, with
    /// children at in-page positions (`10 03 40` at byte 0: the root, its child at byte 3 on 0x40):
    /// not Cassandra 5.0's layout (read as one, the root's 4-bit distance 0 points nowhere), so the
    /// index refuses them, naming the file and the byte.
    @Test(SharedCorpus.required) func preOSSTrieLayoutIsRefused() throws {
        var refused = 0
        for folder in SharedCorpus.tables(version: "na") {
            for location in try SSTableDiscovery.tables(at: folder.path) {
                for (descriptor, components) in location.sstables where descriptor.version.format == "bti" {
                    let sstable = try SSTable(descriptor, components: components)
                    #expect { try PartitionIndexBTI(sstable) } throws: { error in
                        "\(error)".hasPrefix(descriptor.path("Partitions.db") + ": at byte 1: trie node at 0: ")
                    }
                    refused += 1
                }
            }
        }
        #expect(refused >= 8)
    }

    /// Partitions.db of one SSTable damaged in turn: every share reads the same rows, what the
    /// reader could not use is a one-line warning naming the file, and point lookups never crash.
    @Test func damagedOrMissingPartitionIndexFallsBackToAScan() throws {
        let t = try Self.generate("users", partitions: 150, options: Self.options(rowIndexSize: 200))
        defer { try? FileManager.default.removeItem(atPath: t.folder) }
        let whole = try RangeReadTests.read(t.folder, schema: t.schema, now: t.now)
        let sstable = try #require(try Self.sstables(t.folder).first { $0.descriptor.generation == "2" })
        let path = sstable.descriptor.path("Partitions.db"), rows = sstable.descriptor.path("Rows.db")
        let intact = try Data(contentsOf: URL(fileURLWithPath: path)), intactRows = try Data(contentsOf: URL(fileURLWithPath: rows))
        let keys = try PartitionIndexTests.scan(try RowFormatScanner(sstable)).map(\.key)
        func check(_ what: String, warns: String?) throws -> Bool {
            let joined = try RangeReadTests.shares(t.folder, schema: t.schema, now: t.now, 4)
            #expect(joined.text == whole.text, "\(what)")
            if let warns { #expect(joined.warnings.contains { $0.hasPrefix(warns) }, "\(what): \(joined.warnings)") }
            #expect(joined.warnings.allSatisfy { !$0.contains("\n") })
            if let index = try? PartitionIndexBTI(sstable) {
                for key in keys { _ = try? index.entry(for: key) }
            }
            try intact.write(to: URL(fileURLWithPath: path))
            try intactRows.write(to: URL(fileURLWithPath: rows))
            return !joined.warnings.isEmpty
        }

        try FileManager.default.removeItem(atPath: path)
        _ = try check("missing Partitions.db", warns: path + ": missing")
        try Data(intact.prefix(intact.count / 2)).write(to: URL(fileURLWithPath: path))
        _ = try check("truncated Partitions.db", warns: path + ": at byte")
        try Data(count: intact.count).write(to: URL(fileURLWithPath: path))
        _ = try check("zeroed Partitions.db", warns: path + ": at byte")
        try Data(intactRows.prefix(3)).write(to: URL(fileURLWithPath: rows))
        _ = try check("truncated Rows.db", warns: nil)
        var warned = 0
        for at in stride(from: 0, to: intact.count, by: max(1, intact.count / 120)) {
            var bytes = [UInt8](intact)
            bytes[at] ^= 0xFF
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            if try check("byte \(at) flipped", warns: nil) { warned += 1 }
        }
        #expect(warned > 10)
    }
}
