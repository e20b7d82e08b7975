import ArgumentParser
import CQL
import SSTable
import SampleData

#if canImport(Glibc)
import Glibc
#endif

/// `cass2dynamo generate`: realistic synthetic tables written as real SSTables, plus the rows
/// Cassandra would return for them.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write synthetic Cassandra tables as SSTables (nb or me), with their expected rows as JSON Lines.",
        discussion: """
            Built-in profiles (--profile): iot (sensor time series: wide partitions, DESC clustering, \
            TTLs), users (static columns, frozen UDT, set/list/map), counters (counter columns), orders \
            (composite partition key, decimals, maps); 'all' writes the four. With --schema, every \
            table in the file gets random data of its column types instead. Several SSTables per table \
            hold overlapping, newer and deleted data. OUT/<keyspace>/<table>-<id>/ holds the \
            SSTables, OUT/schema.cql the schema and OUT/expected/<keyspace>.<table>.jsonl the live rows \
            as `cass2dynamo dump --now NOW` prints them. The same seed and --now give the same files. \
            OUT/generate.json records what was written. --wave 2 (then 3, …) with the same seed, tables, \
            --rows, --sstables and --format writes a later wave into OUT: new SSTables (new generations) \
            dated after the previous wave's --now, changing about --change-share of the rows, and \
            replaces the expected rows with those of every wave at this wave's --now (a copy stays in \
            OUT/expected/wave-N/). --compact G1,G2,… then rewrites those SSTables into one as \
            Cassandra's compaction would and removes them.
            """)

    @Option(help: ArgumentHelp("CQL file with the tables to fill with random data.", valueName: "FILE.cql"), completion: .file(extensions: ["cql"]))
    var schema: String?

    @Option(help: "Built-in profile: iot, users, counters, orders or all (default: all, unless --schema is given).")
    var profile: String?

    @Option(parsing: .unconditional, help: "About this many rows per table (before overwrites and deletions).")
    var rows: Int = 10_000

    @Option(help: ArgumentHelp("Output folder.", valueName: "DIR"), completion: .directory)
    var out: String

    @Option(parsing: .unconditional, help: "Random seed (0 to 18446744073709551615).")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "SSTables per table.")
    var sstables: Int = 3

    @Option(help: "SSTable format version: nb (Cassandra 4.x) or me (3.11).")
    var format: GeneratedFormat = .nb

    @Option(help: "Data.db compression: lz4 or none.")
    var compression: GeneratedCompression = .lz4

    @Option(parsing: .unconditional,
            help: "The time (seconds since the epoch) TTLs are judged at in the expected rows; default: now, rounded down to the day (a later wave: a day after the previous wave's).")
    var now: Int64?

    @Option(parsing: .unconditional, help: "The wave to write: 1 (a new table) or the next later wave of the table in OUT.")
    var wave: Int = 1

    @Option(parsing: .unconditional, help: "A later wave: the share of existing rows it changes (0 to 1).")
    var changeShare: Double = 0.01

    @Option(help: ArgumentHelp("A later wave: SSTable generations to compact into one after writing it.", valueName: "G1,G2,…"))
    var compact: String?

    func validate() throws {
        try OptionCheck.whole(rows, "--rows", 1...1_000_000_000)
        try OptionCheck.whole(sstables, "--sstables", 1...32)
        // The generated writes are dated up to 60 days before --now.
        try OptionCheck.whole(now, "--now", 31_536_000...OptionCheck.epochSeconds.upperBound)
        try OptionCheck.whole(wave, "--wave", 1...1000)
        try OptionCheck.number(changeShare, "--change-share", "a share", above: 0, inclusive: true, atMost: 1)
        if compact != nil, wave == 1 { throw ValidationError("--compact needs --wave 2 or later") }
        _ = try compactedGenerations()
        if let profile, profile != "all", Profile.named(profile) == nil {
            throw ValidationError("unknown profile '\(profile)' (iot, users, counters, orders, all)")
        }
    }

    /// `--compact` as generation numbers.
    func compactedGenerations() throws -> [Int] {
        guard let compact else { return [] }
        let parts = compact.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.filter { $0 != " " }) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--compact must be SSTable generation numbers separated by commas, e.g. 1,2 (got '\(compact)')")
        }
        return Array(Set(parts.map { $0! })).sorted()
    }

    func run() throws {
        do {
            let previous = wave > 1 ? try GenerationLog.load(out: out) : nil
            if wave > 1, previous == nil { throw CLIError("--wave \(wave): \(out)/\(GenerationLog.fileName) is missing; write wave 1 first") }
            let nowSeconds = previous?.steps[0].now ?? now ?? Int64(time(nil)) / 86400 * 86400
            let writer = SampleWriter(
                out: out, seed: seed, sstables: sstables,
                options: SSTableWriter.Options(version: format.rawValue, compressor: compression.compressor))
            var generators: [TableGenerator] = []
            var cql = ""
            if let schema {
                let text: String
                do { text = try readTextFile(schema) } catch { throw CLIError("\(schema): \(error)") }
                let parsed: CQLSchema
                do { parsed = try CQLSchema.parse(text) } catch { throw CLIError("\(schema): \(error)") }
                guard !parsed.tables.isEmpty else { throw CLIError("\(schema): no CREATE TABLE") }
                generators += parsed.tables.map { TableGenerator(schema: $0, shape: Shape(), now: nowSeconds) }
                cql += parsed.createStatements
            }
            if profile != nil || schema == nil {
                let chosen = profile == nil || profile == "all" ? Profile.all : [Profile.named(profile!)!]
                for p in chosen {
                    generators.append(try p.generator(now: nowSeconds))
                    let keyspace = try p.schema().keyspace
                    cql += "CREATE KEYSPACE IF NOT EXISTS \(keyspace) WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'};\n\n" + p.cql + "\n\n"
                }
            }
            var log = try plannedLog(previous: previous, cql: cql, firstNow: nowSeconds)
            let done = previous?.steps.count ?? 0
            for g in generators {
                let r = try writer.write(g, rows: rows, log: log, from: done)
                print("\(r.table): \(r.partitions) partitions, \(r.liveRows) live rows, \(r.dataBytes) bytes of Data.db in \(r.directory); expected rows: \(r.expectedPath)")
                if let stamps = r.minTimestamps, let c = log.steps.indices.last(where: { log.steps[$0].wave == nil }) {
                    log.steps[c].minTimestamps[r.table] = stamps
                }
                if let t = r.tally {
                    print("  wave \(wave): \(t.changedRows) rows changed (\(t.overwrites) overwrites of some columns, \(t.rewrites) rewrites, \(t.rowDeletions) row and \(t.collectionDeletions) collection deletions), \(t.newRows) new rows, \(t.newPartitions) new partitions of \(t.newPartitionRows) rows, \(t.rangeDeletions) range and \(t.partitionDeletions) partition deletions, \(t.staticUpdates) static updates, \(t.ttlWrites) rows written with a TTL, \(t.expiredSincePreviousWave) earlier rows whose TTL ran out since the previous wave; SSTables \(r.generations.map(String.init).joined(separator: ", "))")
                }
            }
            try SampleWriterFiles.write(cql, to: out + "/schema.cql")
            try log.save(out: out)
            let judged = log.lastWave.now
            print("now = \(judged) (pass --now \(judged) to dump to judge TTLs the same way)")
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
    }
}

