import AWS
import ArgumentParser
import Dispatch
import DynamoMapping
import DynamoModel
import Foundation
import Migration
import SSTable

#if canImport(Glibc)
import Glibc
#endif

/// `--progress` styles.
enum ProgressStyle: String, ExpressibleByArgument, CaseIterable {
    case auto, json, bars, none
}

/// Options shared by the migration commands.
struct MigrationCommonOptions: ParsableArguments {
    @Option(help: "Progress output: json (one event per line on stdout), bars (on a terminal), none, or auto.")
    var progress: ProgressStyle = .auto

    @Option(help: "AWS region (else AWS_REGION, AWS_DEFAULT_REGION, the profile).")
    var region: String?

    @Option(name: .customLong("endpoint-url"), help: "Endpoint for DynamoDB and S3 (else AWS_ENDPOINT_URL*, the profile).")
    var endpointURL: String?

    var isJSON: Bool { progress == .json }

    /// The progress sink for this style.
    func sink() -> ProgressSink {
        switch progress {
        case .json:
            return ProgressSink { event in MigrationCLI.writeLine(1, event.jsonLine) }
        case .bars:
            return MigrationCLI.bars()
        case .auto:
            return isatty(2) != 0 ? MigrationCLI.bars() : .none
        case .none:
            return .none
        }
    }

    func dynamo() throws -> DynamoDBClient {
        try DynamoDBClient(resolver: AWSConfigurationResolver(), region: region, endpointURL: endpointURL)
    }

    func s3() throws -> S3Client {
        try S3Client(resolver: AWSConfigurationResolver(), region: region, endpointURL: endpointURL)
    }
}

