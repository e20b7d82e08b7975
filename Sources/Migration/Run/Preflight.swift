import AWS
import DynamoMapping
import DynamoModel
import SSTable

/// Checks made before any SSTable is read, so that a run does not fail on them after hours of
/// extraction: the DynamoDB table names the designs give, the S3 bucket (reachable, credentials
/// accepted, exists) and the DynamoDB endpoint (reachable, credentials accepted).
public enum Preflight {
    /// Every check of a migration run; the AWS ones unless `dryRun` (which writes nothing to AWS).
    public static func check(_ options: MigrateOptions, dynamo: DynamoDBClient, s3: S3Client) async throws {
        // Off Swift's concurrency threads: discovery in S3 (`--source s3://…`) waits for its requests.
        let extract = options.extract
        let names = try await onOwnThread { try tableNames(extract) }
        guard !options.dryRun else { return }
        try await checkBucket(options.s3, s3: s3, createBucket: options.createBucket)
        if let table = names.first { try await checkDynamoDB(table: table, dynamo: dynamo) }
    }

    /// The DynamoDB tables a run would write, each a valid name and no two the same. Reads the
    /// schemas (the `--schema` file, `schema.cql`, the node's `system_schema`), not the data.
    public static func tableNames(_ options: ExtractOptions) throws -> [String] {
        let extractor = Extractor(options: options)
        var sources: [String: String] = [:]
        var names: [String] = []
        for job in try extractor.jobs() {
            // Without a schema, the SSTable header gives one later, of the same table name.
            let name = try job.schema.map { try extractor.design(for: $0, declared: job.declared).table }
                ?? options.design.tablePrefix + (options.mapping?.design(for: job.name)?.table ?? job.location.table)
            try checkTableName(name, source: job.name)
            if let other = sources[name] {
                throw StagingError("\(other) and \(job.name) would both be loaded into the DynamoDB table \(name): give one of them another name in the mapping file")
            }
            sources[name] = job.name
            names.append(name)
        }
        return names
    }

    /// Throws unless `name` is a valid DynamoDB table name.
    public static func checkTableName(_ name: String, source: String) throws {
        guard !DynamoDBTableName.isValid(name) else { return }
        throw StagingError("\(source): the DynamoDB table name '\(name)' (--table-prefix + the CQL or the mapping's table name) is invalid: \(DynamoDBTableName.rule)")
    }

    /// HeadBucket: the S3 endpoint answers, accepts the credentials, and the bucket exists (or is
    /// to be created, with `createBucket`).
    public static func checkBucket(_ location: S3Location, s3: S3Client, createBucket: Bool) async throws {
        let endpoint = s3.transport.endpoint
        do {
            try await probing(s3.transport) { try await S3Client(transport: $0, forcePathStyle: s3.forcePathStyle).headBucket(location.bucket) }
        } catch let error as AWSError where error.httpStatus == 404 {
            guard createBucket else {
                throw StagingError("\(location): the bucket \(location.bucket) does not exist (create it, or pass --create-bucket)")
            }
        } catch let error as AWSError where error.httpStatus == 403 {
            throw StagingError("\(location): access to the bucket \(location.bucket) is denied: check the credentials and the bucket's policy")
        } catch let error as AWSError where error.httpStatus == 301 {
            throw StagingError("\(location): the bucket \(location.bucket) is in another region than \(s3.region): pass its region with --region")
        } catch let error as AWSError where error.kind == .transport {
            throw StagingError("cannot reach S3 at \(endpoint) (check --endpoint-url, AWS_ENDPOINT_URL and the network): \(error.message)")
        }
    }

    /// DescribeTable of `table` (found or not): the DynamoDB endpoint answers and accepts the credentials.
    public static func checkDynamoDB(table: String, dynamo: DynamoDBClient) async throws {
        let endpoint = dynamo.transport.endpoint
        do {
            _ = try await probing(dynamo.transport) { try await DynamoDBClient(transport: $0).describeTable(table) }
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            return
        } catch let error as AWSError where error.kind == .transport {
            throw StagingError("cannot reach DynamoDB at \(endpoint) (check --endpoint-url, AWS_ENDPOINT_URL and the network): \(error.message)")
        } catch let error as AWSError where error.kind == .service {
            throw StagingError("DynamoDB at \(endpoint) refuses DescribeTable \(table): \(error.code ?? "HTTP \(error.httpStatus ?? 0)"): \(error.message)")
        }
    }

    /// Runs `body` with a transport to `transport`'s endpoint and credentials made for one quick
    /// probe (``TransportConfiguration/probe``): an endpoint nobody listens on fails in a second,
    /// not after the bulk settings' retries (8 attempts of up to 10 s of connecting each).
    static func probing<T: Sendable>(_ transport: AWSTransport, _ body: (AWSTransport) async throws -> T) async throws -> T {
        let probe = AWSTransport(endpoint: transport.endpoint, region: transport.region, service: transport.service,
                                 credentials: transport.credentialProvider, configuration: .probe)
        let result: Result<T, any Error>
        do { result = .success(try await body(probe)) } catch { result = .failure(error) }
        try? await probe.shutdown()
        return try result.get()
    }
}
