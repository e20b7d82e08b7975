import JSONCoding
import DynamoModel

/// Parameters of ImportTable (a new table loaded from S3 objects).
public struct ImportTableInput: Sendable, Hashable {
    /// The format of the S3 objects.
    public enum InputFormat: String, Sendable, Hashable {
        /// One `{"Item":{…}}` per line.
        case dynamoDBJSON = "DYNAMODB_JSON"
        /// Amazon Ion.
        case ion = "ION"
        /// CSV.
        case csv = "CSV"
    }

    /// Compression of the S3 objects.
    public enum Compression: String, Sendable, Hashable {
        /// gzip.
        case gzip = "GZIP"
        /// zstd.
        case zstd = "ZSTD"
        /// None.
        case none = "NONE"
    }

    /// Idempotency token (same token + same parameters within 8 h returns the same import).
    public var clientToken: String?
    /// The bucket.
    public var bucket: String
    /// The key prefix; every object under it is imported.
    public var keyPrefix: String
    /// The bucket owner's 12-digit account id, when the bucket is in another account.
    public var bucketOwner: String?
    /// Object format.
    public var inputFormat: InputFormat
    /// Object compression.
    public var compression: Compression
    /// The table to create (no LSIs, tags or TTL: set those after the import).
    public var table: TableDefinition

    /// Creates import parameters.
    public init(clientToken: String? = nil, bucket: String, keyPrefix: String, bucketOwner: String? = nil,
                inputFormat: InputFormat = .dynamoDBJSON, compression: Compression = .gzip, table: TableDefinition) {
        self.clientToken = clientToken
        self.bucket = bucket
        self.keyPrefix = keyPrefix
        self.bucketOwner = bucketOwner
        self.inputFormat = inputFormat
        self.compression = compression
        self.table = table
    }
}

/// The state of an import, from ImportTable or DescribeImport.
public struct ImportDescription: Sendable, Hashable {
    /// The import ARN.
    public var importArn: String
    /// IN_PROGRESS, COMPLETED, CANCELLING, CANCELLED or FAILED.
    public var status: String
    /// The ARN of the table being created.
    public var tableArn: String?
    /// Items that failed validation.
    public var errorCount: Int64
    /// Items read.
    public var processedItemCount: Int64
    /// Items written to the table.
    public var importedItemCount: Int64
    /// Bytes read (unreliable on some local endpoints).
    public var processedSizeBytes: Int64?
    /// Failure code, for FAILED imports.
    public var failureCode: String?
    /// Failure message, for FAILED imports.
    public var failureMessage: String?

    /// True when the import has finished (COMPLETED, FAILED or CANCELLED).
    public var isFinished: Bool {
        ["COMPLETED", "FAILED", "CANCELLED"].contains(status)
    }

    init?(json: JSONValue) {
        guard let arn = json["ImportArn"]?.stringValue else { return nil }
        importArn = arn
        status = json["ImportStatus"]?.stringValue ?? "UNKNOWN"
        tableArn = json["TableArn"]?.stringValue
        errorCount = json["ErrorCount"]?.int64Value ?? 0
        processedItemCount = json["ProcessedItemCount"]?.int64Value ?? 0
        importedItemCount = json["ImportedItemCount"]?.int64Value ?? 0
        processedSizeBytes = json["ProcessedSizeBytes"]?.int64Value
        failureCode = json["FailureCode"]?.stringValue
        failureMessage = json["FailureMessage"]?.stringValue
    }
}

extension DynamoDBClient {
    /// ImportTable: starts creating a table from S3 objects.
    public func importTable(_ input: ImportTableInput) async throws -> ImportDescription {
        var source: [JSONMember] = [JSONMember("S3Bucket", .string(input.bucket)), JSONMember("S3KeyPrefix", .string(input.keyPrefix))]
        if let owner = input.bucketOwner { source.append(JSONMember("S3BucketOwner", .string(owner))) }
        var members: [JSONMember] = [
            JSONMember("S3BucketSource", .object(source)),
            JSONMember("InputFormat", .string(input.inputFormat.rawValue)),
            JSONMember("InputCompressionType", .string(input.compression.rawValue)),
            JSONMember("TableCreationParameters", .object(input.table.jsonMembers)),
        ]
        if let token = input.clientToken { members.insert(JSONMember("ClientToken", .string(token)), at: 0) }
        let response = try await call("ImportTable", members)
        guard let description = response["ImportTableDescription"].flatMap(ImportDescription.init(json:)) else {
            throw invalidResponse("ImportTable", "missing ImportTableDescription")
        }
        return description
    }

    /// DescribeImport.
    public func describeImport(importArn: String) async throws -> ImportDescription {
        let response = try await call("DescribeImport", [JSONMember("ImportArn", .string(importArn))])
        guard let description = response["ImportTableDescription"].flatMap(ImportDescription.init(json:)) else {
            throw invalidResponse("DescribeImport", "missing ImportTableDescription")
        }
        return description
    }

    /// Polls DescribeImport until the import finishes, or throws `deadlineExceeded` after `timeout` seconds.
    public func waitForImport(importArn: String, pollInterval: Double = 10, timeout: Double = 86_400) async throws -> ImportDescription {
        let deadline = MonotonicClock.now() + timeout
        while true {
            let description = try await describeImport(importArn: importArn)
            if description.isFinished { return description }
            guard MonotonicClock.now() + pollInterval <= deadline else {
                throw AWSError(kind: .deadlineExceeded, service: "dynamodb", operation: "DescribeImport",
                               message: "import \(importArn) still \(description.status) after \(timeout) s")
            }
            try await Task.sleep(for: .milliseconds(Int64(pollInterval * 1000)))
        }
    }
}
