import CQL
import Foundation
import SampleData
import Testing

@testable import SSTable

/// The writer against files Cassandra wrote: re-writing the rows of the shared corpus's `simple`
/// and `clust` tables (same keys, values, timestamps and delta bases) gives Cassandra's exact
/// uncompressed Data.db bytes, and for `simple` its exact Index.db, Summary.db and Filter.db.
@Suite struct WriterConformanceTests {
    static let now: Int64 = 1_900_000_000

    /// Rows of a (pk text, [ck text,] val text) table as partition updates with their write times.
    static func partitions(_ folder: String, schema: TableSchema) throws -> (stats: EncodingStats, updates: [PartitionUpdate]) {
        let location = try #require(try SSTableDiscovery.tables(at: folder).first)
        let reader = try TableReader(location: location, schema: schema, now: now)
        let header = try #require(reader.sstables[0].statistics.header)
        var updates: [PartitionUpdate] = []
        let hasClustering = !schema.clustering.isEmpty
        try reader.forEachRow { row in
            func bytes(_ i: Int) throws -> [UInt8] {
                try row.withValue(ofColumn: i) { v -> [UInt8] in
                    guard case .value(let raw) = v else { return [] }
                    return Array(raw)
                }
            }
            let key = try bytes(0)
            let ts = try #require(row.writeTime)
            let clustering: [[UInt8]?] = hasClustering ? [try bytes(1)] : []
            let r = RowUpdate(clustering: clustering, liveness: RowLiveness(timestamp: ts), cells: [CellUpdate(column: 0, value: try bytes(hasClustering ? 2 : 1), timestamp: ts)])
            if updates.last?.key == key { updates[updates.count - 1].rows.append(r) } else { updates.append(PartitionUpdate(key: key, rows: [r])) }
        }
        let stats = EncodingStats(minTimestamp: header.minTimestamp, minLocalDeletionTime: header.minLocalDeletionTime, minTTL: Int32(header.minTTL))
        return (stats, updates)
    }

    static func rewrite(version: String, table: String) throws -> (original: SSTableDescriptor, written: SSTableDescriptor) {
        let folder = SharedCorpus.root.appendingPathComponent("\(version)/legacy_tables/legacy_\(version)_\(table)").path
        let schemaText = try String(contentsOf: SharedCorpus.schema(version: version), encoding: .utf8)
        let schema = try #require(try CQLSchema.parse(schemaText).table(keyspace: "legacy_tables", name: "legacy_\(version)_\(table)"))
        let (stats, updates) = try partitions(folder, schema: schema)
        let out = try WriterSupport.temporaryFolder()
        let writer = try SSTableWriter(
            directory: out, generation: 1, schema: schema, options: .init(version: version, compressor: nil, partitioner: .byteOrdered), stats: stats)
        for u in updates { try writer.append(u) }
        let written = try writer.finish()
        let original = try #require(try SSTableDiscovery.tables(at: folder).first?.sstables.first?.descriptor)
        return (original, written)
    }

    static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test(SharedCorpus.required, arguments: ["nb", "me"])
    func simpleTableIsByteIdentical(version: String) throws {
        let (original, written) = try Self.rewrite(version: version, table: "simple")
        #expect(try Self.bytes(written.dataPath) == SSTableRewriter.uncompressedData(original))
        for component in ["Index.db", "Summary.db", "Filter.db"] {
            #expect(try Self.bytes(written.path(component)) == Self.bytes(original.path(component)), "\(component)")
        }
    }

    @Test(SharedCorpus.required, arguments: ["nb", "me"])
    func clusteredTableDataIsByteIdentical(version: String) throws {
        let (original, written) = try Self.rewrite(version: version, table: "clust")
        #expect(try Self.bytes(written.dataPath) == SSTableRewriter.uncompressedData(original))
        #expect(try Self.bytes(written.path("Filter.db")) == Self.bytes(original.path("Filter.db")))
        // Our Statistics.db reads back with the same header and row counts.
        let stats = try SSTable(written, components: ["Data.db", "Statistics.db", "CRC.db"]).statistics
        let theirs = try SSTable(original, components: ["Data.db", "Statistics.db", "CompressionInfo.db"]).statistics
        #expect(stats.header?.regularColumns == theirs.header?.regularColumns)
        #expect(stats.totalRows == theirs.totalRows)
        #expect(stats.estimatedPartitions == theirs.estimatedPartitions)
        #expect(stats.minTimestamp == theirs.minTimestamp && stats.maxTimestamp == theirs.maxTimestamp)
    }
}
