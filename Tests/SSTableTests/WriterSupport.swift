import CQL
import Foundation
import SampleData

@testable import SSTable

/// Writes generated partitions as SSTables and reads them back, for the writer tests.
enum WriterSupport {
    /// A random table: key, clustering (some DESC), static and regular columns of every kind of type.
    static func randomSchema(_ rng: inout SampleRandom, name: String) -> TableSchema {
        let scalars: [CQLType] = [
            .ascii, .text, .tinyint, .smallint, .int, .bigint, .varint, .decimal, .float, .double, .boolean, .blob, .uuid,
            .timeuuid, .inet, .timestamp, .date, .time,
        ]
        let udt = UserType(keyspace: "ks", name: "addr", fieldNames: ["street", "zip", "home"], fieldTypes: [.text, .int, .inet])
        func valueType() -> CQLType {
            switch rng.int(0..<10) {
            case 0: return .list(rng.pick(scalars), frozen: rng.chance(0.3))
            case 1: return .set(rng.pick(scalars), frozen: rng.chance(0.3))
            case 2: return .map(rng.pick(scalars), rng.pick(scalars + [.duration]), frozen: rng.chance(0.3))
            case 3: return .tuple([rng.pick(scalars), rng.pick(scalars)])
            case 4: return .udt(udt, frozen: rng.chance(0.5))
            case 5: return .duration
            default: return rng.pick(scalars)
            }
        }
        let counter = rng.chance(0.15)
        let pk = (0..<rng.int(1...2)).map { ColumnSchema(name: "k\($0)", type: rng.pick(scalars), kind: .partitionKey) }
        let ck = (0..<rng.int(0...3)).map { i -> ColumnSchema in
            var t = rng.chance(0.2) ? CQLType.tuple([.int, .text]) : rng.pick(scalars)
            if rng.chance(0.3) { t = .reversed(t) }
            return ColumnSchema(name: "c\(i)", type: t, kind: .clustering)
        }
        let statics = ck.isEmpty || counter ? [] : (0..<rng.int(0...2)).map { ColumnSchema(name: "s\($0)", type: valueType(), kind: .staticColumn) }
        let regulars = (0..<rng.int(1...6)).map { ColumnSchema(name: "v\($0)", type: counter ? .counter : valueType(), kind: .regular) }
        return TableSchema(keyspace: "ks", name: name, partitionKey: pk, clustering: ck, staticColumns: statics, regularColumns: regulars)
    }

    /// Writes `partitions` partitions over `sstables` SSTables into `folder`; returns the ground truth.
    static func write(
        _ generator: TableGenerator, partitions: Int, sstables: Int, folder: String, options: (Int) -> SSTableWriter.Options,
        partitioner: Partitioner = .murmur3, _ rng: inout SampleRandom
    ) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let keys = SSTableWriter.sortKeys((0..<partitions).map { _ in generator.randomKey(&rng) }, partitioner: partitioner)
        let stats = EncodingStats(minTimestamp: generator.baseTimestamp - 2_000_000_000, minLocalDeletionTime: generator.now - 40 * 86400)
        let writers = try (0..<sstables).map { k in
            try SSTableWriter(directory: folder, generation: k + 1, schema: generator.schema, options: options(k), stats: stats)
        }
        let truth = GroundTruth(schema: generator.schema, now: generator.now)
        var out: [UInt8] = []
        for key in keys {
            let updates = generator.partition(key: key, sstables: sstables, &rng)
            for (k, u) in updates.enumerated() { if let u { try writers[k].append(u) } }
            truth.appendRows(of: updates.compactMap { $0 }, to: &out)
        }
        for w in writers {
            if w.partitionCount == 0 { w.abandon() } else { try w.finish() }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads a folder with our reader, as `dump` prints it.
    static func read(_ folder: String, schema: TableSchema, now: Int64) throws -> String {
        String(decoding: try ConformanceTests.dump(folder, schema: schema, now: now), as: UTF8.self)
    }

    static func temporaryFolder() throws -> String { try SSTableRewriter.temporaryDirectory().path }
}
