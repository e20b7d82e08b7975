import CQL
import Foundation
import Testing

@testable import SSTable

/// A 2.x node's schema, read from its `system.schema_*` tables. No real 2.x system tables were
/// available: these are written by `LegacyTestWriter` (our own minimal 2.1 writer), from the
/// definitions of those tables in Cassandra 2.1. The user table read with that schema is a real
/// Cassandra 2.1 SSTable from the shared corpus.
@Suite struct LegacyNodeSchemaTests {
    typealias W = LegacyTestWriter

    /// A data directory with system schema tables describing `legacy_tables.legacy_ka_clust` and
    /// `legacy_ka_simple_compact`, and the real ka SSTables of those tables beside them.
    static func dataDirectory() throws -> URL {
        let data = try SSTableRewriter.temporaryDirectory().appendingPathComponent("data")
        let system = data.appendingPathComponent("system")
        let ks = "legacy_tables"
        try W.write(directory: system.appendingPathComponent("schema_keyspaces-b0f2235744583cdb9631c43e59ce3676"), keyspace: "system", table: "schema_keyspaces", partitions: [
            (ks, [W.Cell(clustering: [], column: "", value: []), W.Cell(clustering: [], column: "durable_writes", value: W.bool(true)),
                  W.Cell(clustering: [], column: "strategy_class", value: W.text("org.apache.cassandra.locator.SimpleStrategy"))]),
        ])
        func cf(_ table: String, _ comparator: String, dense: Bool) -> [W.Cell] {
            [W.Cell(clustering: [table], column: "", value: []),
             W.Cell(clustering: [table], column: "comparator", value: W.text(comparator)),
             W.Cell(clustering: [table], column: "is_dense", value: W.bool(dense)),
             W.Cell(clustering: [table], column: "key_validator", value: W.text("org.apache.cassandra.db.marshal.UTF8Type")),
             W.Cell(clustering: [table], column: "dropped_columns", collectionKey: W.text("old"), value: W.bigint(1_234_000))]
        }
        try W.write(directory: system.appendingPathComponent("schema_columnfamilies-45f5b36024bc3f83a3631034ea4fa697"), keyspace: "system", table: "schema_columnfamilies", partitions: [
            (ks, cf("legacy_ka_clust", "org.apache.cassandra.db.marshal.CompositeType(org.apache.cassandra.db.marshal.UTF8Type,org.apache.cassandra.db.marshal.UTF8Type)", dense: false)
                + cf("legacy_ka_simple_compact", "org.apache.cassandra.db.marshal.UTF8Type", dense: false)),
        ])
        func column(_ table: String, _ name: String, _ kind: String, _ index: Int32?) -> [W.Cell] {
            var cells = [W.Cell(clustering: [table, name], column: "", value: []),
                         W.Cell(clustering: [table, name], column: "type", value: W.text(kind)),
                         W.Cell(clustering: [table, name], column: "validator", value: W.text("org.apache.cassandra.db.marshal.UTF8Type"))]
            if let index { cells.append(W.Cell(clustering: [table, name], column: "component_index", value: W.int(index))) }
            return cells
        }
        try W.write(directory: system.appendingPathComponent("schema_columns-296e9c049bec3085827dc17d3df2122a"), keyspace: "system", table: "schema_columns", partitions: [
            (ks, column("legacy_ka_clust", "ck", "clustering_key", 0) + column("legacy_ka_clust", "pk", "partition_key", nil)
                + column("legacy_ka_clust", "val", "regular", 1)
                + [W.Cell(clustering: ["legacy_ka_clust", "val"], column: "index_name", value: W.text("clust_val_idx")),
                   W.Cell(clustering: ["legacy_ka_clust", "val"], column: "index_type", value: W.text("COMPOSITES"))]
                + column("legacy_ka_simple_compact", "pk", "partition_key", nil) + column("legacy_ka_simple_compact", "val", "regular", nil)),
        ])
        for table in ["legacy_ka_clust", "legacy_ka_simple_compact"] {
            let target = data.appendingPathComponent("\(ks)/\(table)-0123456789abcdef0123456789abcdef")
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: SharedCorpus.root.appendingPathComponent("ka/legacy_tables/\(table)"), to: target)
        }
        return data
    }

    @Test(SharedCorpus.required) func readsTheSchemaTables() throws {
        let data = try Self.dataDirectory()
        #expect(NodeSchema.isPresent(in: data.path))
        let schema = try NodeSchema.read(dataDirectory: data.path, now: 0)
        #expect(schema.keyspaces == ["legacy_tables"])
        let clust = try #require(schema.table(keyspace: "legacy_tables", name: "legacy_ka_clust"))
        #expect(clust.partitionKey.map(\.name) == ["pk"])
        #expect(clust.clustering.map(\.name) == ["ck"])
        #expect(clust.regularColumns.map(\.name) == ["val"])
        #expect(!clust.isCompactStorage)
        #expect(clust.droppedColumns == ["old": 1_234_000])
        #expect(schema.indexes == [IndexSchema(keyspace: "legacy_tables", table: "legacy_ka_clust", name: "clust_val_idx", column: "val")])
        let compact = try #require(schema.table(keyspace: "legacy_tables", name: "legacy_ka_simple_compact"))
        #expect(compact.isCompactStorage && compact.clustering.isEmpty)
    }

    /// `dump DATA_DIR` with no flag: the 2.x SSTables read with the node's own schema.
    @Test(SharedCorpus.required) func realSSTablesReadWithTheNodesSchema() throws {
        let data = try Self.dataDirectory()
        let resolver = SchemaResolver(file: nil, now: 0)
        for location in try SSTableDiscovery.tables(at: data.path) {
            let reader = try TableReader(location: location, schema: try resolver.schema(for: location), now: 0)
            var out: [UInt8] = []
            try reader.forEachRow { row in
                try row.appendJSON(to: &out)
                out.append(UInt8(ascii: "\n"))
            }
            let expected = try parseJSONLines(Data(contentsOf: SharedCorpus.expected(version: "ka", table: location.table)))
            let actual = try parseJSONLines(Data(out))
            #expect(actual.count == expected.count, "\(location.table)")
            for (e, a) in zip(expected, actual) { #expect(jsonMatches(expected: e, actual: a), "\(location.table): \(a)") }
        }
    }
}
