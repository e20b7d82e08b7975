import AWS
import DynamoMapping
import Foundation
import TestSupport
import SSTable
import Testing
@testable import Migration

/// Extract → staging: parts read back equal the reconciled rows, parts are real gzip, checksums hold.
@Suite struct ExtractTests {
    static let shopSchema = try! String(contentsOfFile: TestPaths.samples + "/shop.cql", encoding: .utf8)

    /// Rows `dump` would print, per table.
    static func rowCount(_ path: String, schema: String?) throws -> Int {
        let extractor = Extractor(options: ExtractOptions(sources: [path], schemaText: schema, now: 1_700_000_000))
        var total = 0
        for job in try extractor.jobs() {
            let reader = try TableReader(location: job.location, schema: job.schema, now: 1_700_000_000)
            try reader.forEachRow { _ in total += 1 }
        }
        return total
    }

    @Test func shopStagesEveryRowOnceInSmallParts() throws {
        let staging = TestPaths.temporaryFolder("extract")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        var design = DesignOptions()
        design.tablePrefix = "t_"
        let options = ExtractOptions(sources: [TestPaths.samples + "/shop"], schemaText: Self.shopSchema,
                                     partBytes: 500, concurrency: 2, now: 1_700_000_000, design: design)
        let manifest = try Extractor(options: options).run(staging: staging)
        #expect(manifest.tables.map(\.design.table).sorted() == ["t_customers", "t_orders"])
        let expectedRows = try Self.rowCount(TestPaths.samples + "/shop", schema: Self.shopSchema)
        #expect(manifest.tables.reduce(0) { $0 + $1.rows } == expectedRows)
        var keys = Set<String>()
        for table in manifest.tables {
            #expect(table.rejectedCount == 0)
            #expect(table.items == table.parts.reduce(0) { $0 + $1.items })
            for part in table.parts {
                let bytes = try PartReader.readVerified(part, staging: staging)
                #expect(bytes.starts(with: [0x1f, 0x8b]))
                let items = try PartReader.items(bytes, compression: table.partCompression, name: part.file, expectedCount: part.items)
                for item in items {
                    let key = table.design.keyAttributes.map { item[$0]?.jsonString() ?? "nil" }.joined(separator: "|")
                    #expect(keys.insert(table.design.table + key).inserted, "duplicate key \(key)")
                }
            }
            // The system gzip agrees the parts are valid gzip files.
            let gzip = try runProgramBlocking("gzip", ["-t"] + table.parts.map { staging + "/" + $0.file })
            #expect(gzip.status == 0, "\(gzip.stderr)")
        }
        #expect(keys.count == manifest.items)
        let orders = try #require(manifest.table(named: "t_orders"))
        #expect(orders.design.partitionKey.attribute == "pk" && orders.design.sortKey?.attribute == "sk")
        #expect(orders.parts.count > 1, "500-byte parts should split the orders table (\(orders.items) items, \(orders.uncompressedBytes) bytes)")
        let customers = try #require(manifest.table(named: "t_customers"))
        #expect(customers.design.partitionKey.attribute == "id" && customers.design.partitionKey.type == .S)
        // The designs used, as a mapping file that reads back the same.
        let written = try MappingFile.parse(yaml: String(contentsOfFile: staging + "/mapping.yaml", encoding: .utf8))
        #expect(written.tables == manifest.tables.map(\.design))
        #expect(customers.design.sortKey == nil)
    }

    @Test func rerunSkipsStagedTablesAndDamageIsCaught() throws {
        let staging = TestPaths.temporaryFolder("extract2")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let options = ExtractOptions(sources: [TestPaths.samples + "/shop"], schemaText: Self.shopSchema, partBytes: 4096, now: 1_700_000_000)
        let first = try Extractor(options: options).run(staging: staging)
        let second = try Extractor(options: options).run(staging: staging)
        #expect(first == second)
        // Flip one byte of a part: the SHA-256 check names it.
        let part = first.tables[0].parts[0]
        let path = staging + "/" + part.file
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0xff
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: StagingError.self) { try PartReader.readVerified(part, staging: staging) }
    }
}
