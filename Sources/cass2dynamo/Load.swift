import AWS
import ArgumentParser
import DynamoMapping
import DynamoModel
import Foundation
import Migration
import NIOCore

/// Where `load` and `validate` read staged data from.
struct StagedSource {
    var manifest: Manifest
    var parts: PartSource

    /// `from` is a staging folder or `s3://bucket/prefix` (with its manifest.json).
    static func open(_ from: String, fromS3: Bool, s3: @autoclosure () throws -> S3Client) async throws -> StagedSource {
        if fromS3 {
            let location = try S3Location(url: from)
            let client = try s3()
            let layout = S3Layout(root: location)
            let (body, _) = try await client.getObject(bucket: location.bucket, key: layout.manifestKey)
            let manifest = try Manifest.decode(bytes: Array(body.readableBytesView), name: layout.url(ofKey: layout.manifestKey))
            return StagedSource(manifest: manifest, parts: .s3(client, layout))
        }
        let manifest = try Manifest.load(staging: from)
        guard !manifest.tables.isEmpty else { throw CLIError("\(from): nothing staged (no manifest.json)") }
        return StagedSource(manifest: manifest, parts: .local(staging: from))
    }
}

/// `cass2dynamo load`: staged items → DynamoDB.
struct Load: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load staged items into DynamoDB by ImportTable (import) or BatchWriteItem (batch).",
        discussion: """
            import: creates each table by ImportTable from the S3 prefix the parts were uploaded to, \
            waits, checks the imported count against the manifest, then applies TTL. batch: creates \
            the table if missing (or checks it matches the design), then writes with parallel \
            BatchWriteItem under --max-wcu. Resumable through <staging>/checkpoint.json.
            """)

    @OptionGroup var input: StagedInputOptions

    @Option(help: "import or batch.")
    var mode: LoadMode

    @Option(help: ArgumentHelp("Import mode from a staging folder: the S3 prefix the parts were uploaded to.", valueName: "s3://BUCKET/PREFIX"))
    var s3: String?

    @OptionGroup var load: LoadOptions

    @OptionGroup var common: MigrationCommonOptions

    func validate() throws {
        if try mode == .import && !input.resolved().fromS3 && s3 == nil {
            throw ValidationError("import mode reads from S3: give --from s3://... or --s3 s3://... (where `upload` put the parts)")
        }
        try s3.map { try OptionCheck.s3Location($0, "--s3") }
    }

    func run() async throws {
        let me = self
        let stop = MigrationCLI.stopOnInterrupt()
        try await reportingErrors {
            let common = me.common
            try await me.input.withStaged(common) { staged in
                let (source, dynamo, s3) = (staged.source, staged.dynamo, staged.s3)
                let checkpoint = try staged.checkpointFolder.map { try CheckpointStore(staging: $0) } ?? CheckpointStore(memoryOnly: ())
                try checkpoint.adopt(source.manifest)
                for table in source.manifest.tables { try Preflight.checkTableName(table.design.table, source: table.source) }
                if let first = source.manifest.tables.first { try await Preflight.checkDynamoDB(table: first.design.table, dynamo: dynamo) }
                var reports: [LoadReport] = []
                switch me.mode {
                case .batch:
                    let budget = WriteBudget(maxWCU: me.load.maxWCU)
                    for table in source.manifest.tables {
                        reports.append(try await Loader(dynamo: dynamo).loadBatch(
                            table, from: source.parts, options: me.load.batch,
                            budget: budget, checkpoint: checkpoint, stop: stop, progress: common.sink()))
                    }
                case .import:
                    let location = try me.s3.map { try S3Location(url: $0) } ?? S3Location(url: staged.location)
                    try await Preflight.checkBucket(location, s3: s3, createBucket: false)
                    for table in source.manifest.tables {
                        reports.append(try await Importer(dynamo: dynamo, layout: S3Layout(root: location), pollInterval: me.load.importPoll)
                            .importTable(table, checkpoint: checkpoint, stop: stop, progress: common.sink()))
                    }
                }
                if !common.isJSON {
                    for r in reports {
                        MigrationCLI.writeLine(1, "\(r.table): \(r.items) items" + (r.importErrors.map { ", \($0) import errors" } ?? "")
                            + ", \(r.partsLoaded) parts loaded, \(r.partsSkipped) already done, \(r.calls) calls, \(r.throttledResends) throttled, \(r.unprocessedResends) unprocessed re-sends, \(String(format: "%.2f", r.seconds)) s")
                    }
                }
            }
        }
    }
}
