import CQL
import HexCoding
import SSTable

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a generated table as Cassandra lays it out on disk — `<out>/<keyspace>/<table>-<id>/`
/// holding K SSTables per wave — and its ground truth, `<out>/expected/<keyspace>.<table>.jsonl`:
/// the live rows in the order `cass2dynamo dump` prints them.
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
        /// Uncompressed Data.db bytes over the SSTables written.
        public var dataBytes: Int64
        /// The generations of the SSTables written (empty ones are not).
        public var generations: [Int]
        /// A later wave: the changes it made, by kind.
        public var tally: WaveTally?
        /// A compaction: the minimum timestamp of each SSTable the table had
        /// (``GenerationLog/Step/minTimestamps``).
        public var minTimestamps: [Int: Int64]?
    }

    /// Generates about `rows` rows (spread over partitions of the generator's width) and writes
    /// them as wave 1 (`log` nil), or writes the steps of `log` from step `from` on — a later
    /// wave, then perhaps a compaction, whose inputs are removed — replaying the steps before.
    /// The expected rows are those of every wave at the last wave's `now`; a later wave keeps a
    /// copy in `expected/wave-<N>/`. `generator` is the table's wave-1 generator.
    public func write(_ generator: TableGenerator, rows: Int, log: GenerationLog? = nil, from done: Int = 0) throws -> Result {
        let steps = log?.steps ?? [GenerationLog.Step(wave: 1, now: generator.now, generations: Array(1...sstables))]
        precondition(steps[0].now == generator.now, "the generator is not wave 1's")
        let schema = generator.schema
        let name = schema.keyspace + "." + schema.name
        let directory = "\(out)/\(schema.keyspace)/\(schema.name)-\(Self.tableID(schema, seed: seed))"
        try Self.makeDirectories(directory)
        try Self.makeDirectories(out + "/expected")
        var plan = Replay(writer: self, generator: generator, rows: rows, steps: steps, done: done)
        // Delta bases at or below every timestamp and deletion time the generator writes.
        let stats = EncodingStats(minTimestamp: generator.baseTimestamp - 2_000_000_000, minLocalDeletionTime: generator.now - 40 * 86400)
        func writers(_ generations: [Int]) throws -> [Int: SSTableWriter] {
            var out: [Int: SSTableWriter] = [:]
            for g in generations { out[g] = try SSTableWriter(directory: directory, generation: g, schema: schema, options: options, stats: stats) }
            return out
        }
        func finish(_ writers: [Int: SSTableWriter]) throws -> (bytes: Int64, written: [Int]) {
            var bytes: Int64 = 0
            var written: [Int] = []
            for (g, w) in writers.sorted(by: { $0.key < $1.key }) {
                bytes += w.dataLength
                if w.partitionCount == 0 {
                    w.abandon()
                } else {
                    try w.finish()
                    written.append(g)
                }
            }
            return (bytes, written)
        }
        // Pass 1: the waves (and the expected rows); a compaction of this run waits for them.
        let compaction = steps.indices.first { $0 >= done && steps[$0].wave == nil }
        let waveWriters = try writers(steps[done...].filter { $0.wave != nil }.flatMap(\.generations))
        let lastWave = steps.last { $0.wave != nil }!
        let truth = GroundTruth(schema: schema, now: lastWave.now)
        let expectedPath = "\(out)/expected/\(name).jsonl"
        var files = [expectedPath]
        if lastWave.wave! > 1 {
            try Self.makeDirectories("\(out)/expected/wave-\(lastWave.wave!)")
            files.append("\(out)/expected/wave-\(lastWave.wave!)/\(name).jsonl")
        }
        let expected = try files.map { path in
            guard let file = fopen(path, "wb") else { throw CQLSchemaError("\(path): cannot create") }
            return file
        }
        defer { for f in expected { fclose(f) } }
        var lines: [UInt8] = []
        var live = 0
        var tally = WaveTally()
        for key in plan.keys {
            let all = try plan.replay(key, through: compaction ?? steps.count, writers: waveWriters, tally: &tally)
            live += truth.appendRows(of: all, to: &lines)
            if lines.count > 1 << 20 {
                for f in expected { fwrite(lines, 1, lines.count, f) }
                lines.removeAll(keepingCapacity: true)
            }
        }
        for f in expected { fwrite(lines, 1, lines.count, f) }
        var (bytes, written) = try finish(waveWriters)
        // Pass 2: the compaction, its purges judged by the SSTables there now.
        var minTimestamps: [Int: Int64]?
        if let compaction {
            let step = steps[compaction]
            let present = steps.prefix(compaction).reduce(into: Set<Int>()) { live, s in live.subtract(s.compacted); live.formUnion(s.generations) }
            var stamps: [Int: Int64] = [:]
            for g in present {
                let path = "\(directory)/\(options.version)-\(g)-\(options.format)-Statistics.db"
                guard let bytes = FileBytes.read(path) else { continue }
                stamps[g] = try Statistics.parse(bytes, path: path, version: SSTableVersion(options.version, format: options.format)).minTimestamp ?? .min
            }
            plan.minTimestamps[compaction] = stamps
            minTimestamps = stamps
            let output = try writers(step.generations)
            var ignored = WaveTally()
            for key in plan.keys { _ = try plan.replay(key, through: steps.count, writers: output, tally: &ignored) }
            let compacted = try finish(output)
            bytes += compacted.bytes
            written += compacted.written
            for g in step.compacted where stamps[g] != nil { Self.remove(generation: g, in: directory, options: options) }
        }
        return Result(
            table: name, directory: directory, expectedPath: expectedPath, partitions: plan.keys.count, liveRows: live, dataBytes: bytes,
            generations: written, tally: done > 0 ? tally : nil, minTimestamps: minTimestamps)
    }

    /// Removes the files of SSTable `generation`.
    static func remove(generation: Int, in directory: String, options: SSTableWriter.Options) {
        let components = ["Data.db", "Index.db", "Summary.db", "Partitions.db", "Rows.db", "Filter.db", "Statistics.db", "CompressionInfo.db", "CRC.db", "Digest.crc32", "TOC.txt"]
        for c in components { unlink("\(directory)/\(options.version)-\(generation)-\(options.format)-\(c)") }
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
