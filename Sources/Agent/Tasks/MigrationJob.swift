import AWS
import DynamoMapping
import DynamoModel
import Foundation
import Migration
import SSTable

/// A task with a `dynamodb` target: the whole pipeline (extract → stage → S3 → ImportTable or
/// BatchWriteItem → validate) run by ``MigrationRunner`` in `<task staging>/migration`. The
/// runner's manifest and checkpoint live there, so a stopped, failed or interrupted task resumes
/// where it was; the task's own checkpoint only remembers the fetched node copies.
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
    var target: TaskTarget
    var s3: S3Location
    var mode: LoadMode
    /// Credentials (and what `aws` leaves open) come from here.
    var environment: AWSEnvironment
    /// Region, endpoint and profile from the agent's settings (the region maybe the task's allowed choice).
    var aws: AWSSettings

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
        if context.shouldStop { throw JobStopped() }
        var design = DesignOptions()
        design.tablePrefix = target.tablePrefix ?? ""
        var extract = ExtractOptions(sources: roots, schemaText: try schemaFile.map { try String(contentsOfFile: $0, encoding: .utf8) },
                                     schemaFileName: schemaFile ?? "", snapshot: snapshot, onlyTables: tables,
                                     mapping: mapping, mappingName: "the task's mapping", design: design)
        extract.onlyKeyspaces = keyspaces
        extract.tokenRange = tokenRange
        extract.table = schemaTable
        extract.tableOption = "source.schemaTable"
        var batch = BatchLoadOptions()
        batch.maxWCU = target.maxWCU
        let options = MigrateOptions(extract: extract, staging: context.stagingDirectory + "/migration", s3: s3, mode: mode, batch: batch,
                                     importPollInterval: 5, createBucket: target.createBucket ?? false)
        let resolver = AWSConfigurationResolver(environment: environment, profile: aws.profile)
        let dynamo = try DynamoDBClient(resolver: resolver, region: aws.region, endpointURL: aws.endpointURL)
        let s3Client = try S3Client(resolver: resolver, region: aws.region, endpointURL: aws.endpointURL)
        let stop = StopSignal()
        let watcher = Task {
            while !Task.isCancelled && !stop.isStopped {
                if context.shouldStop { stop.stop() }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        defer { watcher.cancel() }
        let progress = TaskProgressSink(context: context)
        let result: Result<MigrationSummary, any Error>
        do {
            result = .success(try await MigrationRunner(dynamo: dynamo, s3: s3Client).run(options, stop: stop, progress: progress.sink))
        } catch {
            result = .failure(error)
        }
        try? await dynamo.shutdown()
        try? await s3Client.shutdown()
        let summary: MigrationSummary
        do { summary = try result.get() } catch is Stopped { throw JobStopped() }
        context.update { record in
            for i in record.stages.indices where record.stages[i].status == .running { record.stages[i].status = .done }
        }
        let report = ValidationReport(tables: summary.manifest.tables.map { table in
            let check = summary.validations.first { $0.table == table.design.table }
            return ValidationReport.Table(table: table.design.table, sourceRows: Int64(table.rows), targetRows: Int64(check?.targetItems ?? 0),
                                          checksum: nil, ok: check?.isMatch ?? false)
        })
        context.saveCheckpoint(Self.text(Checkpoint(fetched: fetch == nil ? nil : roots))) { $0.report = report }
        if !report.ok { throw AgentError("validation failed: the DynamoDB tables differ from the staged items (see the task log)") }
    }
}
