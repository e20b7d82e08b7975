import CQL
import Foundation
import TestSupport
import Testing

@testable import SSTable

/// The schema a node keeps in `system_schema`, read with our own reader. The system tables here
/// were written by cqlite-py (an independent writer) from Cassandra 4.x's own table definitions;
/// no real node's system tables were available.
@Suite(CQLitePeer.required) struct NodeSchemaTests {
    static func dataDirectory() throws -> URL {
        let dir = try SSTableRewriter.temporaryDirectory()
        _ = try runPythonFixture("system_schema.py", [dir.path])
        return dir.appendingPathComponent("data")
    }

    @Test func readsKeyspacesTypesTablesAndDroppedColumns() throws {
        let data = try Self.dataDirectory()
        let schema = try NodeSchema.read(dataDirectory: data.path, now: 0)
        #expect(schema.keyspaces == ["app"])  // system_auth is Cassandra's own
        let address = UserType(keyspace: "app", name: "address", fieldNames: ["street", "zip"], fieldTypes: [.text, .int])
        #expect(schema.userTypes == [address])
        let users = try #require(schema.table(keyspace: "app", name: "users"))
        #expect(users.partitionKey == [ColumnSchema(name: "org", type: .text, kind: .partitionKey)])
        #expect(users.clustering == [ColumnSchema(name: "user_id", type: .int, kind: .clustering)])
        #expect(users.staticColumns.map(\.name) == ["plan"])
        #expect(users.regularColumns == [
            ColumnSchema(name: "home", type: .udt(address, frozen: true), kind: .regular),
            ColumnSchema(name: "name", type: .text, kind: .regular),
        ])
        #expect(users.droppedColumns == ["legacy": 1_600_000_000_000_000])
        let events = try #require(schema.table(keyspace: "app", name: "events"))
        #expect(events.partitionKey.map(\.name) == ["id", "day"])
        #expect(events.clustering == [ColumnSchema(name: "at", type: .reversed(.timestamp), kind: .clustering)])
        #expect(events.regularColumns.first?.type == .map(.text, .list(.int, frozen: true), frozen: false))
        // A view's columns are rows of `columns` too, but it is not a table.
        #expect(schema.tables.map(\.name) == ["events", "users"])
        #expect(schema.indexes == [
            IndexSchema(keyspace: "app", table: "events", name: "events_tags_idx", column: "tags", target: "keys"),
            IndexSchema(keyspace: "app", table: "users", name: "users_name_idx", column: "name"),
        ])
        #expect(schema.views == [ViewSchema(keyspace: "app", name: "users_by_name", baseTable: "users", partitionKey: ["name"], clustering: ["org", "user_id"])])
    }

    @Test func dataDirectoryDumpsWithTheNodesNames() throws {
        let data = try Self.dataDirectory()
        let locations = try SSTableDiscovery.tables(at: data.path)
        #expect(locations.map(\.table) == ["users"])  // system_schema is not user data
        let resolver = SchemaResolver(file: nil, now: 0)
        var out: [UInt8] = []
        for location in locations {
            let reader = try TableReader(location: location, schema: try resolver.schema(for: location), now: 0)
            try reader.forEachRow { row in
                try row.appendJSON(to: &out)
                out.append(UInt8(ascii: "\n"))
            }
        }
        let rows = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(rows == [
            #"{"org":"initech","user_id":7,"plan":null,"home":null,"name":"peter"}"#,
            #"{"org":"acme","user_id":1,"plan":"gold","home":null,"name":"ann"}"#,
            #"{"org":"acme","user_id":2,"plan":"gold","home":null,"name":"bob"}"#,
        ])
    }

    @Test func snapshotsAreReadOnlyOnRequest() throws {
        let data = try Self.dataDirectory()
        let table = data.appendingPathComponent("app/users")
        let snapshot = table.appendingPathComponent("snapshots/before-migration")
        try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: table.path) where name.hasPrefix("nb-") {
            try FileManager.default.copyItem(at: table.appendingPathComponent(name), to: snapshot.appendingPathComponent(name))
        }
        // Live data: one location, the live folder; the snapshot is not mixed in.
        let live = try SSTableDiscovery.tables(at: data.path)
        #expect(live.map(\.directories) == [[table.path]])
        let snap = try SSTableDiscovery.tables(at: data.path, snapshot: "before-migration")
        #expect(snap.map(\.directories) == [[snapshot.path]])
        #expect(snap.first?.table == "users")
        // The snapshot's schema still comes from the node's system tables.
        #expect(try SchemaResolver(file: nil, now: 0).schema(for: snap[0])?.partitionKey.first?.name == "org")
        #expect(throws: SSTableError.self) { _ = try SSTableDiscovery.tables(at: data.path, snapshot: "nope") }
        #expect(throws: SSTableError.self) { _ = try SSTableDiscovery.tables(at: data.path, backups: true) }
        let backups = table.appendingPathComponent("backups")
        try FileManager.default.copyItem(at: snapshot, to: backups)
        #expect(try SSTableDiscovery.tables(at: data.path, backups: true).map(\.directories) == [[backups.path]])
        #expect(try SSTableDiscovery.tables(at: data.path).map(\.directories) == [[table.path]])
    }
}
