import Foundation
import TestSupport
import Testing

/// `--table` reaches the schema matching of `dump`: a folder that names no table, read with a
/// schema of several tables, needs it, and the error says so in one line.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.cassandra) || TestPaths.isCI, "needs ../shared/sstables/cassandra"))
struct SchemaMatchCLITests {
    @Test func dumpBindsAFolderToTheTableGiven() async throws {
        let dir = TempDir()
        let folder = try dir.copy(filesOf: TestPaths.cassandra + "/nb/legacy_tables/legacy_nb_simple", to: "restore/files")
        let schema = dir.path + "/t.cql"
        try """
            CREATE TABLE legacy_tables.legacy_nb_simple (pk text PRIMARY KEY, val text);
            CREATE TABLE legacy_tables.other (id int PRIMARY KEY);
            """.write(toFile: schema, atomically: true, encoding: .utf8)
        let refused = try await runProgram(try TestPaths.binary(), ["dump", folder, "--schema", schema])
        #expect(refused.status == 1)
        #expect(refused.stderr.split(separator: "\n").count == 1 && refused.stderr.contains("pass --table KEYSPACE.TABLE"), "\(refused.stderr)")
        let bound = try await runProgram(try TestPaths.binary(), ["dump", folder, "--schema", schema, "--table", "legacy_tables.legacy_nb_simple"])
        #expect(bound.status == 0, "\(bound.stderr)")
        let expected = try String(contentsOfFile: TestPaths.cassandra + "/expected/nb/legacy_nb_simple.jsonl", encoding: .utf8)
        #expect(bound.text.split(separator: "\n").count == expected.split(separator: "\n").count)
        #expect(bound.text.hasPrefix("{\"pk\":"))
        let malformed = try await runProgram(try TestPaths.binary(), ["dump", folder, "--table", "nodot"])
        #expect(malformed.status == 64 && malformed.stderr.contains("--table takes KEYSPACE.TABLE"), "\(malformed.stderr)")
    }
}
