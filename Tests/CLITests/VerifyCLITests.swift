import Foundation
import TestSupport
import Testing

/// `dump --verify`: every SSTable checked whole — the Data.db Digest (which compressed reads do
/// not check), and Index.db, Summary.db and Filter.db against Data.db — with one line per
/// SSTable, and exit 1 on any problem.
struct VerifyCLITests {
    static let corpus = ConditionTrait.enabled(
        if: FileManager.default.fileExists(atPath: TestPaths.cassandra) || TestPaths.isCI, "needs ../shared/sstables/cassandra")

    /// Cassandra's own files verify, but for the 4.0 COMPACT STORAGE tables, whose Filter.db
    /// (in the pre-`na` bit order) holds none of their keys.
    @Test(corpus, arguments: ["jb", "ka", "la", "ma", "mb", "mc", "md", "me", "na", "nb"])
    func cassandrasFilesVerify(version: String) async throws {
        let binary = try TestPaths.binary()
        let root = TestPaths.cassandra + "/\(version)/legacy_tables"
        let tables = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        #expect(tables.count >= 4)
        // repeated_rt's file names name keyspace Keyspace1, which the schema file does not hold.
        for table in tables where table != "legacy_ka_repeated_rt" {
            let result = try await runProgram(binary, [
                "dump", root + "/" + table, "--schema", TestPaths.cassandra + "/expected/\(version)/schema.cql", "--table", "legacy_tables.\(table)",
                "--now", "1900000000", "--verify",
            ])
            let lines = result.stderr.split(separator: "\n")
            if version == "na" && table.hasSuffix("_compact") {
                let problems = lines.filter { $0.contains("error: ") && !$0.contains("--verify found") }
                #expect(result.status == 1 && problems.count == 1, "\(table): \(result.stderr)")
                #expect(problems.first?.hasSuffix("na-1-big-Filter.db: does not hold 5 of the 5 partition keys: it would hide them from point reads") == true)
                continue
            }
            #expect(result.status == 0, "\(table): \(result.stderr)")
            let sstables = try FileManager.default.contentsOfDirectory(atPath: root + "/" + table).filter { $0.hasSuffix("Data.db") }.count
            #expect(lines.filter { $0.hasPrefix("cass2dynamo: verified ") }.count == sstables, "\(table): \(result.stderr)")
            #expect(!result.text.isEmpty)
        }
    }

    @Test func damageOnlyAWholeCheckSeesIsFound() async throws {
        let dir = TempDir("verify")
        let binary = try TestPaths.binary()
        let generated = try await runProgram(binary, [
            "generate", "--profile", "orders", "--rows", "2000", "--sstables", "2", "--out", dir.path, "--now", "1750000000",
        ])
        #expect(generated.status == 0, "\(generated.stderr)")
        let dump = ["dump", dir.path, "--schema", dir.path + "/schema.cql", "--now", "1750000000"]
        let clean = try await runProgram(binary, dump + ["--verify"])
        #expect(clean.status == 0 && clean.stderr.split(separator: "\n").count == 2, "\(clean.stderr)")
        #expect(clean.stderr.contains("Digest.crc32, Index.db, Summary.db, Filter.db agree"), "\(clean.stderr)")
        let folder = try #require(FileManager.default.enumerator(atPath: dir.path)?.compactMap { $0 as? String }.first { $0.hasSuffix("nb-1-big-Data.db") })
        let prefix = dir.path + "/" + folder.dropLast("Data.db".count)

        // A Digest that does not match: a compressed read checks chunks, not the digest.
        let digest = try String(contentsOfFile: prefix + "Digest.crc32", encoding: .utf8)
        try "12345".write(toFile: prefix + "Digest.crc32", atomically: true, encoding: .utf8)
        let plain = try await runProgram(binary, dump)
        #expect(plain.status == 0 && plain.text == clean.text)
        let bad = try await runProgram(binary, dump + ["--verify"])
        #expect(bad.status == 1 && bad.stderr.contains("nb-1-big-Data.db: does not match Digest.crc32 (12345"), "\(bad.stderr)")
        #expect(bad.text == clean.text)
        try digest.write(toFile: prefix + "Digest.crc32", atomically: true, encoding: .utf8)

        // An Index.db whose last entry is damaged: reads that do not use it never notice.
        var index = try Data(contentsOf: URL(fileURLWithPath: prefix + "Index.db"))
        index[index.count - 2] ^= 0x5A
        try index.write(to: URL(fileURLWithPath: prefix + "Index.db"))
        let damaged = try await runProgram(binary, dump + ["--verify"])
        #expect(damaged.status == 1 && damaged.stderr.contains("nb-1-big-Index.db"), "\(damaged.stderr)")
        #expect(damaged.text == clean.text)

        let usage = try await runProgram(binary, dump + ["--verify", "--token-share", "1/2"])
        #expect(usage.status == 64 && usage.stderr.contains("--verify checks whole SSTables"), "\(usage.stderr)")
    }
}

extension VerifyCLITests {
    /// `inspect` counts the partitions that carry a row index and their blocks (5 and 65 in
    /// `legacy_nb_clust`, as a separate parser of Index.db counts them), and `--verify` checks
    /// every block against Data.db.
    @Test(corpus) func rowIndexesAreCountedAndVerified() async throws {
        let binary = try TestPaths.binary()
        let folder = TestPaths.cassandra + "/nb/legacy_tables/legacy_nb_clust"
        let schema = ["--schema", TestPaths.cassandra + "/expected/nb/schema.cql", "--table", "legacy_tables.legacy_nb_clust"]
        let inspect = try await runProgram(binary, ["inspect", folder] + schema)
        #expect(inspect.status == 0 && inspect.text.contains("; row index (Index.db): 5 wide partition(s), 65 blocks;"), "\(inspect.text)")
        let verify = try await runProgram(binary, ["dump", folder] + schema + ["--now", "1900000000", "--verify"])
        #expect(verify.status == 0 && verify.stderr.contains("Index.db, the row index of 5 wide partition(s) (65 blocks), Summary.db"), "\(verify.stderr)")
    }
}