/// Helpers of the migration commands: progress bars, Ctrl-C, summaries.
enum MigrationCLI {
    static func writeLine(_ fd: Int32, _ line: String) {
        let text = line + "\n"
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress!, $0.count - 1) }
    }

    /// A stop signal raised by Ctrl-C (SIGINT) or SIGTERM (the steps stop within a fraction of a
    /// second, keeping what they finished); a second Ctrl-C exits at once.
    static func stopOnInterrupt() -> StopSignal {
        let stop = StopSignal()
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        for number in [SIGINT, SIGTERM] {
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if stop.isStopped { _exit(130) }
                writeLine(2, "cass2dynamo: stopping; finished work is kept (Ctrl-C again to quit now)")
                stop.stop()
            }
            source.resume()
            sources.append(source)
        }
        return stop
    }
    nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []

    static func readSchema(_ path: String?) throws -> String? {
        guard let path else { return nil }
        do { return try readTextFile(path) } catch { throw CLIError("\(path): \(error)") }
    }

    /// The `--mapping` file, its name for the manifest, and the options of proposed designs.
    static func mapping(_ path: String?, tablePrefix: String) throws -> (MappingFile?, String, DesignOptions) {
        var design = DesignOptions()
        design.tablePrefix = tablePrefix
        guard let path else { return (nil, "proposed (cass2dynamo plan defaults)", design) }
        do { return (try MappingFile.parse(yaml: try readTextFile(path)), path, design) } catch { throw CLIError("\(path): \(error)") }
    }

    static func printSummary(_ summary: MigrationSummary, json: Bool) {
        if json {
            for table in summary.manifest.tables {
                let load = summary.loads.first { $0.table == table.design.table }
                let validation = summary.validations.first { $0.table == table.design.table }
                var counts = ["items": table.items, "rejected": table.rejectedCount, "parts": table.parts.count]
                if let load { counts["loaded"] = load.items }
                if let validation {
                    counts["missing"] = validation.missingCount
                    counts["unexpected"] = validation.unexpectedCount
                    counts["different"] = validation.differentCount
                }
                writeLine(1, ProgressEvent(phase: .migrate, kind: .summary, table: table.design.table, rows: table.rows,
                                           bytes: table.uncompressedBytes, message: validation.map { $0.isMatch ? "match" : "differences" },
                                           counts: counts).jsonLine)
            }
            return
        }
        writeLine(1, "table                          rows      items  rejected  parts   staged KiB  loaded  validated")
        for table in summary.manifest.tables {
            let load = summary.loads.first { $0.table == table.design.table }
            let validation = summary.validations.first { $0.table == table.design.table }
            func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
                s.count >= n ? s : (left ? s + String(repeating: " ", count: n - s.count) : String(repeating: " ", count: n - s.count) + s)
            }
            writeLine(1, pad(table.design.table, 26, left: true) + pad("\(table.rows)", 9) + pad("\(table.items)", 11)
                         + pad("\(table.rejectedCount)", 10) + pad("\(table.parts.count)", 7) + pad("\(table.uncompressedBytes / 1024)", 13)
                         + pad(load.map { "\($0.items)" } ?? "-", 8)
                         + pad(validation.map { $0.isMatch ? "ok" : "DIFF \($0.missingCount)/\($0.unexpectedCount)/\($0.differentCount)" } ?? "-", 11))
            // One line per kind of conversion issue: how many, and the first row it hit.
            for (kind, count) in table.issues.sorted(by: { $0.key < $1.key }) {
                let line = "    \(kind) × \(count)" + (table.issueSamples[kind]?.first.map { ", e.g. " + $0 } ?? "")
                writeLine(1, line.count > 160 ? String(line.prefix(157)) + "..." : line)
            }
        }
    }

    static func printPlan(_ summary: MigrationSummary, options: MigrateOptions) {
        let e = summary.estimate
        if !summary.planned.isEmpty {
            // Before staging: Statistics.db's estimates; parts go up while the tables are read.
            writeLine(1, "plan: \(summary.planned.count) tables, about \(e.items) items, about \(String(format: "%.3f", e.uncompressedGB)) GB of DynamoDB JSON (estimated from Statistics.db), staged in \(options.staging)")
            for table in summary.planned {
                let d = table.design
                writeLine(1, "  \(table.source) -> \(d.table)  key \(d.partitionKey.attribute) \(d.partitionKey.type)" + (d.sortKey.map { ", sort \($0.attribute) \($0.type)" } ?? "")
                             + (d.indexes.isEmpty ? "" : ", \(d.indexes.count) GSI") + (d.ttl.map { ", ttl \($0.attribute)" } ?? "")
                             + "  about \(table.cost.items) items")
            }
            writeLine(1, "then: extract, uploading each part to \(options.layout) as it is made"
                         + (options.maxLocalBytes.map { String(format: " (at most %.2f GB of parts kept locally)", Double($0) / 1e9) } ?? "")
                         + "; " + (options.stagesOnly ? "stop (cass2dynamo finish imports every share)" : "load by \(options.mode.rawValue), validate"))
            writeLine(1, String(format: "estimated cost (us-east-1 list prices): import $%.4f, or on-demand batch writes $%.4f (%d write units); storage $%.4f/month",
                                e.importUSD, e.batchOnDemandUSD, e.writeUnits, e.storageUSDPerMonth))
            return
        }
        writeLine(1, "plan: \(summary.manifest.tables.count) tables, \(e.items) items, \(String(format: "%.3f", e.uncompressedGB)) GB of DynamoDB JSON staged in \(options.staging)")
        for table in summary.manifest.tables {
            let d = table.design
            writeLine(1, "  \(table.source) -> \(d.table)  key \(d.partitionKey.attribute) \(d.partitionKey.type)" + (d.sortKey.map { ", sort \($0.attribute) \($0.type)" } ?? "")
                         + (d.indexes.isEmpty ? "" : ", \(d.indexes.count) GSI") + (d.ttl.map { ", ttl \($0.attribute)" } ?? "")
                         + "  \(table.items) items, \(table.rejectedCount) rejected")
        }
        writeLine(1, "then: upload to \(options.layout), " + (options.stagesOnly ? "stop (cass2dynamo finish imports every share)" : "load by \(options.mode.rawValue), validate"))
        writeLine(1, String(format: "estimated cost (us-east-1 list prices): import $%.4f, or on-demand batch writes $%.4f (%d write units); storage $%.4f/month",
                            e.importUSD, e.batchOnDemandUSD, e.writeUnits, e.storageUSDPerMonth))
    }
}

