import CQL
import Foundation
import Testing

@testable import SSTable
@testable import SampleData

/// The generator's compaction against Cassandra's rules, case by case, with expectations worked
/// out by hand: gc_grace_seconds (10 days) and the other SSTables' minimum timestamp decide what
/// tombstones go; expired TTL cells become tombstones; shadowed data goes; overlapping range
/// tombstones are cut into the largest deletion of each stretch, written with a boundary marker.
@Suite struct CompactionTests {
    static let now: Int64 = 1_750_000_000
    static let day: Int64 = 86400
    static let schema = try! CQLSchema.parse("CREATE TABLE ks.t (p int, c int, v text, m map<text, int>, PRIMARY KEY (p, c));").tables[0]
    static let key: [UInt8] = [0, 0, 0, 1]
    static let compaction = Compaction(schema: schema, now: now)

    static func c(_ i: Int) -> [[UInt8]?] { [[0, 0, 0, UInt8(i)]] }
    /// Seconds `days` before now, and a timestamp (µs) then.
    static func ago(_ days: Int64) -> Int64 { now - days * day }
    static func at(_ days: Int64) -> Int64 { ago(days) * 1_000_000 }
    static func deletion(_ days: Int64) -> DeletionTime { DeletionTime(markedForDeleteAt: at(days), localDeletionTime: ago(days)) }

    /// A row tombstone past gc_grace goes when no other SSTable holding the key has older data;
    /// one within gc_grace, or newer than such data, stays.
    @Test func tombstonesGoOnlyWhenPurgeable() throws {
        let old = PartitionUpdate(key: Self.key, rows: [RowUpdate(clustering: Self.c(1), deletion: Self.deletion(20))])
        #expect(Self.compaction.compact([old], maxPurgeable: .max) == nil)
        let kept = try #require(Self.compaction.compact([old], maxPurgeable: Self.at(20)), "data elsewhere as old may still need it")
        #expect(kept.rows.first?.deletion == Self.deletion(20))
        #expect(Self.compaction.compact([old], maxPurgeable: Self.at(20) + 1) == nil, "data elsewhere all newer: it may go")
        let recent = PartitionUpdate(key: Self.key, rows: [RowUpdate(clustering: Self.c(1), deletion: Self.deletion(5))])
        #expect(try #require(Self.compaction.compact([recent], maxPurgeable: .max)).rows.first?.deletion == Self.deletion(5))
    }

    /// Expired TTL cells: one whose expiry is past gc_grace goes; one expired within gc_grace
    /// becomes a tombstone dated at its write, which goes if that is past gc_grace.
    @Test func expiredCellsBecomeTombstones() throws {
        func cell(writtenDaysAgo days: Int64, ttlDays: Int64) -> PartitionUpdate {
            PartitionUpdate(key: Self.key, rows: [RowUpdate(clustering: Self.c(1), cells: [
                CellUpdate(column: 0, value: Array("x".utf8), timestamp: Self.at(days), ttl: Int32(ttlDays * Self.day), expiresAt: Self.ago(days) + ttlDays * Self.day)])])
        }
        #expect(Self.compaction.compact([cell(writtenDaysAgo: 20, ttlDays: 5)], maxPurgeable: .max) == nil, "expired 15 days ago")
        #expect(Self.compaction.compact([cell(writtenDaysAgo: 15, ttlDays: 10)], maxPurgeable: .max) == nil, "expired 5 days ago, written 15 days ago")
        let tombstone = try #require(Self.compaction.compact([cell(writtenDaysAgo: 7, ttlDays: 2)], maxPurgeable: .max)?.rows.first?.cells.first)
        #expect(tombstone.isTombstone && tombstone.timestamp == Self.at(7) && tombstone.localDeletionTime == Self.ago(7))
        let live = try #require(Self.compaction.compact([cell(writtenDaysAgo: 7, ttlDays: 30)], maxPurgeable: .max)?.rows.first?.cells.first)
        #expect(!live.isTombstone && live.isExpiring)
    }

    /// Data a newer deletion shadows goes even where the deletion stays; newer data stays; the
    /// newest version of a cell wins; a collection deletion takes the elements written before it.
    @Test func shadowedDataGoes() throws {
        let older = PartitionUpdate(key: Self.key, rows: [
            RowUpdate(clustering: Self.c(1), liveness: RowLiveness(timestamp: Self.at(3)), cells: [CellUpdate(column: 0, value: Array("a".utf8), timestamp: Self.at(3))]),
            RowUpdate(clustering: Self.c(2), cells: [
                CellUpdate(column: 0, value: Array("b".utf8), timestamp: Self.at(3)),
                CellUpdate(column: 1, path: Array("k".utf8), value: [0, 0, 0, 1], timestamp: Self.at(3)),
            ]),
        ])
        let newer = PartitionUpdate(key: Self.key, rows: [
            RowUpdate(clustering: Self.c(1), deletion: Self.deletion(2)),
            RowUpdate(clustering: Self.c(2), cells: [CellUpdate(column: 0, value: Array("B".utf8), timestamp: Self.at(1))], complexDeletions: [(1, Self.deletion(2))]),
        ])
        let out = try #require(Self.compaction.compact([older, newer], maxPurgeable: .max))
        #expect(out.rows.count == 2)
        #expect(out.rows[0].liveness == nil && out.rows[0].cells.isEmpty && out.rows[0].deletion == Self.deletion(2))
        #expect(out.rows[1].cells.map(\.value) == [Array("B".utf8)])
        #expect(out.rows[1].complexDeletions.map(\.deletion) == [Self.deletion(2)])
    }

    /// Range tombstones [1, 5] (older) and [3, 8] (newer) become [1, 3) and [3, 8]: two stretches
    /// meeting at 3, which the writer writes as one boundary marker; read back, rows 1–8 are gone
    /// and row 9 stays, as the inputs read.
    @Test func overlappingRangesAreCut() throws {
        let a = PartitionUpdate(key: Self.key, rows: (1...9).map { RowUpdate(clustering: Self.c($0), liveness: RowLiveness(timestamp: Self.at(9))) },
                                rangeTombstones: [RangeTombstone(start: Self.c(1), end: Self.c(5), deletion: Self.deletion(4))])
        let b = PartitionUpdate(key: Self.key, rangeTombstones: [RangeTombstone(start: Self.c(3), end: Self.c(8), deletion: Self.deletion(2))])
        let out = try #require(Self.compaction.compact([a, b], maxPurgeable: .max))
        #expect(out.rangeTombstones.count == 2)
        let (first, second) = (out.rangeTombstones[0], out.rangeTombstones[1])
        #expect(first.start == Self.c(1) && first.startInclusive && first.end == Self.c(3) && !first.endInclusive && first.deletion == Self.deletion(4))
        #expect(second.start == Self.c(3) && second.startInclusive && second.end == Self.c(8) && second.endInclusive && second.deletion == Self.deletion(2))
        #expect(out.rows.map(\.clustering) == [Self.c(9)])

        let folder = try WriterSupport.temporaryFolder() + "/ks/t"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let writer = try SSTableWriter(directory: folder, generation: 1, schema: Self.schema)
        try writer.append(out)
        try writer.finish()
        var expected: [UInt8] = []
        GroundTruth(schema: Self.schema, now: Self.now).appendRows(of: [a, b], to: &expected)
        #expect(try WriterSupport.read(folder, schema: Self.schema, now: Self.now) == String(decoding: expected, as: UTF8.self))
    }
}
