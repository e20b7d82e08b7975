import Foundation
import TestSupport
import Testing

/// What a broken source in S3 gives: exit 1 and one line naming the object or manifest and what
/// to do, before any row is printed.
@Suite(.enabled(if: MotoServer.shouldRun, "needs moto_server and boto3"), .serialized)
struct S3SourceErrorTests {
    static let clust = "\(S3Fixture.corpus)/nb/legacy_tables/legacy_nb_clust"
    static let schema = ["--schema", "\(S3Fixture.corpus)/expected/nb/schema.cql"]

    /// Runs dump and checks it failed with exactly one line holding `needle`.
    static func fails(_ moto: MotoServer, _ arguments: [String], _ needle: String) async throws {
        let read = try await S3Fixture.dump(moto, arguments + schema)
        #expect(read.status == 1, "\(arguments)")
        #expect(read.stdout.isEmpty, "\(arguments)")
        #expect(read.stderr.hasPrefix("cass2dynamo: ") && read.stderr.filter { $0 == "\n" }.count == 1, "\(read.stderr)")
        #expect(read.stderr.contains(needle), "\(read.stderr) lacks \(needle)")
    }

    @Test func brokenMedusaBackups() async throws {
        try await MotoServer.with { moto in
            let medusa = MedusaFixture(bucket: "broken", prefix: "m")
            let files = try S3Fixture.files(in: Self.clust)
            let table = MedusaFixture.Table(folder: "legacy_nb_clust-00000000000000000000000000000001", source: Self.clust, files: files)
            let node = MedusaFixture.Node(fqdn: "n1", differential: false, tables: [table])
            let data = "s3://broken/" + medusa.dataFolder(node, backup: "lost", table)
            var lost = node
            lost.tables[0].files.append("nb-5-big-Data.db")
            lost.tables[0].sizes["nb-5-big-Data.db"] = 10
            try await medusa.upload(moto, backup: "lost", nodes: [lost])
            try await Self.fails(moto, ["s3://broken/m", "--snapshot", "lost"],
                                 "\(data)/nb-5-big-Data.db: missing, but s3://broken/m/n1/lost/meta/manifest.json lists it")

            try await medusa.upload(moto, backup: "garbled", nodes: [node], manifest: ["n1": "{\"keyspace\": "])
            try await Self.fails(moto, ["s3://broken/m", "--snapshot", "garbled"], "s3://broken/m/n1/garbled/meta/manifest.json: not JSON")
            try await medusa.upload(moto, backup: "shape", nodes: [node], manifest: ["n1": "{\"keyspace\": \"legacy_tables\"}"])
            try await Self.fails(moto, ["s3://broken/m", "--snapshot", "shape"], "s3://broken/m/n1/shape/meta/manifest.json: not a medusa manifest")

            let size = try FileManager.default.attributesOfItem(atPath: Self.clust + "/nb-1-big-Data.db")[.size] as! Int
            var cut = node
            cut.tables[0].sizes["nb-1-big-Data.db"] = size + 100
            try await medusa.upload(moto, backup: "cut", nodes: [cut])
            try await Self.fails(moto, ["s3://broken/m", "--snapshot", "cut"],
                                 "s3://broken/m/n1/cut/data/legacy_tables/legacy_nb_clust-00000000000000000000000000000001/nb-1-big-Data.db: \(size) bytes, but s3://broken/m/n1/cut/meta/manifest.json says \(size + 100)")
            try await Self.fails(moto, ["s3://broken/m", "--snapshot", "nope"], "s3://broken/m: no medusa backup named 'nope'")
        }
    }

    @Test func brokenPlainCopies() async throws {
        try await MotoServer.with { moto in
            // Data.db cut short (its first half) beside intact components.
            let cut = TempDir("cut")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.clust + "/nb-1-big-Data.db"))
            try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut.path + "/nb-1-big-Data.db"))
            try await S3Fixture.upload(moto, bucket: "plain", try S3Fixture.files(in: Self.clust).map { name in
                (name == "nb-1-big-Data.db" ? cut.path + "/" + name : Self.clust + "/" + name, "t/legacy_nb_clust/" + name)
            })
            try await Self.fails(moto, ["s3://plain/t/legacy_nb_clust"], "s3://plain/t/legacy_nb_clust/nb-1-big-Data.db")
            try await Self.fails(moto, ["s3://plain/nothing/here"], "s3://plain/nothing/here: no objects under this URL")
            try await Self.fails(moto, ["s3://no-such-bucket/x"], "s3://no-such-bucket/x: cannot list s3://no-such-bucket/x/")
        }
    }
}
