import ArgumentParser
import Foundation
import Migration
import SSTable

/// What `extract` and `migrate` read and how they stage it: sources, schema, mapping, table
/// prefix, part size, compression and the time TTLs are judged at.
struct ExtractArguments: ParsableArguments {
    @Option(name: .customLong("source"), parsing: .upToNextOption, help: ArgumentHelp(
        "SSTable table folders, keyspace folders or data directories, local or in S3 (s3://BUCKET/PATH: a plain copy, or cassandra-medusa backups).",
        valueName: "PATH"), completion: .directory)
    var sources: [String]

    @Option(help: ArgumentHelp("Read the snapshot of this name (<table>/snapshots/NAME/), or the cassandra-medusa backup of this name, instead of live data.", valueName: "NAME"))
    var snapshot: String?

    @Option(help: ArgumentHelp("CQL file with the table definitions.", valueName: "FILE.cql"), completion: .file(extensions: ["cql"]))
    var schema: String?

    @Option(name: .customLong("table"), help: ArgumentHelp(
        "The table of the schema the SSTables given belong to, whatever their folders are called (needed when the schema holds several).",
        valueName: "KEYSPACE.TABLE"))
    var table: String?

    @Option(help: ArgumentHelp("Mapping file written by `cass2dynamo plan` (default: the designs plan would propose).", valueName: "mapping.yaml"),
            completion: .file())
    var mapping: String?

    @Option(name: .customLong("table-prefix"), help: "Prepended to each DynamoDB table name: the CQL table name, or the one the mapping gives.")
    var tablePrefix: String = ""

    @Option(name: .customLong("part-size"), parsing: .unconditional, help: ArgumentHelp(
        "Close a staged part after this many uncompressed MiB (default 32, more for a table whose parts would pass ImportTable's 50,000 objects). Each reading worker holds about twice this in memory.",
        valueName: "MiB"))
    var partSizeMiB: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Reading workers (default: the number of cores): each large table is read in token ranges side by side, several tables at once.",
        valueName: "N"))
    var jobs: Int?

    @Option(help: "How staged parts are compressed (what ImportTable reads: GZIP, ZSTD or NONE).")
    var compression: PartCompression = .gzip

    @Option(name: .customLong("compression-level"), help: ArgumentHelp(
        "The codec's level: gzip 1–12 (libdeflate), zstd 1–19; default 1, the fastest (bench/compression measures the others).", valueName: "N"))
    var compressionLevel: Int?

    @Option(parsing: .unconditional, help: "Judge TTL expiry at this time (seconds since the epoch); default: the time the staging folder's first run chose, else now.")
    var now: Int64?

    @Option(name: .customLong("max-rows-per-second"), parsing: .unconditional,
            help: "Read no faster than this many rows per second, all tables together (spares a live node's disk).")
    var maxRowsPerSecond: Double?

    func validate() throws {
        guard !sources.isEmpty else { throw ValidationError("give at least one --source") }
        if let table, SchemaResolver.binding(table) == nil { throw ValidationError("--table takes KEYSPACE.TABLE (got '\(table)')") }
        try OptionCheck.number(partSizeMiB, "--part-size", "a number of MiB", above: 0, atMost: 4096)
        if compressionLevel != nil, compression.levels == nil { throw ValidationError("--compression-level takes no value with --compression none") }
        try OptionCheck.whole(compressionLevel, "--compression-level", compression.levels ?? 0...0)
        try OptionCheck.whole(jobs, "--jobs", OptionCheck.parallelism)
        try OptionCheck.whole(now, "--now", OptionCheck.epochSeconds)
        try OptionCheck.tablePrefix(tablePrefix)
        try OptionCheck.number(maxRowsPerSecond, "--max-rows-per-second", "a number of rows per second", above: 0, atMost: 1_000_000_000)
    }

    /// The extraction settings, with the schema and mapping files read.
    func options() throws -> ExtractOptions {
        let (mappingFile, mappingName, design) = try MigrationCLI.mapping(mapping, tablePrefix: tablePrefix)
        var options = ExtractOptions(sources: sources, schemaText: try MigrationCLI.readSchema(schema), schemaFileName: schema ?? "",
                                     partBytes: partSizeMiB.map { Int($0 * 1024 * 1024) }, now: now,
                                     mapping: mappingFile, mappingName: mappingName, design: design)
        options.table = table
        options.snapshot = snapshot
        options.concurrency = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        options.compression = compression
        options.compressionLevel = compressionLevel
        options.maxRowsPerSecond = maxRowsPerSecond
        return options
    }
}