extension Generate {
    /// The generation log with this run's steps added: wave 1, or the next wave (and its
    /// compaction) after `previous`, whose options this run must repeat.
    func plannedLog(previous: GenerationLog?, cql: String, firstNow: Int64) throws -> GenerationLog {
        guard let previous else {
            return GenerationLog(seed: seed, rows: rows, sstables: sstables, format: format.rawValue, cql: cql,
                                 steps: [.init(wave: 1, now: firstNow, generations: Array(1...sstables))])
        }
        guard previous.seed == seed, previous.rows == rows, previous.sstables == sstables, previous.format == format.rawValue, previous.cql == cql else {
            throw CLIError("\(out) holds tables generated with --seed \(previous.seed) --rows \(previous.rows) --sstables \(previous.sstables) --format \(previous.format) and its own tables (schema.cql): a later wave takes the same")
        }
        let last = previous.lastWave
        guard wave == last.number + 1 else { throw CLIError("\(out) holds waves 1 to \(last.number): the next is --wave \(last.number + 1)") }
        let waveNow = now ?? last.now + 86400
        // The wave's writes are dated from about 33 minutes after the previous wave's now.
        guard waveNow >= last.now + 3600 else {
            throw CLIError("--now \(waveNow) must be at least an hour after wave \(last.number)'s (\(last.now))")
        }
        var log = previous
        let first = log.nextGeneration
        log.steps.append(.init(wave: wave, now: waveNow, changeShare: changeShare, generations: Array(first..<(first + sstables))))
        let inputs = try compactedGenerations()
        if !inputs.isEmpty {
            let live = log.liveGenerations(after: log.steps.count)
            let unknown = inputs.filter { !live.contains($0) }
            guard unknown.isEmpty else {
                throw CLIError("--compact: no SSTable of generation \(unknown.map(String.init).joined(separator: ", ")) (written and not compacted: \(live.sorted().map(String.init).joined(separator: ", ")))")
            }
            log.steps.append(.init(wave: nil, now: waveNow, generations: [log.nextGeneration], compacted: inputs))
        }
        return log
    }
}

/// Small text files the command writes.
enum SampleWriterFiles {
    static func write(_ text: String, to path: String) throws {
        guard let f = fopen(path, "wb") else { throw CLIError("\(path): cannot create: \(String(cString: strerror(errno)))") }
        defer { fclose(f) }
        let bytes = Array(text.utf8)
        guard fwrite(bytes, 1, bytes.count, f) == bytes.count else { throw CLIError("\(path): write failed") }
    }
}

/// The SSTable versions `generate` writes.
enum GeneratedFormat: String, CaseIterable, ExpressibleByArgument {
    case nb, me
}

/// The Data.db compressions `generate` writes.
enum GeneratedCompression: String, CaseIterable, ExpressibleByArgument {
    case lz4, none

    var compressor: ChunkCompressor? { self == .lz4 ? .lz4 : nil }
}
