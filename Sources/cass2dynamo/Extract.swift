import ArgumentParser
import DynamoMapping
import Foundation
import Migration

/// `cass2dynamo extract`: SSTables → staged DynamoDB JSON parts + manifest.
struct Extract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stage tables as DynamoDB import files: gzip DynamoDB JSON parts and a manifest.",
        discussion: """
            Each table's SSTables (several source folders of one table are replicas and are merged) \
            are read, reconciled, converted and written to STAGING/tables/<table>/data/part-N.json.gz; \
            STAGING/manifest.json holds per-part counts, sizes and SHA-256 and per-table totals and \
            conversion issues; STAGING/mapping.yaml the designs used. Tables already staged intact with \
            the same design, schema, SSTables and --now are skipped; the others are staged again.
            """)

    @OptionGroup var input: ExtractArguments

    @OptionGroup var staging: StagingFolderOption

    @OptionGroup var common: MigrationCommonOptions

    func run() async throws {
        let out = try staging.folder()
        let options = try input.options()
        SourceStores.prepare(options.sources, region: common.region, endpointURL: common.endpointURL)
        let stop = MigrationCLI.stopOnInterrupt()
        let common = self.common
        var summary: MigrationSummary?
        try await reportingErrors {
            summary = try await StagingRun.run(options, staging: out, stop: stop, progress: common.sink())
        }
        guard let summary else { return }
        MigrationCLI.printSummary(summary, json: common.isJSON)
        if !common.isJSON {
            let rows = summary.manifest.tables.reduce(0) { $0 + $1.rows }
            let seconds = summary.extractSeconds
            MigrationCLI.writeLine(1, String(format: "staged %d rows in %.2f s (%.0f rows/s) into %@", rows, seconds, Double(rows) / max(seconds, 1e-6), out))
        }
    }
}
