import Foundation
import TestSupport
import Testing

/// cassandra-medusa backups in moto's S3: the backup's files are the ones its manifests list
/// (an older SSTable left in a differential data folder is not read), differential and full
/// nodes alike, and several nodes holding one table are replicas merged into one read.
@Suite(.enabled(if: MotoServer.shouldRun, "needs moto_server and boto3"), .serialized)
struct MedusaLayoutTests {
    static let medusa = MedusaFixture(bucket: "backups", prefix: "medusa/prod")
    static let nb = "\(S3Fixture.corpus)/nb/legacy_tables"
    static let schema = ["--schema", "\(S3Fixture.corpus)/expected/nb/schema.cql"]

    /// nb's clust and clust_counter tables, whole, as medusa backs them up.
    static func corpusTables() throws -> [MedusaFixture.Table] {
        try ["legacy_nb_clust", "legacy_nb_clust_counter"].map { name in
            MedusaFixture.Table(folder: name + "-5f1c4e2a9b3d4c6e8f7a1b2c3d4e5f60", source: "\(nb)/\(name)", files: try S3Fixture.files(in: "\(nb)/\(name)"))
        }
    }

    @Test func backupOfTwoNodesReadsAsTheirMergedReplicas() async throws {
        try await MotoServer.with { moto in
            let tables = try Self.corpusTables()
            let nodes = [MedusaFixture.Node(fqdn: "cass-1.dc1.example.com", differential: true, tables: tables),
                         MedusaFixture.Node(fqdn: "cass-2.dc1.example.com", differential: false, tables: tables)]
            try await Self.medusa.upload(moto, backup: "nightly-1", nodes: nodes)
            // An SSTable of an older backup in node 1's differential data folder, not in this
            // backup's manifest: the simple table's files, which the clust schema cannot read.
            let decoy = "\(Self.nb)/legacy_nb_simple"
            try await S3Fixture.upload(moto, bucket: "backups", try S3Fixture.files(in: decoy).map {
                (decoy + "/" + $0, Self.medusa.dataFolder(nodes[0], backup: "nightly-1", tables[0]) + "/" + $0.replacingOccurrences(of: "nb-1-", with: "nb-9-"))
            })
            var expected = Data()
            for table in ["legacy_nb_clust", "legacy_nb_clust_counter"] {
                expected += try await S3Fixture.localDump(["\(Self.nb)/\(table)"] + Self.schema).stdout
            }
            #expect(!expected.isEmpty)
            for url in ["s3://backups/medusa/prod", "s3://backups/medusa/prod/"] {
                let read = try await S3Fixture.dump(moto, [url, "--snapshot", "nightly-1"] + Self.schema)
                try #require(read.status == 0, "\(url): \(read.stderr)")
                #expect(read.stdout == expected, "\(url)")
            }
            // One node's backup folder, differential and full.
            for node in nodes {
                let read = try await S3Fixture.dump(moto, ["s3://backups/medusa/prod/\(node.fqdn)/nightly-1"] + Self.schema)
                try #require(read.status == 0, "\(node.fqdn): \(read.stderr)")
                #expect(read.stdout == expected, "\(node.fqdn)")
            }
            let unnamed = try await S3Fixture.dump(moto, ["s3://backups/medusa/prod"] + Self.schema)
            #expect(unnamed.status == 1)
            #expect(unnamed.stderr == "cass2dynamo: error: s3://backups/medusa/prod: holds cassandra-medusa backups (nightly-1): name one with --snapshot NAME\n", "\(unnamed.stderr)")
        }
    }

    /// A generated table of two SSTables, one on each of two nodes: the backup's rows are the
    /// generator's expected rows, as the local folder holding both SSTables gives them.
    @Test func nodesHoldingDifferentSSTablesMerge() async throws {
        let generated = TempDir("medusa-gen")
        let made = try await runProgram(try TestPaths.binary(), ["generate", "--profile", "iot", "--rows", "3000", "--sstables", "2",
                                                                 "--out", generated.path, "--now", "1750000000"])
        try #require(made.status == 0, "\(made.stderr)")
        let folder = try #require(try FileManager.default.contentsOfDirectory(atPath: generated.path + "/iot").first)
        let local = generated.path + "/iot/" + folder
        let files = try S3Fixture.files(in: local)
        let generations = Set(files.compactMap { $0.split(separator: "-").dropFirst().first.map(String.init) }).sorted()
        try #require(generations.count == 2, "\(files)")
        try await MotoServer.with { moto in
            let nodes = generations.enumerated().map { i, generation in
                MedusaFixture.Node(fqdn: "node\(i + 1).example.com", differential: i == 0, tables: [
                    MedusaFixture.Table(keyspace: "iot", folder: folder, source: local, files: files.filter { $0.hasPrefix("nb-\(generation)-") })])
            }
            try await Self.medusa.upload(moto, backup: "weekly", nodes: nodes)
            let arguments = ["--schema", generated.path + "/schema.cql", "--now", "1750000000"]
            let read = try await S3Fixture.dump(moto, ["s3://backups/medusa/prod", "--snapshot", "weekly"] + arguments)
            try #require(read.status == 0, "\(read.stderr)")
            #expect(read.stdout == (try await S3Fixture.localDump([local] + arguments)).stdout)
            #expect(try await S3Fixture.compareWithExpected(read.stdout, expected: generated.path + "/expected/iot.readings.jsonl") == "ok")
            let one = try await S3Fixture.dump(moto, ["s3://backups/medusa/prod/node1.example.com/weekly"] + arguments)
            try #require(one.status == 0, "\(one.stderr)")
            #expect(one.stdout.count < read.stdout.count)
        }
    }
}
