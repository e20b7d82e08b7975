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
            as `cass2dynamo dump --now NOW` prints them. The same seed and --now give the same files.
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
            help: "The time (seconds since the epoch) TTLs are judged at in the expected rows; default: now, rounded down to the day.")
    var now: Int64?

    func validate() throws {
        try OptionCheck.whole(rows, "--rows", 1...1_000_000_000)
        try OptionCheck.whole(sstables, "--sstables", 1...32)
        // The generated writes are dated up to 60 days before --now.
        try OptionCheck.whole(now, "--now", 31_536_000...OptionCheck.epochSeconds.upperBound)
        if let profile, profile != "all", Profile.named(profile) == nil {
            throw ValidationError("unknown profile '\(profile)' (iot, users, counters, orders, all)")
        }
    }

    func run() throws {
        do {
            let nowSeconds = now ?? Int64(time(nil)) / 86400 * 86400
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
            for g in generators {
                let r = try writer.write(g, rows: rows)
                print("\(r.table): \(r.partitions) partitions, \(r.liveRows) live rows, \(r.dataBytes) bytes of Data.db in \(r.directory); expected rows: \(r.expectedPath)")
            }
            try SampleWriterFiles.write(cql, to: out + "/schema.cql")
            print("now = \(nowSeconds) (pass --now \(nowSeconds) to dump to judge TTLs the same way)")
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
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
