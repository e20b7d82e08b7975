import CQL
import Foundation
import SampleData
import Testing

@testable import SSTable

/// Random schema + random rows → write → read → the same rows as an independent model of
/// Cassandra's reconciliation computes.
@Suite struct WriterRoundTripTests {
    static let now: Int64 = 1_750_000_000

    @Test(arguments: 0..<60)
    func randomTableReadsBackAsWritten(seed: Int) throws {
        var rng = SampleRandom(seed: UInt64(seed), stream: 1)
        let schema = WriterSupport.randomSchema(&rng, name: "t\(seed)")
        var shape = Shape()
        shape.rowsPerPartition = 0...rng.int(1...12)
        let generator = TableGenerator(schema: schema, shape: shape, now: Self.now)
        let folder = try WriterSupport.temporaryFolder() + "/ks/t\(seed)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sstables = rng.int(1...3)
        let expected = try WriterSupport.write(
            generator, partitions: rng.int(1...25), sstables: sstables, folder: folder,
            options: { k in SSTableWriter.Options(version: (seed + k) % 2 == 0 ? "nb" : "me", compressor: (seed / 2 + k) % 2 == 0 ? .lz4 : nil, chunkLength: 4096) },
            &rng)
        let actual = try WriterSupport.read(folder, schema: schema, now: Self.now)
        Self.expectSameRows(expected, actual, schema)
    }

    /// The sample profiles (static rows, collections, UDTs, counters, TTLs, deletions) over three
    /// SSTables of many 4 KiB chunks: rows point into the reader's decompression window, which
    /// moves on chunk by chunk, so this reads rows and static rows across many window refills.
    @Test(arguments: ["users", "orders", "counters", "iot"])
    func profileReadsBackAcrossManyChunks(profile: String) throws {
        var rng = SampleRandom(seed: 11, stream: 1)
        let generator = try #require(Profile.named(profile)).generator(now: Self.now)
        let folder = try WriterSupport.temporaryFolder() + "/ks/\(profile)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let expected = try WriterSupport.write(
            generator, partitions: 200, sstables: 3, folder: folder,
            options: { k in SSTableWriter.Options(version: k == 1 ? "me" : "nb", compressor: k == 1 ? nil : .lz4, chunkLength: 4096) }, &rng)
        let actual = try WriterSupport.read(folder, schema: generator.schema, now: Self.now)
        let dataBytes = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix("-Data.db") }
            .map { try FileManager.default.attributesOfItem(atPath: folder + "/" + $0)[.size] as? Int ?? 0 }.reduce(0, +)
        #expect(dataBytes > 30 * 4096, "\(dataBytes) bytes of Data.db: too few chunks to test the window")
        Self.expectSameRows(expected, actual, generator.schema)
    }

    static func expectSameRows(_ expected: String, _ actual: String, _ schema: TableSchema) {
        let e = expected.split(separator: "\n"), a = actual.split(separator: "\n")
        #expect(a.count == e.count, "schema: \(schema.createStatement)")
        if let i = zip(e, a).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("row \(i) differs\nexpected \(e[i])\nactual   \(a[i])\nschema: \(schema.createStatement)")
        }
    }
}
