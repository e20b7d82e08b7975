import CQL
import Foundation
import SampleData
import Testing

@testable import SSTable

/// Point reads (`TableReader.restrict(toKeys:)`) find partitions through Filter.db, Summary.db
/// and Index.db: each key's rows are exactly that partition's slice of the full dump, on
/// Cassandra's own files (2.0–4.1, Murmur3 and ByteOrdered) and on generated tables of several
/// SSTables; a damaged index gives the same rows with a warning.
@Suite struct PointReadTests {
    /// Every row of every table under `folder` (or only the partitions of `keys`), with its
    /// partition key.
    static func rows(_ folder: String, schema: TableSchema?, now: Int64, keys: [[UInt8]]? = nil) throws -> (rows: [(key: [UInt8], line: String)], warnings: [String], dataBytesRead: Int64) {
        var rows: [(key: [UInt8], line: String)] = []
        var warnings: [String] = []
        var bytes: Int64 = 0
        for location in try SSTableDiscovery.tables(at: folder) {
            let reader = try TableReader(location: location, schema: schema, now: now)
            if let keys { try reader.restrict(toKeys: keys) }
            try reader.forEachRow { row in
                var text: [UInt8] = []
                try row.appendJSON(to: &text)
                rows.append((row.key, String(decoding: text, as: UTF8.self)))
            }
            warnings += reader.warnings
            bytes += reader.dataBytesRead
        }
        return (rows, warnings, bytes)
    }

