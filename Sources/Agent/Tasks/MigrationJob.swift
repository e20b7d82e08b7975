import AWS
import DynamoMapping
import DynamoModel
import Foundation
import Migration
import SSTable

/// What every task runs: Migration's pipeline, the code `cass2dynamo extract` and `migrate` run.
/// A `staging` target stops after staging (``StagingRun``: DynamoDB import parts, `manifest.json`
/// and `mapping.yaml` in the task's staging folder, every part then re-read against the
/// manifest); a `dynamodb` target runs the whole of it (``MigrationRunner``: extract → S3 →
/// ImportTable or BatchWriteItem → validate) in `<task staging>/migration`. Resume, the time
/// TTLs are judged at and validation are the pipeline's, kept in that folder (manifest and
/// checkpoint), so a stopped, failed or interrupted task resumes where it was; the task's own
/// checkpoint only remembers the fetched node copies.
struct MigrationJob: PipelineJob {
    var roots: [String]
    var fetch: (@Sendable (JobContext) async throws -> [String])?
    var snapshot: String?
    var schemaFile: String?
    var schemaTable: String?
    var keyspaces: [String]
    var tables: [String]
    var tokenRange: TokenRange?
    var mapping: MappingFile?
    var tablePrefix: String?
    var rowsPerSecond: Double?
    /// Where a `dynamodb` target loads; nil for a `staging` target.
    var load: Load?

    /// The AWS side of a `dynamodb` target.
    struct Load: Sendable {
        var s3: S3Location
        var mode: LoadMode
        var maxWCU: Double?
        var createBucket: Bool
        /// Credentials (and what `aws` leaves open) come from here.
        var environment: AWSEnvironment
        /// Region, endpoint and profile from the agent's settings (the region maybe the task's allowed choice).
        var aws: AWSSettings
    }

    struct Checkpoint: Codable {
        var fetched: [String]?
    }

    static func text(_ checkpoint: Checkpoint) -> String {
        String(decoding: (try? JSONEncoder().encode(checkpoint)) ?? Data("{}".utf8), as: UTF8.self)
    }

    func run(_ context: JobContext) async throws {
        let saved = context.checkpoint.flatMap { try? JSONDecoder().decode(Checkpoint.self, from: Data($0.utf8)) }
        let roots = try await fetchedRoots(roots, fetch: fetch, done: saved?.fetched, context: context) { fetched in
            context.saveCheckpoint(Self.text(Checkpoint(fetched: fetched)))
        }
        try context.stop.check()
        let extract = try options(roots)
        let progress = TaskProgressSink(context: context).sink
        let summary: MigrationSummary
        if let load {
            summary = try await migrate(extract, load, staging: context.stagingDirectory + "/migration", stop: context.stop, progress: progress)
        } else {
            summary = try await StagingRun.run(extract, staging: context.stagingDirectory, check: true, stop: context.stop, progress: progress)
        }
        context.update { record in
            for i in record.stages.indices where record.stages[i].status == .running { record.stages[i].status = .done }
        }
        let report = summary.validations
        context.saveCheckpoint(Self.text(Checkpoint(fetched: fetch == nil ? nil : roots))) { $0.report = report }
        let differing = report.filter { !$0.isMatch }.map(\.table)
        guard differing.isEmpty else {
            let what = load == nil ? "the staged parts differ from the manifest" : "the DynamoDB tables differ from the staged items"
            throw AgentError("validation failed: \(what) (\(differing.joined(separator: ", "))); see the report and the task log")
        }
    }

    /// The extraction settings of the task, reading `roots`.
    func options(_ roots: [String]) throws -> ExtractOptions {
        var design = DesignOptions()
        design.tablePrefix = tablePrefix ?? ""
        var extract = ExtractOptions(sources: roots, schemaText: try schemaFile.map { try String(contentsOfFile: $0, encoding: .utf8) },
                                     schemaFileName: schemaFile ?? "", snapshot: snapshot, onlyTables: tables,
                                     mapping: mapping, mappingName: "the task's mapping", design: design)
        extract.onlyKeyspaces = keyspaces
        extract.tokenRange = tokenRange
        extract.table = schemaTable
        extract.tableOption = "source.schemaTable"
        extract.maxRowsPerSecond = rowsPerSecond
        return extract
    }

    /// The whole pipeline, with the agent's AWS settings.
    func migrate(_ extract: ExtractOptions, _ load: Load, staging: String, stop: StopSignal, progress: ProgressSink) async throws -> MigrationSummary {
        var batch = BatchLoadOptions()
        batch.maxWCU = load.maxWCU
        let options = MigrateOptions(extract: extract, staging: staging, s3: load.s3, mode: load.mode, batch: batch,
                                     importPollInterval: 5, createBucket: load.createBucket)
        let resolver = AWSConfigurationResolver(environment: load.environment, profile: load.aws.profile)
        let dynamo = try DynamoDBClient(resolver: resolver, region: load.aws.region, endpointURL: load.aws.endpointURL)
        let s3 = try S3Client(resolver: resolver, region: load.aws.region, endpointURL: load.aws.endpointURL)
        let result: Result<MigrationSummary, any Error>
        do {
            result = .success(try await MigrationRunner(dynamo: dynamo, s3: s3).run(options, stop: stop, progress: progress))
        } catch {
            result = .failure(error)
        }
        try? await dynamo.shutdown()
        try? await s3.shutdown()
        return try result.get()
    }
}
