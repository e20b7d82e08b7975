import CQL
import Foundation
import SampleData
import Testing

@testable import SSTable

/// Reading a table in token ranges: the shares are disjoint, in ring order, and together are
/// exactly the whole table.
@Suite struct TokenRangeTests {
    @Test func splitCoversTheRingWithoutGaps() {
        for n in [1, 2, 3, 7, 64] {
            let ranges = TokenRange.split(n)
            #expect(ranges.count == n && ranges.first?.start == .min && ranges.last?.end == .max)
            for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.end == b.start && a.isValid) }
        }
        let halves = TokenRange.split(2)
        #expect(halves[0].end == -1 && halves[0].contains(-1) && !halves[1].contains(-1) && halves[1].contains(0))
        #expect(!TokenRange.all.contains(.min) && TokenRange.all.contains(.max))
    }

    @Test(arguments: ["iot", "users", "orders"])
    func sharesConcatenateToTheWholeTable(profile: String) throws {
        var rng = SampleRandom(seed: 7, stream: 9)
        let generator = try #require(Profile.named(profile)).generator(now: 1_750_000_000)
        let schema = generator.schema
        let folder = try WriterSupport.temporaryFolder() + "/ks/\(profile)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try WriterSupport.write(generator, partitions: 60, sstables: 3, folder: folder,
                                    options: { k in SSTableWriter.Options(version: k == 0 ? "me" : "nb", compressor: .lz4) }, &rng)
        let location = try #require(try SSTableDiscovery.tables(at: folder).first)
        func rows(_ range: TokenRange?) throws -> [String] {
            let reader = try TableReader(location: location, schema: schema, now: generator.now)
            if let range { try reader.restrict(to: range) }
            var out: [String] = []
            try reader.forEachRow { row in
                var bytes: [UInt8] = []
                try row.appendJSON(to: &bytes)
                if let range { row.key.withUnsafeBytes { #expect(range.contains(Murmur3.token($0))) } }
                out.append(String(decoding: bytes, as: UTF8.self))
            }
            return out
        }
        let whole = try rows(nil)
        #expect(whole.count > 60)
        let shares = try TokenRange.split(4).map { try rows($0) }
        #expect(shares.filter { !$0.isEmpty }.count >= 3)
        #expect(shares.flatMap { $0 } == whole)
    }

    @Test func emptyRangesAndOtherPartitionersAreRefused() throws {
        var rng = SampleRandom(seed: 3, stream: 9)
        let schema = TableSchema(keyspace: "ks", name: "t", partitionKey: [ColumnSchema(name: "k", type: .int, kind: .partitionKey)],
                                 clustering: [], staticColumns: [], regularColumns: [ColumnSchema(name: "v", type: .text, kind: .regular)])
        let generator = TableGenerator(schema: schema, shape: Shape(), now: 1_750_000_000)
        let base = try WriterSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: base) }
        for partitioner in [Partitioner.murmur3, .random, .byteOrdered] {
            let folder = "\(base)/ks/t\(partitioner == .murmur3 ? "m" : partitioner == .random ? "r" : "b")"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let keys = SSTableWriter.sortKeys((0..<5).map { _ in generator.randomKey(&rng) }, partitioner: partitioner)
            let writer = try SSTableWriter(directory: folder, generation: 1, schema: schema, options: SSTableWriter.Options(partitioner: partitioner),
                                           stats: EncodingStats(minTimestamp: 0, minLocalDeletionTime: 0))
            for key in keys { if let u = generator.partition(key: key, sstables: 1, &rng)[0] { try writer.append(u) } }
            try writer.finish()
            let reader = try TableReader(location: try #require(try SSTableDiscovery.tables(at: folder).first), schema: schema, now: generator.now)
            #expect(reader.partitioner == partitioner)
            if partitioner == .murmur3 {
                try reader.restrict(to: TokenRange.split(2)[1])
                #expect(throws: SSTableError.self) { try reader.restrict(to: TokenRange(start: 5, end: 5)) }
            } else {
                #expect(throws: SSTableError.self) { try reader.restrict(to: .all) }
            }
        }
    }
}
