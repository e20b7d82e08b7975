import CQL
import Foundation
import SampleData
import TestSupport
import Testing

@testable import SSTable

/// Row indexes of wide partitions — Index.db's promoted index (`big`), Rows.db (`bti`) — read
/// and checked block by block against the rows in Data.db (`dump --verify`): on Cassandra's own
/// files, on files written by cqlite-py, and on our writer's, which cuts blocks as Cassandra does.
@Suite struct RowIndexTests {
    /// `verifySSTables` of every table under `folder`.
    static func verify(_ folder: String, schema: TableSchema?, now: Int64) throws -> [SSTableVerification] {
        var checks: [SSTableVerification] = []
        for location in try SSTableDiscovery.tables(at: folder) {
            checks += try TableReader(location: location, schema: schema, now: now).verifySSTables()
        }
        return checks
    }

    /// Wide partitions (partitions, blocks) per corpus table, counted from Index.db by a separate
    /// parser (a Python script reading each entry's block count); other tables have none.
    static let corpusRowIndexes: [String: (Int, Int)] = {
        var counts: [String: (Int, Int)] = ["legacy_ka_indexed": (1, 7), "legacy_ka_indexed_static": (1, 7), "legacy_ka_repeated_rt": (1, 9)]
        for v in ["jb", "ka", "la"] {
            counts["legacy_\(v)_clust"] = (5, 500)
            counts["legacy_\(v)_clust_counter"] = (5, 250)
            for t in ["clust_compact", "clust_counter_compact"] { counts["legacy_\(v)_\(t)"] = (5, 65) }
        }
        for v in ["ma", "mb", "mc", "md", "me", "na", "nb"] {
            for t in ["clust", "clust_compact", "clust_counter", "clust_counter_compact"] { counts["legacy_\(v)_\(t)"] = (5, 65) }
        }
        return counts
    }()

    /// Every block of every promoted index Cassandra wrote (2.0–4.1) starts at a row (2.x: a
    /// cell) of its partition, names its first and last clusterings, and ends where the next
    /// block starts.
    @Test(SharedCorpus.required, arguments: ConformanceTests.versions + ConformanceTests.legacyVersions)
    func cassandrasPromotedIndexesAgreeWithDataDb(version: String) throws {
        let schema = try CQLSchema.parse(try String(contentsOf: SharedCorpus.schema(version: version), encoding: .utf8))
        var wide = 0
        for folder in SharedCorpus.tables(version: version) {
            let name = folder.lastPathComponent
            let table = schema.table(keyspace: "legacy_tables", name: name)
            let checks = try Self.verify(folder.path, schema: table, now: 1_900_000_000).filter { $0.path.contains("-big-") || !$0.path.contains("-bti-") }
            let problems = checks.flatMap(\.problems).filter { !$0.hasSuffix("it would hide them from point reads") }
            #expect(problems.isEmpty, "\(name): \(problems)")
            let counted = (checks.reduce(0) { $0 + $1.rowIndexPartitions }, checks.reduce(0) { $0 + $1.rowIndexBlocks })
            let expected = Self.corpusRowIndexes[name] ?? (0, 0)
            #expect(counted == expected, "\(name)")
            if counted.0 > 0 {
                wide += 1
                #expect(checks.allSatisfy { $0.checked.contains { $0.hasPrefix("the row index of ") } }, "\(name): \(checks.map(\.checked))")
            }
        }
        #expect(wide >= (version == "nb" ? 2 : 4))
    }

