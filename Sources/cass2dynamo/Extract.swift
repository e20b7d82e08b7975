import ArgumentParser
import DynamoMapping
import Foundation
import Migration

#if canImport(Glibc)
import Glibc
#endif

/// `cass2dynamo extract`: SSTables → staged DynamoDB JSON parts + manifest.
struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stage tables as DynamoDB import files: gzip DynamoDB JSON parts and a manifest.",
        discussion: """
            Each table's SSTables (several source folders of one table are replicas and are merged) \
            are read, reconciled, converted and written to STAGING/tables/<table>/data/part-N.json.gz; \
            STAGING/manifest.json holds per-part counts, sizes and SHA-256 and per-table totals and \
            conversion issues; STAGING/mapping.yaml the designs used. Tables already staged intact with \
            the same design, schema, SSTables and --now are skipped; the others are staged again.
            """)

    @Option(name: .customLong("source"), parsing: .upToNextOption, help: "SSTable table folders, keyspace folders or data directories.",
            completion: .directory)
    var sources: [String]

    @Option(help: ArgumentHelp("CQL file with the table definitions.", valueName: "FILE.cql"), completion: .file(extensions: ["cql"]))
    var schema: String?

    @Option(help: ArgumentHelp("Mapping file written by `cass2dynamo plan` (default: the designs plan would propose).", valueName: "mapping.yaml"),
            completion: .file())
    var mapping: String?

    @Option(help: "Staging folder.", completion: .directory)
    var out: String

    @Option(name: .customLong("table-prefix"), help: "Prepended to each DynamoDB table name: the CQL table name, or the one the mapping gives.")
    var tablePrefix: String = ""

    @Option(name: .customLong("part-size"), help: "Close a part after this many uncompressed MiB.")
    var partSizeMiB: Double = 64

    @Option(help: "Tables extracted at once (default: the number of cores).")
    var jobs: Int?

    @Option(help: ArgumentHelp("Read the snapshot of this name instead of live data.", valueName: "NAME"))
    var snapshot: String?

    @Option(help: "Judge TTL expiry at this time (seconds since the epoch) instead of now.")
    var now: Int64?

    @OptionGroup var common: MigrationCommonOptions

    func run() throws {
        let (mappingFile, mappingName, design) = try MigrationCLI.mapping(mapping, tablePrefix: tablePrefix)
        let options = ExtractOptions(sources: sources, schemaText: try MigrationCLI.readSchema(schema), schemaFileName: schema ?? "",
                                     snapshot: snapshot, partBytes: Int(partSizeMiB * 1024 * 1024),
                                     concurrency: jobs ?? ProcessInfo.processInfo.activeProcessorCount, now: now,
                                     mapping: mappingFile, mappingName: mappingName, design: design)
        let stop = MigrationCLI.stopOnInterrupt()
        let started = Date()
        let manifest: Manifest
        do {
            let lock = try StagingLock(folder: out)
            defer { withExtendedLifetime(lock) {} }
            manifest = try Extractor(options: options).run(staging: out, stop: stop, progress: common.sink())
        } catch let stopped as Stopped {
            printError("\(stopped)")
            throw ExitCode(130)
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        let seconds = Date().timeIntervalSince(started)
        MigrationCLI.printSummary(MigrationSummary(manifest: manifest, estimate: CostEstimate(manifest)), json: common.isJSON)
        if !common.isJSON {
            let rows = manifest.tables.reduce(0) { $0 + $1.rows }
            MigrationCLI.writeLine(1, String(format: "staged %d rows in %.2f s (%.0f rows/s) into %@", rows, seconds, Double(rows) / max(seconds, 1e-6), out))
        }
    }
}
