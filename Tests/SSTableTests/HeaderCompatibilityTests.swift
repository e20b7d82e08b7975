import CQL
import Foundation
import SampleData
import Testing

@testable import SSTable

private let marshal = "org.apache.cassandra.db.marshal."

/// `type` with every `FrozenType(...)` wrapper whose content starts with `inner` removed.
private func unwrapFrozen(_ type: String, around inner: String) -> String {
    let open = marshal + "FrozenType(" + marshal + inner
    var s = type
    while let r = s.range(of: open) {
        var depth = 0
        var close = s.index(r.lowerBound, offsetBy: (marshal + "FrozenType").count)
        repeat {
            if s[close] == "(" { depth += 1 } else if s[close] == ")" { depth -= 1 }
            if depth > 0 { close = s.index(after: close) }
        } while depth > 0
        s.remove(at: close)
        s.removeSubrange(r.lowerBound..<s.index(r.lowerBound, offsetBy: (marshal + "FrozenType(").count))
    }
    return s
}

/// `type` with the first type starting with `inner` wrapped in `FrozenType(...)`.
private func wrapFrozen(_ type: String, around inner: String) -> String {
    guard let r = type.range(of: marshal + inner) else { return type }
    var s = type
    var depth = 0
    var close = s.index(r.upperBound, offsetBy: -1)
    repeat {
        if s[close] == "(" { depth += 1 } else if s[close] == ")" { depth -= 1 }
        close = s.index(after: close)
    } while depth > 0
    s.insert(")", at: close)
    s.insert(contentsOf: marshal + "FrozenType(", at: r.lowerBound)
    return s
}

/// A table our writer writes over two SSTables (partitions spread across both), with the rows
/// an independent model of Cassandra expects.
private func writeTable(_ cql: String, version: String, rowsPerPartition: ClosedRange<Int> = 0...6, seed: UInt64 = 3) throws -> (folder: String, schema: TableSchema, expected: String) {
    let schema = try #require(try CQLSchema.parse(cql).tables.first)
    var shape = Shape()
    shape.rowsPerPartition = rowsPerPartition
    let generator = TableGenerator(schema: schema, shape: shape, now: WriterRoundTripTests.now)
    let folder = try WriterSupport.temporaryFolder() + "/ks/\(schema.name)"
    var rng = SampleRandom(seed: seed, stream: 1)
    let expected = try WriterSupport.write(
        generator, partitions: 40, sstables: 2, folder: folder,
        options: { _ in SSTableWriter.Options(version: version, compressor: .lz4, chunkLength: 4096) }, &rng)
    return (folder, schema, expected)
}

private func descriptors(_ folder: String) throws -> [SSTableDescriptor] {
    try #require(try SSTableDiscovery.tables(at: folder).first).sstables.map(\.descriptor).sorted { $0.generation < $1.generation }
}

/// The rows as `dump` prints them.
private func rows(_ r: TableReader) throws -> String {
    var out: [UInt8] = []
    try r.forEachRow { row in
        try row.appendJSON(to: &out)
        out.append(UInt8(ascii: "\n"))
    }
    return String(decoding: out, as: UTF8.self)
}

