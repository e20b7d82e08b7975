import CQL
import Foundation
import SampleData
import TestSupport
import Testing

@testable import SSTable

/// Statistics.db's timestamps and max local deletion time, in every format version, against
/// what the SSTables hold: cqlite-py's WRITETIMEs (na, nb), the rows' write times read from
/// Data.db (every version), and the updates the generator wrote (nb, me).
@Suite struct StatisticsTimesTests {
    /// Each SSTable of every corpus table, read alone: its max timestamp is the largest write
    /// time of its rows (Data.db, read by our reader) — larger only where the table holds a later
    /// range tombstone — and its max local deletion time is Cassandra's "none": live cells
    /// without TTL.
    @Test(SharedCorpus.required, arguments: ConformanceTests.versions + ConformanceTests.legacyVersions)
    func corpusTimesMatchTheRows(version: String) throws {
        let schema = try CQLSchema.parse(try String(contentsOf: SharedCorpus.schema(version: version), encoding: .utf8))
        let withTombstones: Set<String> = ["legacy_mc_inaccurate_min_max", "legacy_ka_repeated_rt"]
        var checked = 0
        for folder in SharedCorpus.tables(version: version) {
            let name = folder.lastPathComponent
            guard let table = schema.table(keyspace: "legacy_tables", name: name) else { continue }
            for location in try SSTableDiscovery.tables(at: folder.path) {
                for one in location.sstables {
                    var alone = location
                    alone.sstables = [one]
                    let reader = try TableReader(location: alone, schema: table, now: 1_900_000_000)
                    var newest = Int64.min
                    try reader.forEachRow { row in newest = max(newest, row.writeTime ?? .min) }
                    #expect(newest != .min, "\(one.descriptor): no write times")
                    let stats = try #require(reader.sstables.first).statistics
                    let (lo, hi) = (try #require(stats.minTimestamp), try #require(stats.maxTimestamp))
                    #expect(lo <= hi, "\(one.descriptor)")
                    if withTombstones.contains(name) {
                        #expect(hi >= newest, "\(one.descriptor)")
                    } else {
                        #expect(hi == newest, "\(one.descriptor)")
                    }
                    #expect(stats.maxLocalDeletionTime == Statistics.noDeletionTime, "\(one.descriptor)")
                    checked += 1
                }
            }
        }
        #expect(checked >= 4)
    }

    /// na and nb `simple` and `clust` (`big`): min and max timestamp are cqlite-py's smallest
    /// and largest WRITETIME(val) (one INSERT per row: the row marker has the cell's time).
    @Test(SharedCorpus.required, CQLitePeer.required)
    func corpusTimesMatchCQLiteWritetimes() async throws {
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/SSTableTests/Fixtures/cqlite_writetimes.py").path
        for (version, table) in [("na", "simple"), ("na", "clust"), ("nb", "simple"), ("nb", "clust")] {
            let name = "legacy_\(version)_\(table)"
            let folder = SharedCorpus.root.appendingPathComponent("\(version)/legacy_tables/\(name)")
            let result = try await runProgram("python3", [script, folder.path, SharedCorpus.schema(version: version).path, "legacy_tables.\(name)", "val"])
            #expect(result.status == 0, "\(result.stderr)")
            let theirs = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Int64])
            for location in try SSTableDiscovery.tables(at: folder.path) {
                for (descriptor, components) in location.sstables where descriptor.version.format == "big" {
                    let stats = try SSTable(descriptor, components: components).statistics
                    #expect(stats.minTimestamp == theirs["min"], "\(descriptor)")
                    #expect(stats.maxTimestamp == theirs["max"], "\(descriptor)")
                }
            }
        }
    }

    /// Generated SSTables (nb and me, every profile: TTLs, tombstones, counters): each one's
    /// timestamps and max local deletion time are those of the updates written into it, by
    /// Cassandra's rules — a live cell or row marker without TTL counts as never deleted.
    @Test(arguments: ["iot", "users", "counters", "orders"], ["nb", "me"])
    func generatedTimesMatchTheUpdates(profile: String, version: String) throws {
        var rng = SampleRandom(seed: 3, stream: 1)
        let generator = try #require(Profile.named(profile)).generator(now: 1_750_000_000)
        let folder = try WriterSupport.temporaryFolder() + "/ks/\(profile)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let keys = SSTableWriter.sortKeys((0..<40).map { _ in generator.randomKey(&rng) })
        let stats = EncodingStats(minTimestamp: generator.baseTimestamp - 2_000_000_000, minLocalDeletionTime: generator.now - 40 * 86400)
        let writers = try (0..<3).map { try SSTableWriter(directory: folder, generation: $0 + 1, schema: generator.schema, options: .init(version: version), stats: stats) }
        var times = [[Int64]](repeating: [], count: 3), deletionTimes = [[Int64]](repeating: [], count: 3)
        for key in keys {
            for (k, u) in generator.partition(key: key, sstables: 3, &rng).enumerated() {
                guard let u else { continue }
                try writers[k].append(u)
                let (t, d) = Self.times(of: u)
                times[k] += t
                deletionTimes[k] += d
            }
        }
        for (k, w) in writers.enumerated() {
            guard w.partitionCount > 0 else {
                w.abandon()
                continue
            }
            let descriptor = try w.finish()
            let read = try SSTable(descriptor, components: Set(try FileManager.default.contentsOfDirectory(atPath: folder)
                .filter { $0.hasPrefix(descriptor.prefix + "-") }.map { String($0.dropFirst(descriptor.prefix.count + 1)) })).statistics
            #expect(read.minTimestamp == times[k].min(), "\(descriptor)")
            #expect(read.maxTimestamp == times[k].max(), "\(descriptor)")
            #expect(read.maxLocalDeletionTime == deletionTimes[k].max(), "\(descriptor)")
        }
    }

    /// Every write timestamp and local deletion time of an update: deletions (partition, range,
    /// row, collection), row markers and cells; `noDeletionTime` for what never expires.
    static func times(of u: PartitionUpdate) -> (timestamps: [Int64], deletionTimes: [Int64]) {
        var ts: [Int64] = [], ldt: [Int64] = []
        func deletion(_ d: DeletionTime) {
            guard !d.isLive else { return }
            ts.append(d.markedForDeleteAt)
            ldt.append(d.localDeletionTime)
        }
        deletion(u.deletion)
        for rt in u.rangeTombstones { deletion(rt.deletion) }
        for r in u.rows + (u.staticRow.map { [$0] } ?? []) {
            deletion(r.deletion)
            for (_, d) in r.complexDeletions { deletion(d) }
            if let l = r.liveness {
                ts.append(l.timestamp)
                ldt.append(l.isExpiring ? l.expiresAt : Statistics.noDeletionTime)
            }
            for c in r.cells {
                ts.append(c.timestamp)
                ldt.append(c.isTombstone || c.isExpiring ? c.localDeletionTime : Statistics.noDeletionTime)
            }
        }
        return (ts, ldt)
    }
}
