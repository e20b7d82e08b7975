import CQL
import DynamoModel
import Foundation
import TestSupport
import SSTable
import Testing

@testable import DynamoMapping

/// `RowView.writeTime`/`expiresAt` on real SSTables, and whole tables converted end to end.
@Suite struct RowTimesAndScanTests {
    static let corpus = TestPaths.cassandra

    static func schema(_ version: String) throws -> CQLSchema {
        try CQLSchema.parse(String(contentsOfFile: "\(corpus)/expected/\(version)/schema.cql", encoding: .utf8))
    }

    /// Runs the SSTable tests' cqlite-py fixture (rows with TTL 100 s at known timestamps).
    static func mergeScenarios() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("map-merge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/SSTableTests/Fixtures/merge_scenarios.py").path
        let result = try runProgramBlocking("python3", [script, dir.path])
        guard result.status == 0 else { throw TestFailure("merge_scenarios.py failed: \(result.stderr.suffix(2000))") }
        return dir.appendingPathComponent("data/k/t").path
    }

    @Test(CQLitePeer.required) func ttlRowsExpireAndWriteTimes() throws {
        let path = try Self.mergeScenarios()
        let schema = TableSchema(
            keyspace: "k", name: "t", partitionKey: [column("p", .int, .partitionKey)], clustering: [column("c", .int, .clustering)],
            staticColumns: [column("s", .text, .staticColumn)],
            regularColumns: [column("v", .text), column("l", .list(.int, frozen: false)), column("st", .set(.text, frozen: false)), column("m", .map(.text, .int, frozen: false))])
        let now = Int64(Date().timeIntervalSince1970)
        let location = try #require(SSTableDiscovery.tables(at: path).first)
        let reader = try TableReader(location: location, schema: schema, now: now)
        var design = TableDesigner.propose(schema)
        design.writetimeAttribute = "wt"
        var converter = try ItemConverter(design: design, schema: schema, columns: reader.outputColumns)
        var items: [DynamoItem] = []
        var times: [(Int64?, Int64?)] = []
        try reader.forEachRow { row in
            times.append((row.writeTime, row.expiresAt))
            try converter.convert(row) { items.append($0.item) }
        }
        // First row: INSERT … USING TTL 100 AND TIMESTAMP 1000 (p=5, c=1).
        #expect(times.first?.0 == 1000)
        let expiry = try #require(times.first?.1)
        #expect(expiry > now && expiry <= now + 100)
        #expect(items.first?["ttl"] == .n(String(expiry)))
        #expect(items.first?["wt"] == .n("1000"))
        // Rows without TTL have no ttl attribute.
        #expect(items.dropFirst().allSatisfy { $0["ttl"] == nil })
        // Non-frozen collections become L / SS / M.
        let lst = try #require(items.first { $0["v"] == .s("lst") })
        #expect(lst["l"] == .l([.n("3"), .n("1"), .n("2")]))
        #expect(lst["st"] == .ss(["a", "b"]))
        #expect(lst["m"] == .m(["k": .n("1")]))
        #expect(lst["s"] == .s("stat"))
    }

    @Test(arguments: ["ma", "mc", "nb"])
    func legacyTablesConvertAndAssess(version: String) throws {
        let cql = try Self.schema(version)
        let tables = try SSTableDiscovery.tables(at: "\(Self.corpus)/\(version)")
        var assessed: [TableAssessment] = []
        for location in tables {
            guard let schema = cql.table(keyspace: nil, name: location.table) else { continue }
            let reader = try TableReader(location: location, schema: schema, now: 2_000_000_000)
            var design = TableDesigner.propose(schema)
            design.policies.invalidKey = .skip
            let a = try Assessor.assess(schema: schema, design: design, reader: reader, scan: true, prices: Prices())
            let expected = try String(contentsOfFile: "\(Self.corpus)/expected/\(version)/\(location.table).jsonl", encoding: .utf8)
                .split(separator: "\n").count
            #expect(a.rowsRead == expected, "\(location.table)")
            if location.table.contains("_clust") {
                // The clustering values are 1.2 KB: over DynamoDB's 1024-byte sort key limit, every row.
                #expect(a.rowsSkipped == expected && a.issues.first?.kind == .keyTooLong && a.issues.first?.rows == expected, "\(location.table)")
            } else {
                // Every row becomes one item; nothing is lost.
                #expect(a.itemSizes.count == expected && a.rowsSkipped == 0, "\(location.table)")
                #expect(a.cost.writeRequestUnits >= expected)
            }
            assessed.append(a)
        }
        #expect(assessed.count >= 4)
        let report = Assessment(generatedAt: "2026-01-01T00:00:00Z", source: version, prices: Prices(), tables: assessed)
        let html = AssessmentReport.html(report)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<h2>Summary</h2>") && !html.contains("<script"))
        let json = try AssessmentReport.json(report)
        #expect(try JSONDecoder().decode(Assessment.self, from: Data(json.utf8)) == report)
        #expect(AssessmentReport.markdown(report).contains("| table | DynamoDB table |"))
    }

    @Test func estimatesWithoutScan() throws {
        let cql = try Self.schema("mc")
        let location = try #require(SSTableDiscovery.tables(at: "\(Self.corpus)/mc").first { $0.table == "legacy_mc_clust" })
        let schema = try #require(cql.table(keyspace: nil, name: location.table))
        let reader = try TableReader(location: location, schema: schema, now: 2_000_000_000)
        let a = try Assessor.assess(schema: schema, design: TableDesigner.propose(schema), reader: reader, scan: false, prices: Prices())
        #expect(!a.scanned && a.cost.items > 0 && a.cost.importCost > 0 && a.dataBytes > 0)
    }
}
