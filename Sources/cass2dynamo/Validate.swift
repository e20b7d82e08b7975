import AWS
import ArgumentParser
import DynamoMapping
import Foundation
import Migration

/// `cass2dynamo validate`: target tables vs staged data.
struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare DynamoDB tables with the staged data: item count and a digest per item (parallel Scan).")

    @OptionGroup var input: StagedInputOptions

    @Option(help: "Only this target table.")
    var table: String?

    @Option(parsing: .unconditional, help: "Parallel Scan segments.")
    var segments: Int = 4

    @OptionGroup var common: MigrationCommonOptions

    func validate() throws {
        try OptionCheck.whole(segments, "--segments", OptionCheck.parallelism)
    }

    func run() async throws {
        let me = self
        let stop = MigrationCLI.stopOnInterrupt()
        try await reportingErrors {
            let common = me.common
            try await me.input.withStaged(common) { staged in
                let (source, dynamo) = (staged.source, staged.dynamo)
                var allMatch = true
                for table in source.manifest.tables where me.table == nil || me.table == table.design.table {
                    let r = try await Validator(dynamo: dynamo, segments: me.segments).validate(table, from: source.parts, stop: stop, progress: common.sink())
                    allMatch = allMatch && r.isMatch
                    if common.isJSON { continue }
                    MigrationCLI.writeLine(1, "\(r.table): \(r.isMatch ? "OK" : "DIFFERENT") — \(r.targetItems) items in the table, \(r.expectedItems) staged; \(r.missingCount) missing, \(r.unexpectedCount) unexpected, \(r.differentCount) different"
                                               + (table.tokenRange.map { "; token share \($0): its items read back by key" } ?? "")
                                               + (r.roughBuckets > 0 ? "; \(r.roughBuckets) key buckets counted, not listed" : ""))
                    for k in r.missing { MigrationCLI.writeLine(1, "  missing    \(k)") }
                    for k in r.unexpected { MigrationCLI.writeLine(1, "  unexpected \(k)") }
                    for k in r.different { MigrationCLI.writeLine(1, "  different  \(k)") }
                }
                if !allMatch { throw ExitCode.failure }
            }
        }
    }
}
