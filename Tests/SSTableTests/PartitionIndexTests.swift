import CQL
import Foundation
import Testing

@testable import SSTable

/// Summary.db and Index.db of every `big` SSTable of the shared corpus (2.0–4.1) read as a full
/// scan of Data.db finds the partitions: the same keys at the same Data.db positions.
@Suite struct PartitionIndexTests {
    /// The `big` SSTables of a version's tables, each with a scanner and the table's schema.
    static func sstables(version: String) throws -> [(SSTable, TableSchema?)] {
        let schema = try CQLSchema.parse(try String(contentsOf: SharedCorpus.schema(version: version), encoding: .utf8))
        var found: [(SSTable, TableSchema?)] = []
        for folder in SharedCorpus.tables(version: version) {
            for location in try SSTableDiscovery.tables(at: folder.path) {
                let table = schema.table(keyspace: "legacy_tables", name: folder.lastPathComponent)
                for (descriptor, components) in location.sstables where descriptor.version.format == "big" {
                    found.append((try SSTable(descriptor, components: components), table))
                }
            }
        }
        return found
    }

    static func scanner(_ sstable: SSTable, _ schema: TableSchema?) throws -> any PartitionScanner {
        sstable.descriptor.version.isLegacyCellFormat
            ? try LegacyCellScanner(sstable, schema: try #require(schema)) : try RowFormatScanner(sstable)
    }

    /// Every partition's key and offset, and its count of unfiltereds, by a full scan.
    static func scan(_ scanner: any PartitionScanner) throws -> [(key: [UInt8], offset: Int64, unfiltereds: Int)] {
        var out: [(key: [UInt8], offset: Int64, unfiltereds: Int)] = []
        var u = Unfiltered()
        while try scanner.nextPartition() {
            var n = 0
            while try scanner.nextUnfiltered(into: &u) { n += 1 }
            out.append((scanner.partitionKey, scanner.partitionOffset, n))
        }
        return out
    }

    @Test(SharedCorpus.required, arguments: ConformanceTests.versions + ConformanceTests.legacyVersions)
    func indexAgreesWithAFullScan(version: String) throws {
        let sstables = try Self.sstables(version: version)
        #expect(sstables.count >= 4)
        var promoted = 0
        for (sstable, schema) in sstables {
            let d = sstable.descriptor
            let partitions = try Self.scan(try Self.scanner(sstable, schema))
            let index = try PartitionIndexReader(path: d.path("Index.db"), version: d.version)
            var entries: [PartitionIndexReader.Entry] = []
            while let e = try index.next() {
                if e.promotedIndexSize > 0 { promoted += 1 }
                entries.append(e)
            }
            #expect(entries.map(\.key) == partitions.map(\.key), "\(d.dataPath)")
            #expect(entries.map(\.dataPosition) == partitions.map(\.offset), "\(d.dataPath)")

            let summary = try IndexSummary.read(d.path("Summary.db"), version: d.version)
            #expect(summary.minIndexInterval == 128)
            #expect(summary.firstKey == partitions.first?.key && summary.lastKey == partitions.last?.key, "\(d.dataPath)")
            // Every 128th entry is sampled (full sampling), each with its Index.db offset.
            let sampled = stride(from: 0, to: entries.count, by: 128).map { entries[$0] }
            #expect(summary.keys == sampled.map(\.key), "\(d.dataPath)")
            #expect(summary.indexPositions == sampled.map(\.indexOffset), "\(d.dataPath)")
        }
        // clust tables' partitions (50 rows of 1.3 KB, over the 64 KiB column index size) have a promoted index.
        #expect(promoted > 0)
    }

    /// A scanner moved to any partition's offset reads exactly the rest of the file from there:
    /// compressed chunks entered mid-way, wide partitions, 2.x and 3.0+ formats.
    @Test(SharedCorpus.required, arguments: ConformanceTests.versions + ConformanceTests.legacyVersions)
    func scannerStartsAtAnyPartition(version: String) throws {
        for (sstable, schema) in try Self.sstables(version: version) {
            let whole = try Self.scan(try Self.scanner(sstable, schema))
            let scanner = try Self.scanner(sstable, schema)
            for i in whole.indices.reversed() {
                try scanner.seek(to: whole[i].offset)
                let tail = try Self.scan(scanner)
                #expect(tail.map(\.key) == whole[i...].map(\.key) && tail.map(\.unfiltereds) == whole[i...].map(\.unfiltereds), "\(sstable.descriptor.dataPath) from partition \(i)")
            }
        }
    }

    @Test func summaryDamageIsAnErrorNamingTheFileAndOffset() throws {
        // One entry: key "0" at Index.db offset 0; then first and last keys (ka+ layout).
        var bytes: [UInt8] = [0, 0, 0, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 13, 0, 0, 0, 0x80, 0, 0, 0, 1]
        bytes += [4, 0, 0, 0, 0x30, 0, 0, 0, 0, 0, 0, 0, 0]
        bytes += [0, 0, 0, 1, 0x30, 0, 0, 0, 1, 0x30]
        let version = SSTableVersion("nb")
        let summary = try IndexSummary.parse(bytes, path: "S", version: version)
        #expect(summary.keys == [[0x30]] && summary.indexPositions == [0] && summary.lastKey == [0x30])
        var badOffset = bytes
        badOffset[24] = 40
        #expect { try IndexSummary.parse(badOffset, path: "S", version: version) } throws: { "\($0)".hasPrefix("S: at byte 24: ") }
        #expect { try IndexSummary.parse(Array(bytes.dropLast(3)), path: "S", version: version) } throws: { "\($0)" == "S: at byte 42: file is truncated" }
    }
}
