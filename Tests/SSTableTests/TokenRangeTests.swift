import CQL
import Foundation
import HexCoding
import SampleData
import TestSupport
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

    @Test(arguments: ["iot", "users", "orders"], [Partitioner.murmur3, .random])
    func sharesConcatenateToTheWholeTable(profile: String, partitioner: Partitioner) throws {
        var rng = SampleRandom(seed: 7, stream: 9)
        let generator = try #require(Profile.named(profile)).generator(now: 1_750_000_000)
        let schema = generator.schema
        let folder = try WriterSupport.temporaryFolder() + "/ks/\(profile)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try WriterSupport.write(generator, partitions: 60, sstables: 3, folder: folder,
                                    options: { k in SSTableWriter.Options(version: k == 0 ? "me" : "nb", compressor: .lz4, partitioner: partitioner) },
                                    partitioner: partitioner, &rng)
        let location = try #require(try SSTableDiscovery.tables(at: folder).first)
        func rows(_ range: TokenRange?) throws -> (rows: [String], keys: [[UInt8]]) {
            let reader = try TableReader(location: location, schema: schema, now: generator.now)
            #expect(reader.partitioner == partitioner)
            if let range { try reader.restrict(to: range) }
            var out: [String] = []
            var keys: [[UInt8]] = []
            try reader.forEachRow { row in
                var bytes: [UInt8] = []
                try row.appendJSON(to: &bytes)
                let key = row.key.withUnsafeBytes { Array($0) }
                if keys.last != key { keys.append(key) }
                out.append(String(decoding: bytes, as: UTF8.self))
            }
            return (out, keys)
        }
        let whole = try rows(nil).rows
        #expect(whole.count > 60)
        let shares = try TokenRange.split(4).map { try rows($0) }
        #expect(shares.filter { !$0.rows.isEmpty }.count >= 3)
        #expect(shares.flatMap(\.rows) == whole)
        // Each partition is in the share its token says, computed apart (Python's hashlib and
        // integers for RandomPartitioner: |MD5| against the bounds scaled onto 0 … 2^127).
        let keys = shares.flatMap(\.keys)
        let expected: [Int]
        if partitioner == .murmur3 {
            expected = keys.map { key in TokenRange.split(4).firstIndex { r in key.withUnsafeBytes { r.contains(Murmur3.token($0)) } } ?? -1 }
        } else {
            let script = """
                import hashlib, sys
                bounds = [((b + 2**63) * 2**63) for b in [-2**63 + i * ((2**64 - 1) // 4) for i in range(1, 4)]]
                for line in sys.stdin.read().split():
                    t = abs(int.from_bytes(hashlib.md5(bytes.fromhex(line)).digest(), 'big', signed=True))
                    print(next((i for i, b in enumerate(bounds) if t <= b), 3))
                """
            let input = keys.map { Hex.encode($0) }.joined(separator: "\n")
            let result = try runProgramBlocking("python3", ["-c", script], input: Data(input.utf8))
            #expect(result.status == 0, "\(result.stderr)")
            expected = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").map { Int($0) ?? -1 }
        }
        let actual = shares.enumerated().flatMap { i, share in share.keys.map { _ in i } }
        #expect(actual == expected)
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
            if partitioner != .byteOrdered {
                try reader.restrict(to: TokenRange.split(2)[1])
                #expect(throws: SSTableError.self) { try reader.restrict(to: TokenRange(start: 5, end: 5)) }
            } else {
                #expect(throws: SSTableError.self) { try reader.restrict(to: .all) }
            }
        }
    }
}