private func reader(_ folder: String, _ schema: TableSchema) throws -> TableReader {
    try TableReader(location: try #require(try SSTableDiscovery.tables(at: folder).first), schema: schema, now: WriterRoundTripTests.now)
}

/// Differences between an SSTable's serialization header and the schema that Cassandra reads
/// (`SSTableHeaderFix`, `AbstractType.isCompatibleWith` / `isValueCompatibleWith`) read as the
/// schema says, each reported once as a warning naming the file; the rest stay errors.
@Suite struct HeaderCompatibilityTests {
    static let udtTable = """
        CREATE TYPE ks.addr (street text, zip int);
        CREATE TABLE ks.people (id int PRIMARY KEY, home frozen<addr>, past list<frozen<addr>>, pair tuple<int, frozen<addr>>, n int);
        """

    /// CASSANDRA-15035: Cassandra 3.0 wrote frozen UDTs without `FrozenType`, at the top level
    /// (its cells are still whole values) and nested in collections; the reverse, a `FrozenType`
    /// where Cassandra writes none (inside a tuple), is the same type too.
    @Test(arguments: ["nb", "me"])
    func userTypesRecordedAsNotFrozenReadAsTheSchemaSays(version: String) throws {
        let (folder, schema, expected) = try writeTable(Self.udtTable, version: version)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = try descriptors(folder)
        for d in files {
            try HeaderRewriter.rewrite(d) { slot, t in
                slot == .column("pair") ? wrapFrozen(t, around: "UserType(") : unwrapFrozen(t, around: "UserType(")
            }
        }
        let r = try reader(folder, schema)
        WriterRoundTripTests.expectSameRows(expected, try rows(r), schema)
        for d in files {
            let mine = r.warnings.filter { $0.hasPrefix(d.path("Statistics.db")) }
            #expect(mine.count == 3, "\(r.warnings)")
            for column in ["home", "past", "pair"] {
                #expect(mine.filter { $0.contains("column \(column) is ") && $0.contains("CASSANDRA-15035") }.count == 1, "\(mine)")
            }
        }
    }

    /// The header as Cassandra writes it (nested types bare inside a frozen type, wrapped inside
    /// a non-frozen one) is no difference; a nested collection recorded with the other frozen
    /// flag is one, read the same.
    @Test func nestedCollectionsReadWhateverFrozenFlagTheHeaderRecords() throws {
        let (folder, schema, expected) = try writeTable(
            "CREATE TABLE ks.nest (id int PRIMARY KEY, a frozen<list<frozen<set<int>>>>, b list<frozen<set<int>>>, c map<int, frozen<list<text>>>);",
            version: "nb")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let canonical = try reader(folder, schema)
        #expect(canonical.warnings.isEmpty, "\(canonical.warnings)")
        for d in try descriptors(folder) {
            try HeaderRewriter.rewrite(d) { slot, t in
                guard slot == .column("a") else { return unwrapFrozen(t, around: "") }
                let set = marshal + "SetType(" + marshal + "Int32Type)"
                return t.replacingOccurrences(of: set, with: marshal + "FrozenType(" + set + ")")
            }
        }
        let r = try reader(folder, schema)
        #expect(try rows(r) == expected)
        for column in ["a", "b", "c"] {
            let notes = r.warnings.filter { $0.contains("column \(column) is ") && $0.contains("nested") }
            #expect(notes.count == 2, "\(column): \(r.warnings)")
        }
        #expect(r.warnings.count == 6, "\(r.warnings)")
    }

    /// `AbstractType.isValueCompatibleWith`: values written as timestamp read as bigint (and
    /// print as bigint, as Cassandra shows them); written as ascii, read as text.
    @Test func valueCompatibleTypesReadAsTheSchemaType() throws {
        let (folder, schema, expected) = try writeTable("CREATE TABLE ks.vals (id int PRIMARY KEY, big bigint, words text);", version: "nb")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for d in try descriptors(folder) {
            try HeaderRewriter.rewrite(d) { slot, t in
                switch slot {
                case .column("big"): return marshal + "TimestampType"
                case .column("words"): return marshal + "AsciiType"
                default: return t
                }
            }
        }
        let r = try reader(folder, schema)
        #expect(try rows(r) == expected)
        #expect(r.warnings.count == 4 && r.warnings.allSatisfy { $0.contains("isValueCompatibleWith") }, "\(r.warnings)")
    }

    /// `UserType.isCompatibleWith`: a type extended with `ALTER TYPE ... ADD` reads values
    /// written before, the new field null (as Cassandra shows it); a type that lost a field
    /// does not.
    @Test func aUserTypeWithAnAddedFieldReadsOlderValues() throws {
        let (folder, _, expected) = try writeTable(
            "CREATE TYPE ks.addr (street text, zip int); CREATE TABLE ks.moves (id int PRIMARY KEY, home frozen<addr>, past list<frozen<addr>>);",
            version: "nb")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let altered = try #require(try CQLSchema.parse(
            "CREATE TYPE ks.addr (street text, zip int, city text); CREATE TABLE ks.moves (id int PRIMARY KEY, home frozen<addr>, past list<frozen<addr>>);"
        ).tables.first)
        func withCity(_ v: Any) -> Any {
            if var d = v as? [String: Any] {
                if d["street"] != nil, d["zip"] != nil { d["city"] = NSNull() }
                return d.mapValues(withCity)
            }
            if let a = v as? [Any] { return a.map(withCity) }
            return v
        }
        let want = try parseJSONLines(Data(expected.utf8)).map(withCity)
        let r = try reader(folder, altered)
        let got = try parseJSONLines(Data(try rows(r).utf8))
        #expect(got.count == want.count && !got.isEmpty)
        #expect(zip(want, got).allSatisfy { jsonMatches(expected: $0, actual: $1) })
        #expect(r.warnings.count == 4, "\(r.warnings)")

        let shrunk = try #require(try CQLSchema.parse(
            "CREATE TYPE ks.addr (street text); CREATE TABLE ks.moves (id int PRIMARY KEY, home frozen<addr>, past list<frozen<addr>>);"
        ).tables.first)
        #expect { try reader(folder, shrunk) } throws: { "\($0)".contains("column home is frozen<addr> with addr {street text} in the schema but frozen<addr> with addr {street text, zip int} in the SSTable") }
    }

    /// What Cassandra's rules refuse stays an error naming the file, the column and both types.
    @Test func incompatibleTypesAreRefused() throws {
        let (folder, _, _) = try writeTable("CREATE TABLE ks.bad (id int PRIMARY KEY, v text, w int);", version: "nb")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (cql, message) in [
            ("CREATE TABLE ks.bad (id int PRIMARY KEY, v ascii, w int);", "column v is ascii in the schema but text in the SSTable"),
            ("CREATE TABLE ks.bad (id int PRIMARY KEY, v text, w bigint);", "column w is bigint in the schema but int in the SSTable"),
            ("CREATE TABLE ks.bad (id bigint PRIMARY KEY, v text, w int);", "partition key column id is bigint in the schema but int in the SSTable"),
        ] {
            let schema = try #require(try CQLSchema.parse(cql).tables.first)
            #expect { try reader(folder, schema) } throws: { error in
                let text = "\(error)"
                return text.contains(message) && text.contains("Statistics.db") && !text.contains("\n")
            }
        }
    }
}

