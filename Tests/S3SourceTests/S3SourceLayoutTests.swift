import Foundation
import TestSupport
import Testing

/// `dump s3://…` of shared-corpus tables uploaded to moto as plain copies and snapshots: the
/// rows equal the corpus's expected rows (check_dump.py's comparison) and the local dump of the
/// same folder, byte for byte.
@Suite(.enabled(if: MotoServer.shouldRun, "needs moto_server and boto3"), .serialized)
struct S3SourceLayoutTests {
    static let versions = ["ka", "mc", "na", "nb"]

    static func tables(_ version: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "\(S3Fixture.corpus)/\(version)/legacy_tables").sorted()
    }

    static func schema(_ version: String) -> [String] { ["--schema", "\(S3Fixture.corpus)/expected/\(version)/schema.cql"] }

    @Test func plainCopiesReadAsLocalFolders() async throws {
        try await MotoServer.with { moto in
            var files: [(path: String, key: String)] = []
            for version in Self.versions {
                for table in try Self.tables(version) {
                    files += try S3Fixture.tree("\(S3Fixture.corpus)/\(version)/legacy_tables/\(table)", under: "copy/\(version)/legacy_tables/\(table)")
                }
            }
            try await S3Fixture.upload(moto, bucket: "corpus", files)
            var checked = 0
            for version in Self.versions {
                for table in try Self.tables(version) {
                    let remote = try await S3Fixture.dump(moto, ["s3://corpus/copy/\(version)/legacy_tables/\(table)"] + Self.schema(version))
                    try #require(remote.status == 0, "\(version)/\(table): \(remote.stderr)")
                    let local = try await S3Fixture.localDump(["\(S3Fixture.corpus)/\(version)/legacy_tables/\(table)"] + Self.schema(version))
                    #expect(remote.stdout == local.stdout, "\(version)/\(table)")
                    let expected = "\(S3Fixture.corpus)/expected/\(version)/\(table).jsonl"
                    // Two ka tables have facts, not rows (the corpus README): the local dump is the truth there.
                    guard FileManager.default.fileExists(atPath: expected) else { continue }
                    #expect(try await S3Fixture.compareWithExpected(remote.stdout, expected: expected) == "ok", "\(version)/\(table)")
                    checked += 1
                }
            }
            #expect(checked >= 30)
            // A keyspace folder (every table, one after the other) and one Data.db.
            let keyspace = try await S3Fixture.dump(moto, ["s3://corpus/copy/nb/legacy_tables/"] + Self.schema("nb"))
            try #require(keyspace.status == 0, "\(keyspace.stderr)")
            #expect(keyspace.stdout == (try await S3Fixture.localDump(["\(S3Fixture.corpus)/nb/legacy_tables"] + Self.schema("nb"))).stdout)
            let data = "nb/legacy_tables/legacy_nb_clust/nb-1-big-Data.db"
            let one = try await S3Fixture.dump(moto, ["s3://corpus/copy/\(data)"] + Self.schema("nb"))
            try #require(one.status == 0, "\(one.stderr)")
            #expect(one.stdout == (try await S3Fixture.localDump(["\(S3Fixture.corpus)/\(data)"] + Self.schema("nb"))).stdout)
            #expect(!one.stdout.isEmpty)
        }
    }

    /// A data directory copied with a snapshot: `--snapshot NAME` reads `snapshots/NAME/`, never
    /// the live SSTables beside it (here another version's table, whose random values differ).
    @Test func snapshotsOfADataDirectory() async throws {
        try await MotoServer.with { moto in
            let folder = "node/data/legacy_tables/legacy_nb_clust-0123456789abcdef0123456789abcdef"
            let live = "\(S3Fixture.corpus)/na/legacy_tables/legacy_na_clust"
            let snapshot = "\(S3Fixture.corpus)/nb/legacy_tables/legacy_nb_clust"
            try await S3Fixture.upload(moto, bucket: "snaps", try S3Fixture.tree(snapshot, under: folder + "/snapshots/before-move")
                + S3Fixture.files(in: live).filter { $0.contains("-big-") }.map { (live + "/" + $0, folder + "/" + $0) })
            let expected = try await S3Fixture.localDump([snapshot] + Self.schema("nb"))
            for url in ["s3://snaps/node/data", "s3://snaps/\(folder)"] {
                let read = try await S3Fixture.dump(moto, [url, "--snapshot", "before-move"] + Self.schema("nb"))
                try #require(read.status == 0, "\(url): \(read.stderr)")
                #expect(read.stdout == expected.stdout, "\(url)")
            }
            let liveRead = try await S3Fixture.dump(moto, ["s3://snaps/node/data"] + Self.schema("nb"))
            try #require(liveRead.status == 0, "\(liveRead.stderr)")
            #expect(liveRead.stdout == (try await S3Fixture.localDump([live] + Self.schema("na"))).stdout)
            #expect(liveRead.stdout != expected.stdout)
            let missing = try await S3Fixture.dump(moto, ["s3://snaps/node/data", "--snapshot", "nope"] + Self.schema("nb"))
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("s3://snaps/node/data: no snapshot named 'nope'"), "\(missing.stderr)")
        }
    }
}