    /// A copy of a corpus table whose Index.db has one byte of a promoted index flipped.
    static func damagedCorpusCopy(version: String, table: String) throws -> (folder: String, flipped: Int64) {
        let source = SharedCorpus.root.appendingPathComponent("\(version)/legacy_tables/\(table)")
        let folder = try WriterSupport.temporaryFolder() + "/legacy_tables/\(table)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(atPath: source.path + "/" + file, toPath: folder + "/" + file)
        }
        let index = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix("Index.db") && !$0.contains("bti") })
        let path = folder + "/" + index
        let reader = try PartitionIndexReader(path: path, version: SSTableVersion(version))
        var entries: [PartitionIndexReader.Entry] = []
        while let e = try reader.next() { entries.append(e) }
        let wide = try #require(entries.filter { $0.promotedIndexSize > 0 }.dropFirst(2).first)
        let flipped = wide.promotedIndexOffset + wide.promotedIndexSize / 2
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[Int(flipped)] ^= 0x20
        try bytes.write(to: URL(fileURLWithPath: path))
        return (folder, flipped)
    }

    /// A flipped byte in a promoted index: `--verify` names Index.db, the partition and an
    /// offset; a whole read and point reads, which do not need the row index, give the same rows.
    @Test(SharedCorpus.required, arguments: ["ka", "mc", "nb"])
    func aDamagedPromotedIndexIsFoundAndNotNeeded(version: String) throws {
        let table = "legacy_\(version)_clust"
        let schema = try CQLSchema.parse(try String(contentsOf: SharedCorpus.schema(version: version), encoding: .utf8)).table(keyspace: "legacy_tables", name: table)
        let original = SharedCorpus.root.appendingPathComponent("\(version)/legacy_tables/\(table)").path
        let (folder, flipped) = try Self.damagedCorpusCopy(version: version, table: table)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let problems = try Self.verify(folder, schema: schema, now: 1_900_000_000).flatMap(\.problems)
        #expect(problems.count == 1, "\(problems)")
        let problem = try #require(problems.first)
        #expect(problem.contains("Index.db: at byte ") && problem.contains("partition 3 (Data.db byte "), "\(problem)")
        let offset = try #require(Int64(problem.split(separator: "at byte ")[1].prefix { $0.isNumber }))
        #expect(offset <= flipped && flipped - offset < 4000, "\(problem): flipped \(flipped)")

        let clean = try PointReadTests.rows(original, schema: schema, now: 1_900_000_000)
        let damaged = try PointReadTests.rows(folder, schema: schema, now: 1_900_000_000)
        #expect(damaged.rows.map(\.line) == clean.rows.map(\.line) && clean.rows.count == 250)
        let keys = try PointReadTests.storedKeys(folder, schema: schema)
        for key in keys {
            let read = try PointReadTests.rows(folder, schema: schema, now: 1_900_000_000, keys: [key])
            #expect(read.rows.map(\.line) == clean.rows.filter { $0.key == key }.map(\.line))
            #expect(read.warnings.isEmpty, "\(read.warnings)")
        }
    }

    /// The blocks Cassandra's writers cut from a partition whose rows start at `starts` and
    /// whose end-of-partition flag is at `flag` (offsets from the partition's first byte): a
    /// block ends after the first row that brings it to `size` bytes or more (`ColumnIndex.add`);
    /// a `big` partition's last block ends after the flag. Returns (offset, width) per block.
    static func blocksByRule(starts: [Int64], flag: Int64, size: Int64) -> [(Int64, Int64)] {
        var blocks: [(Int64, Int64)] = []
        var start: Int64?
        for (i, s) in starts.enumerated() {
            if start == nil { start = s }
            let end = i + 1 < starts.count ? starts[i + 1] : flag
            if end - start! >= size {
                blocks.append((start!, end - start!))
                start = nil
            }
        }
        if let start { blocks.append((start, flag + 1 - start)) }
        return blocks
    }

    /// For each partition of each `big` SSTable under `folder` with a promoted index: its blocks
    /// as `blocksByRule` cuts its rows, and as Index.db stores them.
    static func blocksByRuleAndByIndex(_ folder: String, schema: TableSchema?, size: Int64) throws -> [(rule: [(Int64, Int64)], index: [(Int64, Int64)])] {
        var found: [(rule: [(Int64, Int64)], index: [(Int64, Int64)])] = []
        for location in try SSTableDiscovery.tables(at: folder) {
            for (descriptor, components) in location.sstables {
                let sstable = try SSTable(descriptor, components: components)
                let scanner = try PartitionIndexTests.scanner(sstable, schema)
                let index = try PartitionIndexReader(path: descriptor.path("Index.db"), version: descriptor.version)
                let promoted = try PromotedIndexReader(path: descriptor.path("Index.db"), version: descriptor.version, clusteringTypes: scanner.header.clusteringTypes)
                while try scanner.nextPartition() {
                    let entry = try #require(try index.next())
                    var item = RowIndexItem(), starts: [Int64] = []
                    while try scanner.nextIndexItem(into: &item) { starts.append(item.offset - scanner.partitionOffset) }
                    let rule = Self.blocksByRule(starts: starts, flag: item.offset - scanner.partitionOffset, size: size)
                    var stored: [(Int64, Int64)] = []
                    if entry.promotedIndexSize > 0 {
                        _ = try promoted.open(entry)
                        while let b = try promoted.nextBlock() { stored.append((b.offset, b.width)) }
                    }
                    found.append((rule.count > 1 ? rule : [], stored))
                }
            }
        }
        return found
    }

    /// A table of a built-in profile whose partitions hold `rows` rows each, in one SSTable.
    static func generate(_ profile: String, rows: ClosedRange<Int>, partitions: Int, options: SSTableWriter.Options) throws -> (
        folder: String, schema: TableSchema, now: Int64, expected: String
    ) {
        let base = try #require(Profile.named(profile)).generator(now: 1_750_000_000)
        var shape = base.shape
        shape.rowsPerPartition = rows
        var generator = TableGenerator(schema: base.schema, shape: shape, now: base.now)
        generator.valueMakers = base.valueMakers
        generator.clusteringMaker = base.clusteringMaker
        var rng = SampleRandom(seed: 17, stream: 3)
        let folder = try WriterSupport.temporaryFolder() + "/ks/\(profile)"
        let expected = try WriterSupport.write(generator, partitions: partitions, sstables: 1, folder: folder, options: { _ in options }, &rng)
        return (folder, base.schema, base.now, expected)
    }

    /// Our writer cuts wide partitions into blocks as Cassandra does, writes them to Index.db,
    /// and every block agrees with Data.db: for `me` and `nb`, for the built-in profiles (DESC
    /// timestamps, statics, range tombstones) at small block sizes and at Cassandra's 64 KiB.
    @Test(arguments: [("iot", 4096, 100...400), ("iot", 65536, 1500...3000), ("users", 256, 5...60), ("orders", 512, 5...60)], ["me", "nb"])
    func writtenPromotedIndexesFollowCassandrasRule(profile: (String, Int, ClosedRange<Int>), version: String) throws {
        let (name, size, rows) = profile
        let options = SSTableWriter.Options(version: version, compressor: .lz4, chunkLength: 4096, rowIndexSize: size == 65536 ? nil : size)
        let t = try Self.generate(name, rows: rows, partitions: size == 65536 ? 12 : 120, options: options)
        defer { try? FileManager.default.removeItem(atPath: t.folder) }
        let partitions = try Self.blocksByRuleAndByIndex(t.folder, schema: t.schema, size: Int64(size))
        let wide = partitions.filter { !$0.rule.isEmpty }.count
        #expect(wide >= (size == 65536 ? 10 : 20), "\(profile)")
        for p in partitions {
            #expect(p.index.map(\.0) == p.rule.map(\.0) && p.index.map(\.1) == p.rule.map(\.1))
        }
        let checks = try Self.verify(t.folder, schema: t.schema, now: t.now)
        #expect(checks.allSatisfy { $0.problems.isEmpty }, "\(checks.flatMap(\.problems))")
        #expect(checks.reduce(0) { $0 + $1.rowIndexPartitions } == wide)
        let counted = try RowIndexTests.rowIndexCounts(t.folder)
        #expect(counted.0 == wide && counted.1 == partitions.reduce(0) { $0 + $1.rule.count })
        #expect(try WriterSupport.read(t.folder, schema: t.schema, now: t.now) == t.expected)
    }

    /// `SSTable.rowIndexCount` (what `inspect` shows) summed over the SSTables under `folder`.
    static func rowIndexCounts(_ folder: String) throws -> (Int, Int) {
        var total = (0, 0)
        for location in try SSTableDiscovery.tables(at: folder) {
            for (descriptor, components) in location.sstables {
                let (partitions, blocks) = try SSTable(descriptor, components: components).rowIndexCount()
                total = (total.0 + partitions, total.1 + blocks)
            }
        }
        return total
    }

    /// Random tables (every clustering type, DESC columns, tuples, nulls in bounds) with a tiny
    /// block size: every written promoted index agrees with Data.db.
    @Test func randomTablesWrittenWithRowIndexesVerify() throws {
        var rng = SampleRandom(seed: 41, stream: 2)
        var wide = 0
        for n in 0..<12 {
            let schema = WriterSupport.randomSchema(&rng, name: "t\(n)")
            guard !schema.clustering.isEmpty else { continue }
            var shape = Shape()
            shape.rowsPerPartition = 5...40
            shape.rangeDeleteChance = 0.3
            let generator = TableGenerator(schema: schema, shape: shape, now: 1_750_000_000)
            let folder = try WriterSupport.temporaryFolder() + "/ks/t\(n)"
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let options = SSTableWriter.Options(version: "nb", compressor: nil, rowIndexSize: 200)
            let expected = try WriterSupport.write(generator, partitions: 30, sstables: 2, folder: folder, options: { _ in options }, &rng)
            let checks = try Self.verify(folder, schema: schema, now: generator.now)
            #expect(checks.allSatisfy { $0.problems.isEmpty }, "\(schema.createStatement): \(checks.flatMap(\.problems))")
            wide += checks.reduce(0) { $0 + $1.rowIndexPartitions }
            #expect(try WriterSupport.read(folder, schema: schema, now: generator.now) == expected)
        }
        #expect(wide > 50)
    }

    /// cqlite-py, an independent writer, writes a promoted index for a partition of 2000 rows:
    /// we read its blocks, which agree with its Data.db and follow Cassandra's 64 KiB rule.
    @Test(CQLitePeer.required)
    func cqlitesPromotedIndexAgreesWithItsDataDb() throws {
        let dir = try SSTableRewriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try runPythonFixture("cqlite_wide.py", [dir.path])
        let folder = dir.path + "/data/k/t"
        let schema = TableSchema(
            keyspace: "k", name: "t", partitionKey: [ColumnSchema(name: "p", type: .int, kind: .partitionKey)],
            clustering: [ColumnSchema(name: "c", type: .int, kind: .clustering)], staticColumns: [],
            regularColumns: [ColumnSchema(name: "v", type: .text, kind: .regular)])
        let checks = try Self.verify(folder, schema: schema, now: 1_900_000_000)
        #expect(checks.count == 1 && checks.allSatisfy { $0.problems.isEmpty }, "\(checks.flatMap(\.problems))")
        #expect(checks.first?.rowIndexPartitions == 1 && (checks.first?.rowIndexBlocks ?? 0) >= 3)
        let partitions = try Self.blocksByRuleAndByIndex(folder, schema: schema, size: 65536)
        #expect(partitions.count == 2 && partitions.filter { !$0.index.isEmpty }.count == 1)
        for p in partitions {
            #expect(p.index.map(\.0) == p.rule.map(\.0) && p.index.map(\.1) == p.rule.map(\.1))
        }
        let rows = try PointReadTests.rows(folder, schema: schema, now: 1_900_000_000).rows
        #expect(rows.count == 1901 || rows.count == 2001, "\(rows.count)")
    }

    /// For each wide partition of each BTI SSTable under `folder`: the block offsets and end that
    /// Cassandra's rule cuts from its rows (`BtiFormatPartitionWriter`: the last open block is
    /// indexed only after others), and the offsets of Rows.db's keys (the last: the end).
    static func rowsDbBlocks(_ folder: String, schema: TableSchema?, size: Int64) throws -> [(rule: [Int64], rows: [Int64])] {
        var found: [(rule: [Int64], rows: [Int64])] = []
        for location in try SSTableDiscovery.tables(at: folder) {
            for (descriptor, components) in location.sstables {
                let sstable = try SSTable(descriptor, components: components)
                let scanner = try PartitionIndexTests.scanner(sstable, schema)
                let index = try PartitionIndexBTI(sstable)
                var walk = try index.walk()
                while try scanner.nextPartition() {
                    let entry = try #require(try index.next(&walk))
                    var item = RowIndexItem(), starts: [Int64] = []
                    while try scanner.nextIndexItem(into: &item) { starts.append(item.offset - scanner.partitionOffset) }
                    let flag = item.offset - scanner.partitionOffset
                    let rule = Self.blocksByRule(starts: starts, flag: flag, size: size).map(\.0)
                    var stored: [Int64] = []
                    if let rows = entry.rowsPosition {
                        let trie = try index.rowIndex()
                        let rowsEntry = try trie.entry(at: rows)
                        #expect(rowsEntry.key == scanner.partitionKey && rowsEntry.blockCount == rule.count)
                        var blocks = try trie.walk(rowsEntry)
                        while let b = try trie.next(&blocks) { stored.append(b.offset) }
                    }
                    found.append((rule.count > 1 ? rule + [flag] : [], stored))
                }
            }
        }
        return found
    }

    /// Our `na`-bti writer gives wide partitions a Rows.db row index as Cassandra 5.0 does
    /// (blocks of `row_index_granularity`, separator keys, the end key), and `--verify` checks
    /// Partitions.db and every Rows.db block against Data.db.
    @Test(arguments: [("iot", 1024, 50...300), ("users", 128, 5...60), ("orders", 256, 5...60), ("iot", 16384, 500...1500)])
    func writtenRowsDbFollowsCassandrasRule(profile: (String, Int, ClosedRange<Int>)) throws {
        let (name, size, rows) = profile
        let options = SSTableWriter.Options(version: "na", format: "bti", compressor: .lz4, chunkLength: 4096, rowIndexSize: size == 16384 ? nil : size)
        let t = try Self.generate(name, rows: rows, partitions: 60, options: options)
        defer { try? FileManager.default.removeItem(atPath: t.folder) }
        let partitions = try Self.rowsDbBlocks(t.folder, schema: t.schema, size: Int64(size))
        let wide = partitions.filter { !$0.rule.isEmpty }.count
        #expect(wide >= 20, "\(profile)")
        for p in partitions { #expect(p.rows == p.rule) }
        let counted = try Self.rowIndexCounts(t.folder)
        #expect(counted.0 == wide && counted.1 == partitions.reduce(0) { $0 + max(0, $1.rule.count - 1) })
        let checks = try Self.verify(t.folder, schema: t.schema, now: t.now)
        #expect(checks.allSatisfy { $0.problems.isEmpty }, "\(checks.flatMap(\.problems))")
        #expect(checks.reduce(0) { $0 + $1.rowIndexPartitions } == wide)
        #expect(checks.allSatisfy { $0.checked.contains("Partitions.db") && $0.checked.contains { $0.hasPrefix("Rows.db (the row index of ") } }, "\(checks.map(\.checked))")
        #expect(try WriterSupport.read(t.folder, schema: t.schema, now: t.now) == t.expected)
    }

    /// A flipped byte in a Rows.db row index trie: `--verify` names Rows.db, the partition and an
    /// offset; a whole read and point reads, which do not need the row index, give the same rows.
    @Test func aDamagedRowsDbIsFoundAndNotNeeded() throws {
        let options = SSTableWriter.Options(version: "na", format: "bti", compressor: .lz4, chunkLength: 4096, rowIndexSize: 256)
        let t = try Self.generate("orders", rows: 5...60, partitions: 60, options: options)
        defer { try? FileManager.default.removeItem(atPath: t.folder) }
        let clean = try PointReadTests.rows(t.folder, schema: t.schema, now: t.now)
        let location = try #require(try SSTableDiscovery.tables(at: t.folder).first)
        let (descriptor, components) = try #require(location.sstables.first)
        let index = try PartitionIndexBTI(try SSTable(descriptor, components: components))
        var walk = try index.walk()
        var first: Int64?
        while first == nil, let e = try index.next(&walk) { first = e.rowsPosition }
        // The first wide partition's trie lies before its entry, from the file's start.
        let entry = try index.rowIndex().entry(at: try #require(first))
        let flipped = entry.root - 1
        let path = descriptor.path("Rows.db")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[Int(flipped)] ^= 0x41
        try bytes.write(to: URL(fileURLWithPath: path))

        let problems = try Self.verify(t.folder, schema: t.schema, now: t.now).flatMap(\.problems)
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.contains("Rows.db: at byte ") == true && problems.first?.contains("(Data.db byte ") == true, "\(problems)")
        let damaged = try PointReadTests.rows(t.folder, schema: t.schema, now: t.now)
        #expect(damaged.rows.map(\.line) == clean.rows.map(\.line) && !clean.rows.isEmpty)
        let keys = try PointReadTests.storedKeys(t.folder, schema: t.schema)
        for key in keys.prefix(20) {
            let read = try PointReadTests.rows(t.folder, schema: t.schema, now: t.now, keys: [key])
            #expect(read.rows.map(\.line) == clean.rows.filter { $0.key == key }.map(\.line))
            #expect(read.warnings.isEmpty, "\(read.warnings)")
        }
    }
}