    /// The keys of every partition a folder's SSTables store (live, deleted or expired alike),
    /// by scanning their Data.db files.
    static func storedKeys(_ folder: String, schema: TableSchema?) throws -> [[UInt8]] {
        var keys = Set<[UInt8]>()
        for location in try SSTableDiscovery.tables(at: folder) {
            for (descriptor, components) in location.sstables {
                let scanner = try PartitionIndexTests.scanner(try SSTable(descriptor, components: components), schema)
                for partition in try PartitionIndexTests.scan(scanner) { keys.insert(partition.key) }
            }
        }
        return keys.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// For each key alone, for all keys at once, and for keys no SSTable holds: the point read
    /// gives exactly the full read's rows of those partitions, in the full read's order.
    static func checkPointReads(_ folder: String, schema: TableSchema?, now: Int64, sample: Int = .max, warningsAllowed: Bool = false) throws {
        let whole = try rows(folder, schema: schema, now: now)
        let keys = try storedKeys(folder, schema: schema)
        #expect(!keys.isEmpty)
        let step = max(1, keys.count / sample)
        for key in stride(from: 0, to: keys.count, by: step).map({ keys[$0] }) {
            let read = try rows(folder, schema: schema, now: now, keys: [key])
            #expect(read.rows.map(\.line) == whole.rows.filter { $0.key == key }.map(\.line), "key \(key)")
            #expect(warningsAllowed || read.warnings.isEmpty, "\(read.warnings)")
        }
        let all = try rows(folder, schema: schema, now: now, keys: keys.reversed() + [keys[0]])
        #expect(all.rows.map(\.line) == whole.rows.map(\.line))
        for absent: [UInt8] in [[], [0xFF, 0x00, 0x17], Array("no such partition key".utf8)] where !keys.contains(absent) {
            #expect(try rows(folder, schema: schema, now: now, keys: [absent]).rows.isEmpty)
        }
    }

    /// Filter.db as Cassandra wrote it, in both bit orders and both hash orders: every key of
    /// every SSTable may be present; keys it does not hold mostly are not. The 4.0 corpus's
    /// COMPACT STORAGE tables carry the pre-`na` bit order under `na`: the first/last-key check
    /// finds them out (and only them).
    @Test(SharedCorpus.required, arguments: ConformanceTests.versions + ConformanceTests.legacyVersions)
    func filterHoldsEveryKeyOfCassandrasFiles(version: String) throws {
        var checked = 0, absentPassed = 0, absentChecked = 0
        var distrusted: [String] = []
        for (sstable, _) in try PartitionIndexTests.sstables(version: version) where sstable.hasComponent("Filter.db") {
            let filter = try BloomFilter(path: sstable.descriptor.path("Filter.db"), version: sstable.descriptor.version)
            let bounds = try SummarySearch(path: sstable.descriptor.path("Summary.db"), version: sstable.descriptor.version).firstAndLastKeys()
            guard try filter.mightContain(bounds.first) && filter.mightContain(bounds.last) else {
                distrusted.append(URL(fileURLWithPath: sstable.descriptor.directory).lastPathComponent)
                #expect(try PartitionLookup(sstable, .byteOrdered).warnings.contains { $0.contains("the filter is not used") })
                continue
            }
            let index = try PartitionIndexReader(path: sstable.descriptor.path("Index.db"), version: sstable.descriptor.version)
            var keys = Set<[UInt8]>()
            while let entry = try index.next() {
                keys.insert(entry.key)
                #expect(try filter.mightContain(entry.key), "\(sstable.descriptor.dataPath): key \(entry.key)")
                checked += 1
            }
            for i in 0..<200 {
                let other = Array("absent-\(i)-\(version)".utf8)
                guard !keys.contains(other) else { continue }
                absentChecked += 1
                if try filter.mightContain(other) { absentPassed += 1 }
            }
        }
        #expect(checked >= 20)
        #expect(distrusted.sorted() == (version == "na" ? ["clust", "clust_counter", "simple", "simple_counter"].map { "legacy_na_\($0)_compact" } : []))
        // Filters are sized for a 1% false-positive chance (0.1% for some tables), with spare bits.
        #expect(Double(absentPassed) <= Double(absentChecked) * 0.05, "\(absentPassed) of \(absentChecked) absent keys passed")
    }

    @Test(SharedCorpus.required, arguments: ConformanceTests.versions + ConformanceTests.legacyVersions)
    func pointReadsOfCassandrasFilesAreSlicesOfTheDump(version: String) throws {
        let schema = try CQLSchema.parse(try String(contentsOf: SharedCorpus.schema(version: version), encoding: .utf8))
        for folder in SharedCorpus.tables(version: version) {
            let table = schema.table(keyspace: "legacy_tables", name: folder.lastPathComponent)
            // `na` BTI copies are read whole (their index is not used yet); four `na` filters are distrusted.
            try Self.checkPointReads(folder.path, schema: table, now: 1_900_000_000, sample: 12, warningsAllowed: version == "na")
        }
    }

    /// Several SSTables per table: partitions spread over them, deleted in one and live in
    /// another, statics, range tombstones, counters, wide partitions with a promoted index.
    @Test(arguments: ["iot", "users", "counters", "orders"], ["me", "nb"])
    func pointReadsOfGeneratedTablesAreSlicesOfTheDump(profile: String, version: String) throws {
        let t = try RangeReadTests.generate(profile, partitions: 150, options: SSTableWriter.Options(version: version, compressor: .lz4, chunkLength: 4096))
        defer { try? FileManager.default.removeItem(atPath: t.folder) }
        let whole = try Self.rows(t.folder, schema: t.schema, now: t.now)
        #expect(whole.rows.map(\.line).joined(separator: "\n") + "\n" == t.expected)
        try Self.checkPointReads(t.folder, schema: t.schema, now: t.now, sample: 40)
    }

    /// BTI SSTables: Filter.db, then Partitions.db for a partition before each key, read on to it.
    @Test(arguments: ["iot", "users", "orders"])
    func pointReadsOfBTITablesAreSlicesOfTheDump(profile: String) throws {
        let t = try PartitionIndexBTITests.generate(profile, partitions: 150)
        defer { try? FileManager.default.removeItem(atPath: t.folder) }
        try Self.checkPointReads(t.folder, schema: t.schema, now: t.now, sample: 40)
    }

    /// A BTI Partitions.db whose entries point elsewhere: the same rows, with a warning.
    @Test func damagedBTIIndexGivesTheSameRows() throws {
        let t = try PartitionIndexBTITests.generate("users", partitions: 120)
        defer { try? FileManager.default.removeItem(atPath: t.folder) }
        let whole = try Self.rows(t.folder, schema: t.schema, now: t.now)
        let keys = try Self.storedKeys(t.folder, schema: t.schema)
        let picked = stride(from: 0, to: keys.count, by: 5).map { keys[$0] }
        let expected = whole.rows.filter { picked.contains($0.key) }.map(\.line)
        let path = t.folder + "/na-2-bti-Partitions.db"
        let intact = try Data(contentsOf: URL(fileURLWithPath: path))
        var warned = 0
        for at in stride(from: 0, to: intact.count, by: max(1, intact.count / 60)) {
            var bytes = [UInt8](intact)
            bytes[at] ^= 0xFF
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let read = try Self.rows(t.folder, schema: t.schema, now: t.now, keys: picked)
            #expect(read.rows.map(\.line) == expected, "byte \(at) flipped")
            if !read.warnings.isEmpty { warned += 1 }
        }
        try intact.write(to: URL(fileURLWithPath: path))
        #expect(warned > 10)
    }

    /// One key of a multi-MB table reads a chunk or two of each SSTable that holds it, not the table.
    @Test func aPointReadReadsItsPartitionNotTheTable() throws {
        let t = try RangeReadTests.generate("orders", partitions: 6000, options: SSTableWriter.Options(version: "nb", compressor: .lz4), seed: 3)
        defer { try? FileManager.default.removeItem(atPath: t.folder) }
        let total = try SSTableDiscovery.tables(at: t.folder).first!.sstables.reduce(Int64(0)) { sum, s in
            sum + (try SSTable(s.descriptor, components: s.components)).dataFileSize
        }
        let keys = try Self.storedKeys(t.folder, schema: t.schema)
        for key in [keys[0], keys[keys.count / 2], keys[keys.count - 1]] {
            let read = try Self.rows(t.folder, schema: t.schema, now: t.now, keys: [key])
            #expect(!read.rows.isEmpty)
            // Three SSTables, a 64 KiB chunk (and the next) in each at most.
            #expect(read.dataBytesRead <= 6 * 65_536 + 1024, "\(read.dataBytesRead) of \(total) bytes")
        }
    }

    /// A damaged Filter.db, Summary.db or Index.db of one SSTable: the same rows, with a warning
    /// naming the file; never a wrong row.
    @Test func damagedIndexesGiveTheSameRows() throws {
        let t = try RangeReadTests.generate("users", partitions: 120, options: SSTableWriter.Options(version: "nb", compressor: .lz4, chunkLength: 4096))
        defer { try? FileManager.default.removeItem(atPath: t.folder) }
        let whole = try Self.rows(t.folder, schema: t.schema, now: t.now)
        let keys = try Self.storedKeys(t.folder, schema: t.schema)
        let picked = stride(from: 0, to: keys.count, by: 7).map { keys[$0] }
        let expected = whole.rows.filter { picked.contains($0.key) }.map(\.line)
        let prefix = t.folder + "/nb-2-big-"
        func check(_ what: String, warns: String?) throws {
            let read = try Self.rows(t.folder, schema: t.schema, now: t.now, keys: picked)
            #expect(read.rows.map(\.line) == expected, "\(what)")
            if let warns { #expect(read.warnings.contains { $0.hasPrefix(warns) }, "\(what): \(read.warnings)") }
            #expect(read.warnings.allSatisfy { !$0.contains("\n") })
        }
        for component in ["Filter.db", "Summary.db", "Index.db"] {
            let path = prefix + component
            let intact = try Data(contentsOf: URL(fileURLWithPath: path))
            try FileManager.default.removeItem(atPath: path)
            try check("missing \(component)", warns: component == "Filter.db" ? nil : path + ": missing")
            try Data(intact.prefix(intact.count / 2)).write(to: URL(fileURLWithPath: path))
            try check("truncated \(component)", warns: path)
            for at in stride(from: 0, to: intact.count, by: max(1, intact.count / 40)) {
                var bytes = [UInt8](intact)
                bytes[at] ^= 0xFF
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                // A flipped filter bit may hide a key, as it would from Cassandra; the others never change a row.
                if component != "Filter.db" { try check("\(component) byte \(at) flipped", warns: nil) }
            }
            try intact.write(to: URL(fileURLWithPath: path))
        }
        // Every Data.db position moved on by one byte: each points inside a partition.
        let index = prefix + "Index.db"
        let intact = try Data(contentsOf: URL(fileURLWithPath: index))
        try RangeReadTests.shiftDataPositions(ofIndex: index)
        try check("positions into partitions", warns: index + ": at byte")
        try intact.write(to: URL(fileURLWithPath: index))
    }
}
