import CQL
import Foundation
import TestSupport
import Testing

@testable import SSTable

/// A schema given (`--schema`) or found (`schema.cql` beside the files) is matched to SSTables in
/// any folder: by `--table`, by table id, by name, or as the only table it defines; anything
/// ambiguous or contradictory is an error naming the tables, never a schema silently ignored.
@Suite(SharedCorpus.required)
struct SchemaMatchTests {
    static let clust = "CREATE TABLE legacy_tables.legacy_nb_clust (pk text, ck text, val text, PRIMARY KEY (pk, ck))"
    static let simple = "CREATE TABLE legacy_tables.legacy_nb_simple (pk text PRIMARY KEY, val text)"

    /// Copies `<version>/legacy_tables/<table>` of the corpus into `folder` (relative to a new temp dir).
    static func copy(_ version: String, _ table: String, to folder: String) throws -> (TempDir, String) {
        let dir = TempDir()
        return (dir, try dir.copy(filesOf: SharedCorpus.root.appendingPathComponent("\(version)/legacy_tables/\(table)").path, to: folder))
    }

    /// The rows of every table under `path` as the resolver matches them, and their names.
    static func dump(_ path: String, schema: String?, table: String? = nil) throws -> (names: [String], rows: [Any]) {
        let resolver = SchemaResolver(file: try schema.map { try CQLSchema.parse($0) }, fileName: "t.cql", table: table, now: 1_900_000_000)
        var names: [String] = []
        var out: [UInt8] = []
        for found in try SSTableDiscovery.tables(at: path) {
            let (location, schema) = try resolver.resolve(found)
            names.append(location.qualifiedName)
            try TableReader(location: location, schema: schema, now: 1_900_000_000).forEachRow { try $0.appendJSONLine(to: &out) }
        }
        return (names, try parseJSONLines(Data(out)))
    }

    static func expectExpectedRows(_ rows: [Any], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try parseJSONLines(Data(contentsOf: SharedCorpus.expected(version: "nb", table: "legacy_nb_clust")))
        #expect(rows.count == expected.count && !rows.isEmpty, sourceLocation: sourceLocation)
        #expect(zip(expected, rows).allSatisfy { jsonMatches(expected: $0, actual: $1) }, sourceLocation: sourceLocation)
    }

    @Test func aSnapshotCopiedElsewhereUsesItsSchemaCQL() throws {
        let (dir, folder) = try Self.copy("nb", "legacy_nb_clust", to: "backups/mysnap")
        try (Self.clust + ";\n").write(toFile: folder + "/schema.cql", atomically: true, encoding: .utf8)
        let (names, rows) = try Self.dump(folder, schema: nil)
        #expect(names == ["legacy_tables.legacy_nb_clust"])
        try Self.expectExpectedRows(rows)
        withExtendedLifetime(dir) {}
    }

    @Test func aSchemaOfOneTableIsUsedForAnyFolder() throws {
        let (dir, folder) = try Self.copy("nb", "legacy_nb_clust", to: "restore/files")
        let (names, rows) = try Self.dump(folder, schema: Self.clust + ";")
        #expect(names == ["legacy_tables.legacy_nb_clust"])
        try Self.expectExpectedRows(rows)
        withExtendedLifetime(dir) {}
    }

    @Test func severalTablesNeedTableAndSayWhich() throws {
        let (dir, folder) = try Self.copy("nb", "legacy_nb_clust", to: "restore/files")
        let two = Self.simple + ";\n" + Self.clust + ";"
        #expect { try Self.dump(folder, schema: two) } throws: { error in
            let text = "\(error)"
            return text.contains("legacy_tables.legacy_nb_simple, legacy_tables.legacy_nb_clust") && text.contains("pass --table")
        }
        try Self.expectExpectedRows(try Self.dump(folder, schema: two, table: "legacy_tables.legacy_nb_clust").rows)
        #expect { try Self.dump(folder, schema: two, table: "legacy_tables.nope") } throws: { "\($0)".contains("--table legacy_tables.nope is not defined here") }
        withExtendedLifetime(dir) {}
    }

    @Test func tableIDsMatchAndContradict() throws {
        let id = "5a1c395e-b41f-11e5-9f22-ba0be0483c18"
        let folderID = id.replacingOccurrences(of: "-", with: "")
        // Another name, the same id: the id decides.
        let (dir, renamed) = try Self.copy("nb", "legacy_nb_clust", to: "legacy_tables/renamed-\(folderID)")
        let withID = Self.simple + ";\n" + Self.clust + " WITH ID = \(id);"
        let (names, rows) = try Self.dump(renamed, schema: withID)
        #expect(names == ["legacy_tables.legacy_nb_clust"])
        try Self.expectExpectedRows(rows)
        // The same name, another id: an error naming both.
        let (dir2, other) = try Self.copy("nb", "legacy_nb_clust", to: "legacy_tables/legacy_nb_clust-00000000000000000000000000000001")
        #expect { try Self.dump(other, schema: withID) } throws: { error in
            "\(error)".contains("table id 00000000000000000000000000000001, but legacy_tables.legacy_nb_clust in t.cql has WITH ID \(folderID)")
        }
        withExtendedLifetime((dir, dir2)) {}
    }

    @Test func aTableFolderOfAnotherNameIsNotTakenForTheOnlyTable() throws {
        let (dir, folder) = try Self.copy("nb", "legacy_nb_clust", to: "legacy_tables/other-0123456789abcdef0123456789abcdef")
        #expect { try Self.dump(folder, schema: Self.clust + ";") } throws: { "\($0)".contains("none for the SSTables of legacy_tables.other") }
        try Self.expectExpectedRows(try Self.dump(folder, schema: Self.clust + ";", table: "legacy_tables.legacy_nb_clust").rows)
        withExtendedLifetime(dir) {}
    }

    @Test func legacyFileNamesKeepNamingTheirTable() throws {
        let (dir, folder) = try Self.copy("ka", "legacy_ka_clust", to: "anywhere")
        let schema = try String(contentsOf: SharedCorpus.schema(version: "ka"), encoding: .utf8)
        #expect(try Self.dump(folder, schema: schema).names == ["legacy_tables.legacy_ka_clust"])
        #expect { try Self.dump(folder, schema: schema, table: "legacy_tables.legacy_ka_simple") } throws: { error in
            "\(error)".contains("is an SSTable of legacy_tables.legacy_ka_clust by its file name, not of --table legacy_tables.legacy_ka_simple")
        }
        withExtendedLifetime(dir) {}
    }
}
