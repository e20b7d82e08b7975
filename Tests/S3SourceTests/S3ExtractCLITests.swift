import Foundation
import TestSupport
import Testing

/// `extract --source s3://…` stages the same items as `extract` of the local folder: the same
/// parts (file, item count, SHA-256 of the bytes) for every table, with the S3 folders named as
/// the tables' sources; `migrate --source s3://…` of a medusa backup loads the corpus's rows.
@Suite(.enabled(if: MotoServer.shouldRun, "needs moto_server and boto3"), .serialized)
struct S3ExtractCLITests {
    static let nb = "\(S3Fixture.corpus)/nb/legacy_tables"

    /// Per table of a staging manifest: its source folders and each part's file, items and SHA-256.
    static func staged(_ staging: String) throws -> [String: (folders: [String], parts: [String])] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: staging + "/manifest.json"))) as? [String: Any]
        var out: [String: (folders: [String], parts: [String])] = [:]
        for table in json?["tables"] as? [[String: Any]] ?? [] {
            let parts = (table["parts"] as? [[String: Any]] ?? []).map { "\($0["file"] ?? "") \($0["items"] ?? "") \($0["sha256"] ?? "")" }
            out[table["source"] as? String ?? ""] = (table["sourceDirectories"] as? [String] ?? [], parts)
        }
        return out
    }

    @Test func extractFromS3StagesWhatTheLocalFolderGives() async throws {
        try await MotoServer.with { moto in
            var files: [(path: String, key: String)] = []
            for table in ["legacy_nb_simple", "legacy_nb_simple_counter"] {
                files += try S3Fixture.tree("\(Self.nb)/\(table)", under: "copy/legacy_tables/\(table)")
            }
            try await S3Fixture.upload(moto, bucket: "src", files)
            let arguments = ["--schema", "\(S3Fixture.corpus)/expected/nb/schema.cql", "--now", "1750000000", "--progress", "none"]
            let local = TempDir("extract-local"), remote = TempDir("extract-s3")
            let localRun = try await runProgram(try TestPaths.binary(), ["extract", "--source", "\(Self.nb)/legacy_nb_simple", "\(Self.nb)/legacy_nb_simple_counter",
                                                                         "--staging", local.path] + arguments)
            try #require(localRun.status == 0, "\(localRun.stderr)")
            let remoteRun = try await runProgram(try TestPaths.binary(), ["extract", "--source", "s3://src/copy/legacy_tables", "--staging", remote.path,
                                                                          "--endpoint-url", moto.url] + arguments, environment: S3Fixture.environment)
            try #require(remoteRun.status == 0, "\(remoteRun.stderr)")
            let expected = try Self.staged(local.path), actual = try Self.staged(remote.path)
            #expect(expected.count == 2)
            #expect(Set(actual.keys) == Set(expected.keys))
            for (source, table) in expected {
                #expect(!table.parts.isEmpty)
                #expect(actual[source]?.parts == table.parts, "\(source)")
                #expect(actual[source]?.folders == ["s3://src/copy/legacy_tables/" + source.split(separator: ".").last!], "\(source)")
            }
        }
    }

    @Test func migrateFromAMedusaBackup() async throws {
        try await MotoServer.with { moto in
            let table = MedusaFixture.Table(folder: "legacy_nb_simple-00000000000000000000000000000007", source: "\(Self.nb)/legacy_nb_simple",
                                            files: try S3Fixture.files(in: "\(Self.nb)/legacy_nb_simple"))
            try await MedusaFixture(bucket: "src", prefix: "medusa").upload(moto, backup: "b1", nodes: [
                MedusaFixture.Node(fqdn: "n1", differential: true, tables: [table]), MedusaFixture.Node(fqdn: "n2", differential: false, tables: [table]),
            ])
            let staging = TempDir("migrate-s3")
            let run = try await runProgram(try TestPaths.binary(), [
                "migrate", "--source", "s3://src/medusa", "--snapshot", "b1", "--schema", "\(S3Fixture.corpus)/expected/nb/schema.cql",
                "--staging", staging.path, "--s3", "s3://stage/run", "--mode", "batch", "--create-bucket", "--yes", "--now", "1750000000",
                "--endpoint-url", moto.url, "--progress", "none",
            ], environment: S3Fixture.environment)
            try #require(run.status == 0, "\(run.stderr)")
            #expect(try await moto.checkTable(table: "legacy_nb_simple", keys: ["pk"], timestamps: [],
                                              expectedFile: "\(S3Fixture.corpus)/expected/nb/legacy_nb_simple.jsonl") == "OK 5")
        }
    }
}
