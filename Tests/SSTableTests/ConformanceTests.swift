import CQL
import Foundation
import Testing

@testable import SSTable

/// Every table of the shared corpus (3.0–4.1) reads to exactly the expected rows.
@Suite struct ConformanceTests {
    static let versions = ["ma", "mb", "mc", "md", "me", "na", "nb"]
    static let legacyVersions = ["jb", "ka", "la"]

    /// Dumps one table folder to JSON Lines with the reader, in process. Each row is also written
    /// in place (`appendJSONLine(to: OutputBuffer)`, what `dump` uses) into a buffer that starts
    /// small, so that it grows mid-row; both ways must give the same bytes.
    static func dump(_ folder: String, schema: TableSchema?, now: Int64 = 1_900_000_000) throws -> Data {
        var out: [UInt8] = []
        var lines = OutputBuffer(capacity: 16)
        for location in try SSTableDiscovery.tables(at: folder) {
            let reader = try TableReader(location: location, schema: schema, now: now)
            try reader.forEachRow { row in
                let start = out.count, mark = lines.count
                try row.appendJSON(to: &out)
                out.append(UInt8(ascii: "\n"))
                try row.appendJSONLine(to: &lines)
                #expect(Array(UnsafeRawBufferPointer(rebasing: lines.bytes[mark...])) == Array(out[start...]))
            }
        }
        return Data(out)
    }

    @Test(SharedCorpus.required, arguments: versions + legacyVersions)
    func everyTableMatchesExpectedRows(version: String) throws {
        let schemaText = try String(contentsOf: SharedCorpus.schema(version: version), encoding: .utf8)
        let schema = try CQLSchema.parse(schemaText)
        let tables = SharedCorpus.tables(version: version)
        #expect(!tables.isEmpty)
        for folder in tables {
            let name = folder.lastPathComponent
            guard FileManager.default.fileExists(atPath: SharedCorpus.expected(version: version, table: name).path) else { continue }
            let expected = try parseJSONLines(Data(contentsOf: SharedCorpus.expected(version: version, table: name)))
            let table = try #require(schema.table(keyspace: "legacy_tables", name: name))
            let actual = try parseJSONLines(Self.dump(folder.path, schema: table))
            #expect(actual.count == expected.count, "\(version)/\(name): row count")
            for (i, (e, a)) in zip(expected, actual).enumerated() where !jsonMatches(expected: e, actual: a) {
                Issue.record("\(version)/\(name) row \(i): got \(a)")
                break
            }
        }
    }

    /// `ka/legacy_ka_indexed*`: wide partitions with a column index; partition p=1 holds 5000 rows.
    @Test(SharedCorpus.required, arguments: ["legacy_ka_indexed", "legacy_ka_indexed_static"])
    func indexedPartitionsHoldTheirRows(table: String) throws {
        let schema = try CQLSchema.parse(try String(contentsOf: SharedCorpus.schema(version: "ka"), encoding: .utf8))
        let folder = SharedCorpus.root.appendingPathComponent("ka/legacy_tables/\(table)")
        let rows = try parseJSONLines(Self.dump(folder.path, schema: try #require(schema.table(keyspace: "legacy_tables", name: table))))
        let p1 = rows.compactMap { $0 as? [String: Any] }.filter { ($0["p"] as? Int) == 1 }
        #expect(p1.count == 5000)
    }

    /// Statistics.db of every 3.0+ `clust` table: 5 partitions, 250 rows, ByteOrderedPartitioner.
    @Test(SharedCorpus.required, arguments: versions)
    func statisticsEstimates(version: String) throws {
        let folder = SharedCorpus.root.appendingPathComponent("\(version)/legacy_tables/legacy_\(version)_clust")
        for location in try SSTableDiscovery.tables(at: folder.path) {
            for (descriptor, components) in location.sstables {
                let stats = try SSTable(descriptor, components: components).statistics
                #expect(stats.partitionerClass == "org.apache.cassandra.dht.ByteOrderedPartitioner")
                #expect(stats.estimatedPartitions == 5)
                #expect(stats.totalRows == 250)
                #expect(stats.header?.clusteringTypes == [.text])
            }
        }
    }

    /// 2.x SSTables cannot be read without a schema: a clear error, not guessed names.
    @Test(SharedCorpus.required) func legacyWithoutSchemaIsAnError() throws {
        let folder = SharedCorpus.root.appendingPathComponent("ka/legacy_tables/legacy_ka_simple")
        #expect(throws: SSTableError.self) { _ = try Self.dump(folder.path, schema: nil) }
    }

    /// Without a schema the values are the same; only key and clustering names are Cassandra's
    /// defaults (`key`, `column1`, …), since SSTables do not store them.
    @Test(SharedCorpus.required, arguments: versions)
    func inferredSchemaGivesTheSameValues(version: String) throws {
        let schema = try CQLSchema.parse(try String(contentsOf: SharedCorpus.schema(version: version), encoding: .utf8))
        for folder in SharedCorpus.tables(version: version) {
            let name = folder.lastPathComponent
            let table = try #require(schema.table(keyspace: "legacy_tables", name: name))
            var rename: [String: String] = [:]
            for (i, c) in table.partitionKey.enumerated() { rename[c.name] = i == 0 ? "key" : "key\(i + 1)" }
            for (i, c) in table.clustering.enumerated() { rename[c.name] = "column\(i + 1)" }
            let expected = try parseJSONLines(Data(contentsOf: SharedCorpus.expected(version: version, table: name))).map { row in
                Dictionary(uniqueKeysWithValues: (row as! [String: Any]).map { (rename[$0.key] ?? $0.key, $0.value) })
            }
            let actual = try parseJSONLines(Self.dump(folder.path, schema: nil))
            #expect(actual.count == expected.count, "\(version)/\(name): row count")
            for (i, (e, a)) in zip(expected, actual).enumerated() where !jsonMatches(expected: e, actual: a) {
                Issue.record("\(version)/\(name) row \(i): got \(a)")
                break
            }
        }
    }
}
