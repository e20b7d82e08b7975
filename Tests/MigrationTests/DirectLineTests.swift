import CQL
import DynamoMapping
import DynamoModel
import Foundation
import SampleData
import SSTable
import TestSupport
import Testing

@testable import Migration

/// The direct path (`ItemLineWriter.writeDirect`, attributes written straight from a row's
/// values) stages exactly the line the general path stages for the same row (an item built by
/// `ItemConverter.convert`, then written in name order), and leaves to the general path every
/// row it cannot write so: compared row by row on the shared corpus, the sample keyspace, and
/// generated tables of every profile, under several designs.
@Suite struct DirectLineTests {
    static let now: Int64 = 1_750_000_000

    /// What one comparison saw.
    struct Counts: CustomStringConvertible {
        var rows = 0
        /// Rows the general path staged an item for (none when a policy skipped or failed the row).
        var staged = 0
        /// Rows the direct path took.
        var direct = 0
        var description: String { "\(rows) rows, \(staged) staged, \(direct) direct" }
    }

    /// Stages every row of `reader` both ways under `design` and expects the same line from each
    /// row the direct path takes.
    static func compare(_ reader: TableReader, design: TableDesign, _ label: String) throws -> Counts {
        var general = try ItemConverter(design: design, schema: reader.schema, columns: reader.outputColumns)
        general.stopOnFailure = false
        var direct = general
        var generalLines = ItemLineWriter(directAttributes: nil)
        let directLines = ItemLineWriter(directAttributes: direct.directAttributes)
        var counts = Counts()
        var mismatches = 0
        var a: [UInt8] = [], b: [UInt8] = []
        try reader.forEachRow { row in
            counts.rows += 1
            a.removeAll(keepingCapacity: true)
            b.removeAll(keepingCapacity: true)
            try general.convert(row) { generalLines.write($0.item, into: &a) }
            if !a.isEmpty { counts.staged += 1 }
            guard directLines.writeDirect(row, converter: &direct, into: &b) else {
                #expect(b.isEmpty, "\(label): a row left to the general path wrote \(b.count) bytes")
                return
            }
            counts.direct += 1
            if a != b {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record("\(label), row \(counts.rows):\n general \(String(decoding: a.prefix(600), as: UTF8.self))\n direct  \(String(decoding: b.prefix(600), as: UTF8.self))")
                }
            }
        }
        #expect(mismatches == 0, "\(label): \(mismatches) lines differ")
        return counts
    }

    /// The proposed design, and one with ISO timestamps, lists for sets, a write-time attribute
    /// and two indexes: one on a column (native) sharing the table's sort key, one joining two columns.
    static func designs(_ schema: TableSchema) -> [(String, TableDesign)] {
        var options = DesignOptions()
        options.timestampFormat = .iso8601
        options.setFormat = .list
        options.writetimeAttribute = "written"
        var other = TableDesigner.propose(schema, options: options)
        let regular = schema.regularColumns.map(\.name).sorted()
        if let first = regular.first, let column = schema.column(named: first), TypeMapping.kind(of: column.type, timestamps: .iso8601) == .S {
            other.indexes.append(IndexDesign(name: "by_\(first)", partitionKey: KeyDesign(attribute: first, type: .S, columns: [first], encoding: .native),
                                             sortKey: other.sortKey, source: "test"))
        }
        if regular.count >= 2 {
            other.indexes.append(IndexDesign(name: "by_two", partitionKey: KeyDesign(attribute: "two", type: .S, columns: Array(regular.prefix(2)), encoding: .joined),
                                             sortKey: nil, source: "test"))
        }
        return [("proposed", TableDesigner.propose(schema)), ("iso, lists, writetime, indexes", other)]
    }

    /// Compares every table of the given sources under each design.
    static func compareTables(_ sources: [String], schema: String) throws -> [String: Counts] {
        var all: [String: Counts] = [:]
        let extractor = Extractor(options: ExtractOptions(sources: sources, schemaText: schema, now: now))
        for job in try extractor.jobs() {
            for (name, design) in designs(try TableReader(location: job.location, schema: job.schema, now: now).schema) {
                let reader = try TableReader(location: job.location, schema: job.schema, now: now)
                all["\(job.name) \(name)"] = try compare(reader, design: design, "\(job.name), \(name) design")
            }
        }
        return all
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.cassandra) || TestPaths.isCI, "needs ../shared/sstables/cassandra"))
    func sharedCorpus() throws {
        var tables = 0
        for format in try FileManager.default.contentsOfDirectory(atPath: TestPaths.cassandra).sorted() where format != "expected" && !format.hasSuffix(".md") {
            let schema = try String(contentsOfFile: "\(TestPaths.cassandra)/expected/\(format)/schema.cql", encoding: .utf8)
            let counts = try Self.compareTables(["\(TestPaths.cassandra)/\(format)"], schema: schema)
            for (table, c) in counts {
                // Text and counter columns only: the direct path takes every row the general path stages.
                #expect(c.direct == c.staged, "\(format) \(table): \(c)")
            }
            tables += counts.count
        }
        #expect(tables >= 40)
    }

    @Test func sampleKeyspace() throws {
        let counts = try Self.compareTables([TestPaths.samples + "/shop"], schema: String(contentsOfFile: TestPaths.samples + "/shop.cql", encoding: .utf8))
        #expect(counts.count == 4)
        // Every order has a list of items, which the general path writes; customers' rows without collections go direct.
        for (table, c) in counts where table.hasPrefix("shop.customers") { #expect(c.rows > 0 && c.direct > 0, "\(table): \(c)") }
    }

    /// Generated tables of every profile (statics, collections, a frozen UDT, counters, TTLs,
    /// deletions over several SSTables).
    @Test(arguments: Profile.all.map(\.name))
    func generatedProfile(_ name: String) throws {
        let data = TempDir("direct-\(name)")
        let profile = try #require(Profile.named(name))
        let written = try SampleWriter(out: data.path, seed: 19, sstables: 3, options: SSTableWriter.Options()).write(try profile.generator(now: Self.now), rows: 3000)
        let counts = try Self.compareTables([written.directory], schema: profile.cql)
        #expect(counts.count == 2)
        for (table, c) in counts {
            #expect(c.rows > 500 && c.direct > 0, "\(table): \(c)")
            // Without collections the direct path takes every staged row.
            if name == "iot" || name == "counters" { #expect(c.direct == c.staged, "\(table): \(c)") }
        }
    }

    /// Items just under and just over DynamoDB's 400 KB: the direct path takes those within the
    /// limit, with the general path's bytes, and leaves the others to the oversize policy.
    @Test func itemsNear400KB() throws {
        let data = TempDir("direct-big")
        let cql = "CREATE TABLE big.items (id int, c int, body text, tag blob, PRIMARY KEY (id, c));"
        let schema = try #require(try CQLSchema.parse(cql).tables.first)
        var shape = Shape()
        shape.rowsPerPartition = 1...4
        shape.ttlChance = 0.3
        var generator = TableGenerator(schema: schema, shape: shape, now: Self.now)
        generator.valueMakers["body"] = { rng, _ in Array(repeating: UInt8(ascii: "x"), count: ItemSize.maximumItemBytes - 45 + rng.int(0...60)) }
        let written = try SampleWriter(out: data.path, seed: 3, sstables: 2, options: SSTableWriter.Options()).write(generator, rows: 200)
        let job = try #require(try Extractor(options: ExtractOptions(sources: [written.directory], schemaText: cql, now: Self.now)).jobs().first)
        let reader = try TableReader(location: job.location, schema: job.schema, now: Self.now)
        let c = try Self.compare(reader, design: TableDesigner.propose(schema), "big.items")
        #expect(c.direct == c.staged, "\(c)")
        #expect(c.staged > 10 && c.rows - c.staged > 10, "some items fit and some do not: \(c)")
    }

    /// Rows the direct path must leave to the general path, and values at the edges of what it writes.
    @Test func unusualValues() throws {
        let schema = TableSchema(keyspace: "k", name: "t", partitionKey: [column("id", .text, .partitionKey)], clustering: [column("c", .int, .clustering)],
                                 regularColumns: [column("d", .double), column("n", .varint), column("s", .text), column("b", .blob), column("f", .boolean)])
        let design = TableDesigner.propose(schema)
        func be(_ v: Int64, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: v >> (8 * (width - 1 - $0))) } }
        func double(_ d: Double) -> [UInt8] { be(Int64(bitPattern: d.bitPattern), 8) }
        func row(_ values: [String: [UInt8]], writeTime: Int64? = nil, expiresAt: Int64? = nil) -> BufferedRow {
            BufferedRow(values: ItemConverter.outputOrder(schema).map { values[$0.name] }, writeTime: writeTime, expiresAt: expiresAt)
        }
        let a = Array("a".utf8)
        // Label, row, whether the direct path takes it.
        let rows: [(String, BufferedRow, Bool)] = [
            ("plain", row(["id": a, "c": be(1, 4), "d": double(1.5), "n": [0x01, 0x00], "s": Array("tab\t\"q\"\\ é".utf8), "b": [0, 1, 0xFF], "f": [1]]), true),
            ("empty values", row(["id": a, "c": be(2, 4), "d": [], "n": [], "s": [], "b": [], "f": []], expiresAt: 1_800_000_000), true),
            ("edges", row(["id": a, "c": be(3, 4), "d": double(-0.0), "n": [0x80], "f": [0]], writeTime: 1_700_000_000_123_456, expiresAt: 1_800_000_000), true),
            ("NaN", row(["id": a, "c": be(4, 4), "d": double(.nan)]), false),
            ("39 digits", row(["id": a, "c": be(5, 4), "n": [0x02] + [UInt8](repeating: 0, count: 16)]), false),
            ("text not UTF-8", row(["id": a, "c": be(6, 4), "s": [0x61, 0xC3, 0x28]]), false),
            ("key not UTF-8", row(["id": [0xFF, 0x61], "c": be(7, 4)]), false),
            ("empty key", row(["id": [], "c": be(8, 4)]), false),
            ("no clustering value", row(["id": a]), false),
        ]
        for (label, row, taken) in rows {
            var general = try ItemConverter(design: design, schema: schema)
            general.stopOnFailure = false
            var direct = general
            var generalLines = ItemLineWriter(directAttributes: nil)
            var a: [UInt8] = [], b: [UInt8] = []
            try general.convert(row) { generalLines.write($0.item, into: &a) }
            let took = ItemLineWriter(directAttributes: direct.directAttributes).writeDirect(row, converter: &direct, into: &b)
            #expect(took == taken, "\(label)")
            #expect(took ? a == b : b.isEmpty, "\(label):\n general \(String(decoding: a, as: UTF8.self))\n direct  \(String(decoding: b, as: UTF8.self))")
        }
    }
}

private func column(_ name: String, _ type: CQLType, _ kind: ColumnKind = .regular) -> ColumnSchema {
    ColumnSchema(name: name, type: type, kind: kind)
}
