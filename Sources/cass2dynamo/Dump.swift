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
        "Print only the partitions in share I of the token ring cut into N (Murmur3 and Random partitioners): shares 1…N together are the whole dump.",
        valueName: "I/N"), transform: TokenShare.parse)
    var tokenShare: TokenShare?

    @Option(name: .customLong("key"), parsing: .singleValue, help: ArgumentHelp(
        "Print only this partition: a JSON object of the partition key columns, values as dump prints them, e.g. '{\"id\": 7}'. Repeatable.",
        discussion: "Each SSTable is searched through Filter.db, then Summary.db and Index.db (Partitions.db for BTI), and read only at that partition.",
        valueName: "JSON"))
    var keys: [String] = []

    @Flag(help: ArgumentHelp(
        "Also check every SSTable whole: the Data.db Digest, and Index.db, Summary.db and Filter.db against Data.db, entry by entry; exits 1 on any problem.",
        discussion: "Partial reads (--token-share) check each compressed chunk they read but cannot check the whole-file Digest."))
    var verify = false

    func validate() throws {
        try OptionCheck.whole(now, "--now", OptionCheck.epochSeconds)
        if verify, tokenShare != nil || !keys.isEmpty {
            throw ValidationError("--verify checks whole SSTables: it cannot be combined with --token-share or --key")
        }
    }

    func run() throws {
        do {
            let nowSeconds = now ?? Int64(time(nil))
            var out = StandardOutput()
            var problems = 0
            let resolver = try schemaOptions.resolver(now: nowSeconds)
            let tables = try schemaOptions.tables(at: path)
            if !keys.isEmpty, tables.count > 1 {
                throw CLIError("--key reads one table, but \(path) holds \(tables.count): give that table's folder")
            }
            for found in tables {
                let (location, schema) = try resolver.resolve(found)
                let reader = try TableReader(location: location, schema: schema, now: nowSeconds)
                if let range = tokenShare?.range { try reader.restrict(to: range) }
                if !keys.isEmpty { try reader.restrict(toKeys: try partitionKeys(of: reader.schema)) }
                try reader.forEachRow { row in
                    try out.write { try row.appendJSONLine(to: &$0) }
                }
                for warning in reader.warnings { printWarning(warning) }
                if verify { problems += report(reader.verifySSTables()) }
            }
            try out.flush()
            if problems > 0 {
                printError("--verify found \(problems) problem(s)")
                throw ExitCode.failure
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
    }

    /// The serialized partition keys of `--key`, in the user's words when one does not fit.
    private func partitionKeys(of schema: TableSchema) throws -> [[UInt8]] {
        try keys.map { text in
            do {
                return try schema.partitionKey(fromJSON: text)
            } catch {
                throw CLIError("--key \(text): \(error)")
            }
        }
    }

    /// One line per SSTable on standard error; returns the count of problems.
    private func report(_ checks: [SSTableVerification]) -> Int {
        for c in checks {
            let notes = c.notChecked.isEmpty ? "" : "; not checked: " + c.notChecked.joined(separator: "; ")
            if c.problems.isEmpty {
                printNote("verified \(c.path): \(c.partitions) partitions; \(c.checked.joined(separator: ", ")) agree\(notes)")
            }
            for p in c.problems { printError(p) }
        }
        return checks.reduce(0) { $0 + $1.problems.count }
    }
}
