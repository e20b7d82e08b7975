import ArgumentParser
import DynamoMapping
import DynamoModel
import Foundation
import Migration

#if canImport(Glibc)
import Glibc
#endif

/// `cass2dynamo finish`: the end of a run split into token-range shares over several workers.
struct Finish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "After `migrate --token-share I/N` ran for every share: check all N shares in S3, import each table once (import mode), validate each whole table.",
        discussion: """
            Reads PREFIX/shares/I-of-N/manifest.json for I = 1…N and checks every part under \
            PREFIX/tables/<table>/data/I-of-N/ against it (size and ETag); a missing or damaged share \
            is an error naming it, and nothing is imported. Import mode: one ImportTable per table from \
            PREFIX/tables/<table>/data/ (every share's parts), within ImportTable's quotas, into a table \
            that does not exist yet. Batch mode: the shares loaded their rows already; finish validates. \
            Each whole table is compared with the union of the shares' parts. --mapping and \
            --table-prefix only cross-check what the shares staged.
            """)

    @Option(help: ArgumentHelp("The --s3 the shares' migrate runs were given.", valueName: "s3://BUCKET/PREFIX"))
    var s3: String

    @Option(parsing: .unconditional, help: ArgumentHelp("N, the number of shares (the N of --token-share I/N).", valueName: "N"))
    var shares: Int

    @Option(help: "import (one ImportTable per table, then validate) or batch (the shares loaded the rows: validate).")
    var mode: LoadMode

    @Option(help: ArgumentHelp("Check the shares were staged with this mapping file.", valueName: "mapping.yaml"), completion: .file())
    var mapping: String?

    @Option(name: .customLong("table-prefix"), help: "Check the shares were staged with this --table-prefix.")
    var tablePrefix: String?

    @Option(name: .customLong("import-poll"), parsing: .unconditional, help: "Seconds between DescribeImport polls.")
    var importPoll: Double = 10

    @Flag(help: "Do not ask for confirmation before importing.")
    var yes = false

    @OptionGroup var common: MigrationCommonOptions

    func validate() throws {
        try OptionCheck.s3Location(s3, "--s3")
        try OptionCheck.whole(shares, "--shares", 1...(1 << 20))
        try tablePrefix.map { try OptionCheck.tablePrefix($0) }
        try OptionCheck.number(importPoll, "--import-poll", "a number of seconds", above: 0, atMost: 3600)
    }

    func run() async throws {
        let (mappingFile, mappingName, _) = try MigrationCLI.mapping(mapping, tablePrefix: tablePrefix ?? "")
        let options = FinishOptions(root: try S3Location(url: s3), shares: shares, mode: mode, importPollInterval: importPoll,
                                    mapping: mappingFile, mappingName: mappingName, tablePrefix: tablePrefix)
        let (common, yes) = (self.common, self.yes)
        let stop = MigrationCLI.stopOnInterrupt()
        try await reportingErrors {
            let dynamo = try common.dynamo()
            let s3 = try common.s3()
            let started = Date()
            let summary = try await shuttingDown([dynamo, s3]) {
                try await FinishRun(dynamo: dynamo, s3: s3).run(options, stop: stop, progress: common.sink()) { tables in
                    if yes { return true }
                    for t in tables {
                        MigrationCLI.writeLine(1, "import \(t.design.table): \(t.items) items in \(t.parts.count) parts of \(options.shares) shares (\(t.bytes) bytes) from \(options.root)/tables/\(t.design.table)/data/")
                    }
                    guard isatty(0) != 0 else {
                        MigrationCLI.writeLine(2, "cass2dynamo: not a terminal: pass --yes to import without confirmation")
                        return false
                    }
                    MigrationCLI.writeLine(2, "proceed? [y/N] ")
                    let answer = readLine()?.lowercased() ?? ""
                    return answer == "y" || answer == "yes"
                }
            }
            for v in summary.validations {
                let load = summary.loads.first { $0.table == v.table }
                if common.isJSON {
                    MigrationCLI.writeLine(1, ProgressEvent(phase: .migrate, kind: .summary, table: v.table, message: v.isMatch ? "match" : "differences",
                                                            counts: ["items": v.targetItems, "expected": v.expectedItems, "imported": load?.items ?? 0,
                                                                     "missing": v.missingCount, "unexpected": v.unexpectedCount,
                                                                     "different": v.differentCount]).jsonLine)
                } else {
                    MigrationCLI.writeLine(1, "\(v.table): \(v.isMatch ? "OK" : "DIFFERENT") — \(v.targetItems) items in the table, \(v.expectedItems) staged by \(options.shares) shares"
                                              + (load.map { ", \($0.items) imported" } ?? "")
                                              + "; \(v.missingCount) missing, \(v.unexpectedCount) unexpected, \(v.differentCount) different")
                }
            }
            if let different = summary.validations.first(where: { !$0.isMatch }) {
                printError("\(different.table): the table differs from the shares' parts; missing \(different.missing.prefix(5)), unexpected \(different.unexpected.prefix(5)), different \(different.different.prefix(5))")
                throw ExitCode.failure
            }
            if !common.isJSON {
                MigrationCLI.writeLine(1, "done: check \(Int(summary.checkSeconds * 1000)) ms, import \(Int(summary.loadSeconds * 1000)) ms, validate \(Int(summary.validateSeconds * 1000)) ms, total \(Int(Date().timeIntervalSince(started) * 1000)) ms")
            }
        }
    }
}
