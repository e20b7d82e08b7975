import AWS
import Migration

/// What `load` and `validate` work on: the staged data (a local folder, locked while they run,
/// or an S3 prefix) and the AWS clients, shut down when done.
struct StagedCommandContext {
    var source: StagedSource
    var dynamo: DynamoDBClient
    var s3: S3Client
    /// The local staging folder holding the checkpoint, if the data is local.
    var checkpointFolder: String?
    /// Where the data was named: the folder or the `s3://` prefix.
    var location: String
}

extension StagedInputOptions {
    /// Opens the clients of `common` and the staged data, runs `body`, then shuts the clients down.
    func withStaged(_ common: MigrationCommonOptions, _ body: (StagedCommandContext) async throws -> Void) async throws {
        let dynamo = try common.dynamo()
        let s3 = try common.s3()
        try await shuttingDown([dynamo, s3]) {
            let input = try resolved()
            let source = try await StagedSource.open(input.source, fromS3: input.fromS3, s3: s3)
            let lock = try input.checkpointFolder.map { try StagingLock(folder: $0) }
            defer { withExtendedLifetime(lock) {} }
            try await body(StagedCommandContext(source: source, dynamo: dynamo, s3: s3, checkpointFolder: input.checkpointFolder,
                                                location: input.source))
        }
    }
}
