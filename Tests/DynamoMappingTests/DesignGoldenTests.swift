import CQL
import Foundation
import TestSupport
import Testing

@testable import DynamoMapping

/// The proposed design of each table, as mapping.yaml text, against a golden file. Set
/// `UPDATE_GOLDEN=1` to rewrite them after an intended change (and review the diff).
@Suite struct DesignGoldenTests {
    static let goldenDir = TestPaths.packageRoot.appendingPathComponent("Tests/DynamoMappingTests/Golden")

    static func sharedSchemas() throws -> [CQLSchema] {
        let base = TestPaths.cassandra + "/expected"
        return try ["ka", "mc"].map { try CQLSchema.parse(String(contentsOfFile: "\(base)/\($0)/schema.cql", encoding: .utf8)) }
    }

    static func allSchemas() throws -> [CQLSchema] {
        let own = try CQLSchema.parse(String(contentsOf: goldenDir.appendingPathComponent("schemas.cql"), encoding: .utf8))
        return [own] + (try sharedSchemas())
    }

    @Test func designsMatchGoldenFiles() throws {
        var count = 0
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil
        for schema in try Self.allSchemas() {
            for table in schema.tables {
                // ka and mc repeat the same shapes: take each shape once, plus the ka-only tables.
                if table.keyspace == "legacy_tables", table.name.hasPrefix("legacy_mc_"), table.name != "legacy_mc_inaccurate_min_max" { continue }
                let design = TableDesigner.propose(table, indexes: schema.indexes, views: schema.views)
                #expect(TableDesigner.validate(design, against: table).isEmpty, "\(table.name): \(TableDesigner.validate(design, against: table))")
                let text = try MappingFile(tables: [design]).yaml()
                let url = Self.goldenDir.appendingPathComponent("\(table.keyspace).\(table.name).yaml")
                if update || !FileManager.default.fileExists(atPath: url.path) {
                    try text.write(to: url, atomically: true, encoding: .utf8)
                    if !update { Issue.record("wrote missing golden \(url.lastPathComponent)") }
                } else {
                    let golden = try String(contentsOf: url, encoding: .utf8)
                    #expect(text == golden, "\(url.lastPathComponent) differs")
                }
                // The YAML reads back to the same design.
                #expect(try MappingFile.parse(yaml: text).tables == [design])
                count += 1
            }
        }
        #expect(count >= 15)
    }

    @Test func keyShapes() throws {
        let schema = try Self.allSchemas()[0]
        func design(_ name: String) -> TableDesign {
            TableDesigner.propose(schema.table(keyspace: "shop", name: name)!, indexes: schema.indexes, views: schema.views)
        }
        let users = design("users")
        #expect(users.partitionKey == KeyDesign(attribute: "id", type: .S, columns: ["id"], encoding: .native))
        #expect(users.sortKey == nil)
        #expect(users.indexes.map(\.name) == ["users_by_email"])
        #expect(users.notes.contains { $0.contains("users_by_tag") })
        let events = design("events")
        #expect(events.partitionKey == KeyDesign(attribute: "pk", type: .S, columns: ["tenant", "day"], encoding: .joined))
        #expect(events.sortKey == KeyDesign(attribute: "sk", type: .S, columns: ["ts"], encoding: .ordered))
        let feed = design("feed")
        #expect(feed.sortKey == KeyDesign(attribute: "c", type: .N, columns: ["c"], encoding: .native))
        #expect(feed.scanIndexForward == false)
        let orders = design("orders")
        #expect(orders.indexes.first?.partitionKey == KeyDesign(attribute: "city", type: .S, columns: ["city"], encoding: .native))
        #expect(orders.indexes.first?.sortKey == KeyDesign(attribute: "orders_by_city_sk", type: .S, columns: ["placed", "customer", "order_id"], encoding: .ordered))
        let flags = design("flags")
        #expect(flags.partitionKey.type == .S)
    }

    @Test func invalidEditsAreReported() throws {
        let table = try Self.allSchemas()[0].table(keyspace: "shop", name: "by_uuid")!
        var design = TableDesigner.propose(table)
        design.sortKey?.encoding = .native
        design.attributes[0].include = false
        design.policies.oversizedItem = .s3
        let problems = TableDesigner.validate(design, against: table)
        #expect(problems.contains { $0.contains("does not keep Cassandra's order") })
        #expect(problems.contains { $0.contains("s3_location") })
        #expect(throws: MappingError.self) { try ItemConverter(design: design, schema: table) }
    }

    @Test func anS3LocationThatIsNoURLIsReported() throws {
        let table = try Self.allSchemas()[0].table(keyspace: "shop", name: "by_uuid")!
        var design = TableDesigner.propose(table)
        design.policies.oversizedItem = .s3
        design.policies.s3Location = "bucket/big"
        #expect(TableDesigner.validate(design, against: table) == ["policies.s3_location bucket/big: expected s3://BUCKET/PREFIX"])
    }

    @Test func shortHandWrittenMappingGetsDefaults() throws {
        let yaml = """
            version: 1
            tables:
              - source: shop.feed
                partition_key: {attribute: k, type: N, columns: [k], encoding: native}
                sort_key: {attribute: c, type: N, columns: [c], encoding: native}
                policies: {oversized_item: skip}
            """
        let file = try MappingFile.parse(yaml: yaml)
        let d = try #require(file.design(for: "shop.feed"))
        #expect(d.table == "feed")
        #expect(d.billingMode == "PAY_PER_REQUEST")
        #expect(d.policies.oversizedItem == .skip)
        #expect(d.policies.invalidKey == .fail)
        #expect(throws: MappingError.self) { try MappingFile.parse(yaml: "tables: [{source: x}]") }
    }
}
