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
        let e = expected.split(separator: "\n"), a = actual.split(separator: "\n")
        #expect(a.count == e.count, "schema: \(schema.createStatement)")
        if let i = zip(e, a).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("row \(i) differs\nexpected \(e[i])\nactual   \(a[i])\nschema: \(schema.createStatement)")
        }
    }
}