/// A clustering column ASC in the schema and DESC in the header (or the reverse): the file is
/// read when its rows are in the schema's order, refused when they are in the other.
@Suite struct ReversedClusteringTests {
    /// A shared-corpus table (rows written ASC by Cassandra) whose header says DESC reads as
    /// written; read with a DESC schema, its rows contradict the schema and it is refused.
    @Test(SharedCorpus.required, arguments: ["nb", "me"])
    func aCorpusTableWithAReversedHeader(version: String) throws {
        let name = "legacy_\(version)_clust"
        let source = SharedCorpus.root.appendingPathComponent("\(version)/legacy_tables/\(name)")
        let copy = try SSTableRewriter.copy(source)
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent().deletingLastPathComponent()) }
        let cql = try String(contentsOf: SharedCorpus.schema(version: version), encoding: .utf8)
        let table = try #require(try CQLSchema.parse(cql).table(keyspace: "legacy_tables", name: name))
        let expected = try parseJSONLines(Data(contentsOf: SharedCorpus.expected(version: version, table: name)))

        // The original header against a DESC schema: the rows are ASC, the opposite order.
        let descCQL = cql.split(separator: "\n").map { line in
            line.contains("\(name) (") ? line.replacingOccurrences(of: "PRIMARY KEY (pk, ck))", with: "PRIMARY KEY (pk, ck)) WITH CLUSTERING ORDER BY (ck DESC)") : String(line)
        }.joined(separator: "\n")
        let desc = try #require(try CQLSchema.parse(descCQL).table(keyspace: "legacy_tables", name: name))
        #expect(desc.clustering.first?.type == .reversed(.text))
        #expect { try ConformanceTests.dump(copy.path, schema: desc) } throws: { error in
            let text = "\(error)"
            return text.contains("Data.db") && text.contains("clustering column ck is text DESC in the schema but text ASC in the SSTable header")
                && text.contains("opposite order") && !text.contains("\n")
        }

        for d in try descriptors(copy.path) {
            try HeaderRewriter.rewrite(d) { slot, t in slot == .clustering(0) ? "\(marshal)ReversedType(\(t))" : t }
        }
        let actual = try parseJSONLines(ConformanceTests.dump(copy.path, schema: table))
        #expect(actual.count == expected.count && !actual.isEmpty)
        #expect(zip(expected, actual).allSatisfy { jsonMatches(expected: $0, actual: $1) })
        let r = try reader(copy.path, table)
        #expect(r.warnings.count == 1 && r.warnings[0].contains("clustering column ck is text ASC in the schema but text DESC in the SSTable header"), "\(r.warnings)")
    }

    /// Partitions spread over two SSTables, one of them with a DESC header over rows written
    /// ASC: the merge follows the schema and gives the expected rows. The same partitions
    /// written DESC beside them are refused, naming that file.
    @Test func aPartitionAcrossFilesWrittenBothWays() throws {
        let asc = "CREATE TABLE ks.series (id int, at int, v text, PRIMARY KEY (id, at));"
        let (folder, schema, expected) = try writeTable(asc, version: "nb", rowsPerPartition: 2...8)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = try descriptors(folder)
        try HeaderRewriter.rewrite(files[1]) { slot, t in slot == .clustering(0) ? "\(marshal)ReversedType(\(t))" : t }
        let r = try reader(folder, schema)
        #expect(try rows(r) == expected)
        #expect(r.warnings.count == 1 && r.warnings[0].hasPrefix(files[1].path("Statistics.db")), "\(r.warnings)")

        // A third SSTable written DESC (rows and header) holding the same partitions.
        let (descFolder, _, _) = try writeTable(asc.replacingOccurrences(of: "));", with: ")) WITH CLUSTERING ORDER BY (at DESC);"), version: "nb", rowsPerPartition: 2...8)
        defer { try? FileManager.default.removeItem(atPath: descFolder) }
        let descFile = try descriptors(descFolder)[0]
        for name in try FileManager.default.contentsOfDirectory(atPath: descFolder) where name.hasPrefix("nb-1-") {
            try FileManager.default.copyItem(atPath: descFolder + "/" + name, toPath: folder + "/" + name.replacingOccurrences(of: "nb-1-", with: "nb-3-"))
        }
        #expect(descFile.generation == "1")
        #expect { try reader(folder, schema) } throws: { error in
            let text = "\(error)"
            return text.contains("nb-3-big-Data.db") && text.contains("clustering column at is int ASC in the schema but int DESC in the SSTable header")
        }
    }

    /// Past the rows checked before reading starts, the read itself checks each row: a file in
    /// the opposite order stops at its first partition of two rows, before that row is handed out.
    @Test func theReadChecksEveryRow() throws {
        let (folder, _, _) = try writeTable("CREATE TABLE ks.late (id int, at int, v text, PRIMARY KEY (id, at)) WITH CLUSTERING ORDER BY (at DESC);", version: "nb", rowsPerPartition: 2...4)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sstable = try #require(try SSTableDiscovery.tables(at: folder).first?.sstables.first.map { try SSTable($0.descriptor, components: $0.components) })
        let scanner = OrderCheckedScanner(try RowFormatScanner(sstable), types: [.int], difference: "clustering column at")
        var u = Unfiltered()
        var rows = 0
        #expect(throws: SSTableError.self) {
            while try scanner.nextPartition() {
                while try scanner.nextUnfiltered(into: &u) { rows += 1 }
            }
        }
        #expect(rows >= 1)
    }
}
