import CQL
import HexCoding
import SSTable

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a generated table as Cassandra lays it out on disk — `<out>/<keyspace>/<table>-<id>/`
/// holding K SSTables — and its ground truth, `<out>/expected/<keyspace>.<table>.jsonl`: the
/// live rows in the order `cass2dynamo dump` prints them.
public struct SampleWriter {
    public var out: String
    public var seed: UInt64
    public var sstables: Int
    public var options: SSTableWriter.Options

    public init(out: String, seed: UInt64, sstables: Int, options: SSTableWriter.Options) {
        self.out = out
        self.seed = seed
        self.sstables = sstables
        self.options = options
    }

    /// What was written for one table.
    public struct Result: Sendable {
        public var table: String
        public var directory: String
        public var expectedPath: String
        public var partitions: Int
        public var liveRows: Int
        /// Uncompressed Data.db bytes over all SSTables.
        public var dataBytes: Int64
    }

    /// Generates about `rows` rows (spread over partitions of the generator's width) and writes them.
    public func write(_ generator: TableGenerator, rows: Int) throws -> Result {
        let schema = generator.schema
        var rng = SampleRandom(seed: seed, stream: Self.hash(schema.keyspace + "." + schema.name))
        let width = generator.schema.clustering.isEmpty ? 1 : (generator.shape.rowsPerPartition.lowerBound + generator.shape.rowsPerPartition.upperBound + 1) / 2
        let partitions = max(1, rows / max(1, width))
        let directory = "\(out)/\(schema.keyspace)/\(schema.name)-\(Self.tableID(schema, seed: seed))"
        try Self.makeDirectories(directory)
        try Self.makeDirectories(out + "/expected")
        let keys = SSTableWriter.sortKeys((0..<partitions).map { _ in generator.randomKey(&rng) }, partitioner: options.partitioner)
        // Delta bases at or below every timestamp and deletion time the generator writes.
        let stats = EncodingStats(minTimestamp: generator.baseTimestamp - 2_000_000_000, minLocalDeletionTime: generator.now - 40 * 86400)
        var writers: [SSTableWriter] = []
        for k in 0..<sstables {
            writers.append(try SSTableWriter(directory: directory, generation: k + 1, schema: schema, options: options, stats: stats))
        }
        let truth = GroundTruth(schema: schema, now: generator.now)
        let expectedPath = "\(out)/expected/\(schema.keyspace).\(schema.name).jsonl"
        guard let file = fopen(expectedPath, "wb") else { throw CQLSchemaError("\(expectedPath): cannot create") }
        defer { fclose(file) }
        var lines: [UInt8] = []
        var live = 0
        for (i, key) in keys.enumerated() {
            var partitionRNG = SampleRandom(seed: seed, stream: Self.hash(schema.name) &+ UInt64(i))
            let updates = generator.partition(key: key, sstables: sstables, &partitionRNG)
            for (k, u) in updates.enumerated() { if let u { try writers[k].append(u) } }
            live += truth.appendRows(of: updates.compactMap { $0 }, to: &lines)
            if lines.count > 1 << 20 {
                fwrite(lines, 1, lines.count, file)
                lines.removeAll(keepingCapacity: true)
            }
        }
        fwrite(lines, 1, lines.count, file)
        var bytes: Int64 = 0
        for w in writers {
            bytes += w.dataLength
            if w.partitionCount == 0 { w.abandon() } else { try w.finish() }
        }
        return Result(table: "\(schema.keyspace).\(schema.name)", directory: directory, expectedPath: expectedPath, partitions: keys.count, liveRows: live, dataBytes: bytes)
    }

    /// A stable 32-hex-digit table id, like the one Cassandra puts in the folder name.
    static func tableID(_ schema: TableSchema, seed: UInt64) -> String {
        var rng = SampleRandom(seed: seed, stream: hash(schema.keyspace + "." + schema.name))
        return String(decoding: (0..<32).map { _ in Hex.digit(UInt8(rng.next() & 15)) }, as: UTF8.self)
    }

    /// FNV-1a of a name: a stream number that does not depend on Swift's randomized hashing.
    static func hash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw CQLSchemaError("\(current): cannot create folder: \(String(cString: strerror(errno)))")
            }
        }
    }
}
