import CQL
import Foundation
import SampleData
import SSTable
import TestSupport
import Testing
@testable import Migration

/// The high-water marks a staging run records in its manifest, per table and token share:
/// against the updates the generator wrote, and against cqlite-py's WRITETIMEs of real SSTables.
@Suite struct ReadMarksTests {
    static let now: Int64 = 1_750_000_000

    /// iot (TTLs, deletions, stale writes) in 3 SSTables: the table's marks and each SSTable's are
    /// the largest timestamps and deletion times of the updates written there; a token share
    /// records the same files; the run's start is its `now`.
    @Test func generatedTableMarksAreThoseOfTheUpdates() throws {
        var rng = SampleRandom(seed: 9, stream: 2)
        let profile = Profile.iot
        let generator = try profile.generator(now: Self.now)
        let root = TestPaths.temporaryFolder("marks")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = root + "/iot/readings"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let stats = EncodingStats(minTimestamp: generator.baseTimestamp - 2_000_000_000, minLocalDeletionTime: generator.now - 40 * 86400)
        let writers = try (1...3).map { try SSTableWriter(directory: folder, generation: $0, schema: generator.schema, stats: stats) }
        var newest = [Int64](repeating: .min, count: 3), latestDeletion = [Int64](repeating: .min, count: 3), oldest = [Int64](repeating: .max, count: 3)
        var finiteDeletion = Int64.min
        for key in SSTableWriter.sortKeys((0..<6).map { _ in generator.randomKey(&rng) }) {
            for (k, u) in generator.partition(key: key, sstables: 3, &rng).enumerated() {
                guard let u else { continue }
                try writers[k].append(u)
                for (ts, ldt) in Self.times(of: u) {
                    newest[k] = max(newest[k], ts)
                    oldest[k] = min(oldest[k], ts)
                    latestDeletion[k] = max(latestDeletion[k], ldt)
                    if ldt != Statistics.noDeletionTime { finiteDeletion = max(finiteDeletion, ldt) }
                }
            }
        }
        for w in writers { try w.finish() }
        #expect(finiteDeletion > Self.now - 40 * 86400, "no TTL or tombstone: the deletion times prove nothing")
        let schema = "CREATE KEYSPACE iot WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};\n" + profile.cql
        for share in [nil, TokenRange(share: "2/3")] {
            let staging = TestPaths.temporaryFolder("marks-staging")
            defer { try? FileManager.default.removeItem(atPath: staging) }
            var options = ExtractOptions(sources: [folder], schemaText: schema, now: Self.now)
            options.tokenRange = share
            let manifest = try Extractor(options: options).run(staging: staging)
            let marks = try #require(manifest.tables.first?.marks)
            #expect(marks.started == Self.now)
            #expect(marks.maxTimestamp == newest.max())
            #expect(marks.maxLocalDeletionTime == latestDeletion.max())
            #expect(marks.sstables.map(\.file) == (1...3).map { "\(folder)/nb-\($0)-big-Data.db" })
            #expect(marks.sstables.map(\.maxTimestamp) == newest)
            #expect(marks.sstables.map(\.minTimestamp) == oldest)
            #expect(marks.sstables.map(\.maxLocalDeletionTime) == latestDeletion)
            // What the manifest file holds is what the run returned.
            #expect(try Manifest.load(staging: staging).tables.first?.marks == marks)
        }
    }

    /// Real na and nb SSTables (Cassandra 4.0, 4.1; `clust` has keys too long for DynamoDB): the
    /// marks are cqlite-py's largest WRITETIME(val).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.cassandra) || TestPaths.isCI, "needs ../shared/sstables/cassandra"),
          CQLitePeer.required)
    func corpusTableMarksAreCQLiteWritetimes() async throws {
        for version in ["na", "nb"] { try await Self.expectCQLiteMarks(version) }
    }

    static func expectCQLiteMarks(_ version: String) async throws {
        let table = "legacy_\(version)_simple"
        let folder = TestPaths.cassandra + "/\(version)/legacy_tables/" + table
        let schemaFile = TestPaths.cassandra + "/expected/\(version)/schema.cql"
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/SSTableTests/Fixtures/cqlite_writetimes.py").path
        let result = try await runProgram("python3", [script, folder, schemaFile, "legacy_tables.\(table)", "val"])
        #expect(result.status == 0, "\(result.stderr)")
        let theirs = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Int64])
        let staging = TestPaths.temporaryFolder("marks-corpus")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let options = ExtractOptions(sources: [folder], schemaText: try String(contentsOfFile: schemaFile, encoding: .utf8), now: Self.now)
        let marks = try #require(try Extractor(options: options).run(staging: staging).tables.first?.marks)
        #expect(marks.maxTimestamp == theirs["max"])
        // na holds the rows twice (big, and an older bti copy): the big file's are the newest.
        #expect(marks.sstables.contains { $0.minTimestamp == theirs["min"] && $0.maxTimestamp == theirs["max"] })
        // Live cells without TTL: nothing in the file is ever deleted.
        #expect(marks.maxLocalDeletionTime == Statistics.noDeletionTime)
    }

    /// A manifest written before marks existed (the same JSON without them) reads with none
    /// and otherwise the same.
    @Test func manifestWithoutMarksStillReads() throws {
        let staging = TestPaths.temporaryFolder("marks-old")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let schema = try String(contentsOfFile: TestPaths.samples + "/shop.cql", encoding: .utf8)
        let manifest = try Extractor(options: ExtractOptions(sources: [TestPaths.samples + "/shop"], schemaText: schema, now: Self.now)).run(staging: staging)
        #expect(manifest.tables.allSatisfy { $0.marks != nil })
        var json = try #require(try JSONSerialization.jsonObject(with: Data(try manifest.encoded())) as? [String: Any])
        json["tables"] = (json["tables"] as? [[String: Any]])?.map { $0.filter { $0.key != "marks" } }
        let old = try Manifest.decode(bytes: Array(try JSONSerialization.data(withJSONObject: json)), name: "old")
        var expected = manifest
        for i in expected.tables.indices { expected.tables[i].marks = nil }
        #expect(old == expected)
    }

    /// Every write timestamp and local deletion time of an update, as Cassandra's
    /// MetadataCollector counts them: a live cell or row marker without TTL never expires.
    static func times(of u: PartitionUpdate) -> [(Int64, Int64)] {
        var out: [(Int64, Int64)] = []
        func deletion(_ d: DeletionTime) { if !d.isLive { out.append((d.markedForDeleteAt, d.localDeletionTime)) } }
        deletion(u.deletion)
        for rt in u.rangeTombstones { deletion(rt.deletion) }
        for r in u.rows + (u.staticRow.map { [$0] } ?? []) {
            deletion(r.deletion)
            for (_, d) in r.complexDeletions { deletion(d) }
            if let l = r.liveness { out.append((l.timestamp, l.isExpiring ? l.expiresAt : Statistics.noDeletionTime)) }
            for c in r.cells { out.append((c.timestamp, c.isTombstone || c.isExpiring ? c.localDeletionTime : Statistics.noDeletionTime)) }
        }
        return out
    }
}
