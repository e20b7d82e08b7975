import CQL
import DynamoMapping
import Foundation
import SSTable
import Synchronization
import TestSupport
import Testing
@testable import Migration

/// A column the SSTables store but the schema has not is never dropped silently: extraction
/// stops (policy `unknown_column: fail`, the default) or leaves out its cells and counts them
/// (`skip`); a column the schema records as dropped is left out as Cassandra does.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.cassandra) || TestPaths.isCI, "needs ../shared/sstables/cassandra"))
struct UnknownColumnTests {
    /// The shared table `<v>/legacy_tables/legacy_<v>_simple` (pk, val: 5 rows, each with val).
    static func folder(_ version: String) -> String { TestPaths.cassandra + "/\(version)/legacy_tables/legacy_\(version)_simple" }
    static func withoutVal(_ version: String) -> String {
        "CREATE TABLE legacy_tables.legacy_\(version)_simple (pk text PRIMARY KEY);"
    }

    static func options(_ version: String, schema: String, skip: Bool = false) throws -> ExtractOptions {
        var options = ExtractOptions(sources: [folder(version)], schemaText: schema, schemaFileName: "t.cql", partBytes: 1 << 20, now: 1_900_000_000)
        if skip {
            var design = TableDesigner.propose(try #require(try CQLSchema.parse(schema).tables.first))
            design.policies.unknownColumn = .skip
            options.mapping = MappingFile(tables: [design])
        }
        return options
    }

    @Test(arguments: ["nb", "ka"])
    func aColumnTheSchemaLacksStopsTheTable(version: String) throws {
        let staging = TestPaths.temporaryFolder("unknown-fail")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        #expect {
            try Extractor(options: try Self.options(version, schema: Self.withoutVal(version))).run(staging: staging)
        } throws: { error in
            let text = "\(error)"
            return text.contains("columns the schema has not") && text.contains("Data.db (val)") && text.contains("unknown_column: skip")
        }
        #expect(try Manifest.load(staging: staging).tables.isEmpty)
    }

    @Test(arguments: ["nb", "ka"])
    func skipLeavesOutTheCellsAndCountsThem(version: String) throws {
        let staging = TestPaths.temporaryFolder("unknown-skip")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let manifest = try Extractor(options: try Self.options(version, schema: Self.withoutVal(version), skip: true)).run(staging: staging)
        let table = try #require(manifest.tables.first)
        #expect(table.items == 5)
        // Every one of the 5 rows has a val cell (expected/<v>/legacy_<v>_simple.jsonl).
        #expect(table.issues["unknown_column"] == 5)
        #expect(table.issueSamples["unknown_column"]?.first?.contains("Data.db: val (5 cells) (skip)") == true, "\(table.issueSamples)")
        for part in table.parts {
            for item in try PartReader.items(try PartReader.readVerified(part, staging: staging), compression: table.partCompression, name: part.file, expectedCount: part.items) {
                #expect(item["val"] == nil)
            }
        }
    }

    @Test func aColumnDroppedWithoutATimeIsLeftOutAndSaid() throws {
        let staging = TestPaths.temporaryFolder("unknown-dropped")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let schema = "CREATE TABLE legacy_tables.legacy_nb_simple (pk text PRIMARY KEY, val text);\nALTER TABLE legacy_tables.legacy_nb_simple DROP val;"
        let warnings = Mutex<[String]>([])
        let sink = ProgressSink { e in if e.kind == .warning, let m = e.message { warnings.withLock { $0.append(m) } } }
        let manifest = try Extractor(options: try Self.options("nb", schema: schema)).run(staging: staging, progress: sink)
        let table = try #require(manifest.tables.first)
        #expect(table.items == 5 && table.issues["unknown_column"] == nil)
        #expect(warnings.withLock { $0 }.contains { $0.contains("drops val without a time") }, "\(warnings.withLock { $0 })")
    }

    @Test func planReportsTheColumnsFilesAndCells() throws {
        let schema = try #require(try CQLSchema.parse(Self.withoutVal("nb")).tables.first)
        let location = try #require(try SSTableDiscovery.tables(at: Self.folder("nb")).first)
        let reader = try TableReader(location: location, schema: schema, now: 1_900_000_000)
        let assessment = try Assessor.assess(schema: schema, design: TableDesigner.propose(schema), reader: reader, scan: true, prices: Prices())
        let issue = try #require(assessment.issues.first { $0.kind == .unknownColumn })
        #expect(issue.rows == 5 && issue.policy == "fail" && issue.severity == .error)
        #expect(issue.samples == ["\(Self.folder("nb"))/nb-1-big-Data.db: val (5 cells) (fail)"])
    }
}