/// `cass2dynamo migrate`: extract → upload → load → validate in one resumable run.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Migrate Cassandra tables to DynamoDB: extract, stage, upload to S3, load (import or batch), validate.",
        discussion: """
            Resumable: run the same command again after a crash or Ctrl-C and it continues from \
            <staging>/checkpoint.json and the staging manifest. Endpoint, region and credentials come \
            from the standard AWS environment variables and profiles.
            """)

    @OptionGroup var input: ExtractArguments

    @Option(help: "Staging folder (parts, manifest, checkpoint).", completion: .directory)
    var staging: String

    @Option(help: ArgumentHelp("Where the parts go.", valueName: "s3://BUCKET/PREFIX"))
    var s3: String

    @Option(help: "import (ImportTable, new tables) or batch (BatchWriteItem).")
    var mode: LoadMode

    @OptionGroup var load: LoadOptions

    @Option(name: .customLong("token-share"), help: ArgumentHelp(
        "Migrate only share I of the token ring cut into N: N runs, on as many hosts, stage one table together (batch mode: and load it); then `cass2dynamo finish` checks every share, imports (import mode) and validates.",
        valueName: "I/N"), transform: TokenShare.parse)
    var tokenShare: TokenShare?

    @Option(name: .customLong("token-share-from-env"), help: ArgumentHelp(
        "--token-share from an indexed job's environment: the share is the variable's 0-based index + 1, of N (e.g. JOB_COMPLETION_INDEX/8 in a Kubernetes Indexed Job, AWS_BATCH_JOB_ARRAY_INDEX/8 in an AWS Batch array job).",
        valueName: "VARIABLE/N"))
    var tokenShareFromEnv: String?

    @Flag(name: .customLong("dry-run"), help: "Stop after staging; print the plan and a cost estimate.")
    var dryRun = false

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    @Flag(name: .customLong("create-bucket"), help: "Create the S3 bucket if it does not exist.")
    var createBucket = false

    @Flag(name: .customLong("no-validate"), help: "Skip the validation scan.")
    var noValidate = false

    @Option(name: .customLong("max-local-gb"), help: ArgumentHelp(
        "Keep at most this many GB of parts in the staging folder: parts stored intact in S3 are removed locally, and extraction waits for room.",
        valueName: "GB"))
    var maxLocalGB: Double?

    @OptionGroup var common: MigrationCommonOptions

    func validate() throws {
        try OptionCheck.s3Location(s3, "--s3")
        if tokenShare != nil && tokenShareFromEnv != nil {
            throw ValidationError("give --token-share or --token-share-from-env, not both")
        }
        if let tokenShareFromEnv { _ = try TokenShare.fromEnvironment(tokenShareFromEnv, ProcessInfo.processInfo.environment) }
        if let maxLocalGB, !(maxLocalGB > 0 && maxLocalGB < 1e6) { throw ValidationError("--max-local-gb must be more than 0 (GB), e.g. 50") }
    }

    func run() async throws {
        let location = try S3Location(url: s3)
        var extract = try input.options()
        SourceStores.prepare(extract.sources, region: common.region, endpointURL: common.endpointURL)
        extract.tokenRange = try tokenShare?.range
            ?? tokenShareFromEnv.map { try TokenShare.fromEnvironment($0, ProcessInfo.processInfo.environment).range }
        let options = MigrateOptions(
            extract: extract,
            staging: staging, s3: location, mode: mode,
            batch: load.batch, importPollInterval: load.importPoll,
            validate: !noValidate, dryRun: dryRun, createBucket: createBucket, maxLocalBytes: maxLocalGB.map { Int($0 * 1e9) })
        let common = self.common
        let yes = self.yes
        let stop = MigrationCLI.stopOnInterrupt()
        try await reportingErrors {
            let dynamo = try common.dynamo()
            let s3 = try common.s3()
            let summary = try await shuttingDown([dynamo, s3]) {
                try await MigrationRunner(dynamo: dynamo, s3: s3).run(options, stop: stop, progress: common.sink()) { summary in
                    if yes { return true }
                    MigrationCLI.printPlan(summary, options: options)
                    guard isatty(0) != 0 else {
                        MigrationCLI.writeLine(2, "cass2dynamo: not a terminal: pass --yes to proceed without confirmation")
                        return false
                    }
                    MigrationCLI.writeLine(2, "proceed? [y/N] ")
                    let answer = readLine()?.lowercased() ?? ""
                    return answer == "y" || answer == "yes"
                }
            }
            if options.dryRun {
                MigrationCLI.printPlan(summary, options: options)
                return
            }
            MigrationCLI.printSummary(summary, json: common.isJSON)
            if summary.validations.contains(where: { !$0.isMatch }) {
                for v in summary.validations where !v.isMatch {
                    printError("\(v.table): \(v.targetItems) items in the table, \(v.expectedItems) staged; missing \(v.missing.prefix(5)), unexpected \(v.unexpected.prefix(5)), different \(v.different.prefix(5))")
                }
                throw ExitCode.failure
            }
            if options.stagesOnly, !common.isJSON {
                MigrationCLI.writeLine(1, "staged share \(options.layout.share ?? ""): extract and upload \(Int(summary.uploadSeconds * 1000)) ms, \(summary.upload?.uploaded ?? 0) parts sent, \(summary.upload?.skipped ?? 0) already in S3; manifest \(options.layout.url(ofKey: options.layout.manifestKey)); once every share is staged: cass2dynamo finish --s3 \(options.s3) --mode import")
            } else if !common.isJSON {
                MigrationCLI.writeLine(1, "done: extract \(Int(summary.extractSeconds * 1000)) ms, upload \(Int(summary.uploadSeconds * 1000)) ms (from the extraction's start), load \(Int(summary.loadSeconds * 1000)) ms, validate \(Int(summary.validateSeconds * 1000)) ms; staged data in \(options.staging), parts in \(options.layout)")
            }
        }
    }
}
