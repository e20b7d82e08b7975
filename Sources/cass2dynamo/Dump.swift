import ArgumentParser
import CQL
import SSTable

#if canImport(Glibc)
import Glibc
#endif

/// `cass2dynamo dump PATH`: the live CQL rows as JSON Lines.
struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the live CQL rows of SSTables as JSON Lines (SELECT JSON encoding).",
        discussion: """
            PATH is an SSTable's Data.db, a table folder or a keyspace folder. Several SSTables of \
            a table are merged and reconciled as Cassandra would; partitions come in the \
            partitioner's order and rows in clustering order.
            """)

    @Argument(help: "A Data.db file, a table folder or a keyspace folder.", completion: .file())
    var path: String

    @OptionGroup var schemaOptions: SchemaOptions

    @Option(parsing: .unconditional, help: "Judge TTL expiry at this time (seconds since the epoch) instead of now.")
    var now: Int64?

    @Option(name: .customLong("token-share"), help: ArgumentHelp(
        "Print only the partitions in share I of the token ring cut into N (Murmur3Partitioner tables): shares 1…N together are the whole dump.",
        valueName: "I/N"))
    var tokenShare: String?

    func validate() throws {
        try OptionCheck.whole(now, "--now", OptionCheck.epochSeconds)
        if let tokenShare, TokenRange(share: tokenShare) == nil {
            throw ValidationError("--token-share must be I/N with 1 ≤ I ≤ N, e.g. 2/3")
        }
    }

    func run() throws {
        do {
            let nowSeconds = now ?? Int64(time(nil))
            var out = StandardOutput()
            let resolver = try schemaOptions.resolver(now: nowSeconds)
            for found in try schemaOptions.tables(at: path) {
                let (location, schema) = try resolver.resolve(found)
                let reader = try TableReader(location: location, schema: schema, now: nowSeconds)
                if let range = tokenShare.flatMap({ TokenRange(share: $0) }) { try reader.restrict(to: range) }
                try reader.forEachRow { row in
                    try out.write { try row.appendJSONLine(to: &$0) }
                }
                for warning in reader.warnings { printWarning(warning) }
            }
            try out.flush()
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
    }
}
