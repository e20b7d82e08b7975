import AWS
import DynamoMapping
import DynamoModel
import Foundation
import NIOCore

/// Settings of `cass2dynamo finish`.
public struct FinishOptions: Sendable {
    /// `s3://BUCKET/PREFIX` the shares' migrate runs were given.
    public var root: S3Location
    /// N, the number of shares.
    public var shares: Int
    public var mode: LoadMode
    public var importPollInterval: Double
    /// The mapping the shares are expected to have been staged with, and its name for errors.
    public var mapping: MappingFile?
    public var mappingName: String
    /// The `--table-prefix` they are expected to have been staged with; nil: not checked.
    public var tablePrefix: String?

    public init(root: S3Location, shares: Int, mode: LoadMode, importPollInterval: Double = 10, mapping: MappingFile? = nil,
                mappingName: String = "", tablePrefix: String? = nil) {
        self.root = root
        self.shares = shares
        self.mode = mode
        self.importPollInterval = importPollInterval
        self.mapping = mapping
        self.mappingName = mappingName
        self.tablePrefix = tablePrefix
    }
}

/// What `finish` did, per whole table.
public struct FinishSummary: Sendable {
    public var tables: [StagedTable]
    public var loads: [LoadReport] = []
    public var validations: [ValidationReport] = []
    public var checkSeconds = 0.0
    public var loadSeconds = 0.0
    public var validateSeconds = 0.0
}

/// The end of a run split into token-range shares over several workers (`cass2dynamo finish`):
/// checks every share is in S3 intact and staged alike (``ShareSet``), then, in import mode, one
/// ImportTable per table from its prefix holding every share's parts (within ImportTable's
/// quotas, into tables that do not exist yet), and validates each whole table against the union
/// of the shares' parts. Nothing is imported unless every check passes.
public struct FinishRun: Sendable {
    public let dynamo: DynamoDBClient
    public let s3: S3Client

    public init(dynamo: DynamoDBClient, s3: S3Client) {
        self.dynamo = dynamo
        self.s3 = s3
    }

    /// Checks, imports (import mode) and validates. `confirm` is asked, with the checked tables,
    /// before the first ImportTable; returning false stops there.
    public func run(_ options: FinishOptions, stop: StopSignal = StopSignal(), progress: ProgressSink = .none,
                    confirm: @Sendable ([StagedTable]) async -> Bool = { _ in true }) async throws -> FinishSummary {
        var clock = Date()
        func lap() -> Double {
            defer { clock = Date() }
            return Date().timeIntervalSince(clock)
        }
        try await Preflight.checkBucket(options.root, s3: s3, createBucket: false)
        let set = try await ShareSet.load(root: options.root, count: options.shares, s3: s3)
        try set.checkDesigns(mapping: options.mapping, mappingName: options.mappingName, tablePrefix: options.tablePrefix)
        for table in set.tables { try Preflight.checkTableName(table.design.table, source: table.source) }
        try await set.checkObjects(s3: s3)
        if let first = set.tables.first { try await Preflight.checkDynamoDB(table: first.design.table, dynamo: dynamo) }
        let layout = S3Layout(root: options.root)
        // Imports an earlier finish started (its machine may be gone): waited for, not started again.
        var imports = options.mode == .import ? try await startedImports(layout) : [:]
        if options.mode == .import {
            for table in set.tables where imports[table.design.table] == nil {
                if let problem = Importer.quotaProblem(table, region: dynamo.transport.region) { throw StagingError(problem) }
                try await checkAbsent(table.design.table)
            }
        }
        var summary = FinishSummary(tables: set.tables)
        summary.checkSeconds = lap()
        if options.mode == .import {
            if imports.isEmpty { guard await confirm(set.tables) else { throw StagingError("not confirmed; nothing was imported") } }
            let checkpoint = CheckpointStore(memoryOnly: ())
            try checkpoint.update { checkpoint in
                for (table, arn) in imports { checkpoint.imports[table] = Checkpoint.ImportState(importArn: arn, status: "IN_PROGRESS") }
            }
            let importer = Importer(dynamo: dynamo, layout: layout, pollInterval: options.importPollInterval)
            for table in set.tables {
                let name = table.design.table
                summary.loads.append(try await importer.importTable(table, checkpoint: checkpoint, stop: stop, progress: progress) { arn in
                    imports[name] = arn
                    try await recordImports(imports, layout)
                })
            }
            summary.loadSeconds = lap()
        }
        let validator = Validator(dynamo: dynamo)
        for table in set.tables {
            try stop.check()
            summary.validations.append(try await validator.validate(table, from: .s3(s3, layout), stop: stop, progress: progress))
        }
        summary.validateSeconds = lap()
        return summary
    }

    /// The imports an earlier `finish` of this prefix started, by table (none when it never ran).
    func startedImports(_ layout: S3Layout) async throws -> [String: String] {
        let body: ByteBuffer
        do {
            body = try await s3.getObject(bucket: layout.bucket, key: layout.finishImportsKey, maxBytes: 1 << 20).body
        } catch let error as AWSError where error.httpStatus == 404 {
            return [:]
        }
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(body.readableBytesView))
        } catch {
            throw StagingError("\(layout.url(ofKey: layout.finishImportsKey)): not a record of imports (\((error as? DecodingError)?.userMessage ?? "\(error)")); delete it if no import of these tables is running")
        }
    }

    /// Keeps `imports` in S3 beside the shares, before any wait for them.
    func recordImports(_ imports: [String: String], _ layout: S3Layout) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try await s3.putObject(bucket: layout.bucket, key: layout.finishImportsKey, body: ByteBuffer(bytes: try encoder.encode(imports)),
                               contentType: "application/json")
    }

    /// Throws when `table` exists: ImportTable creates new tables only.
    func checkAbsent(_ table: String) async throws {
        do {
            _ = try await dynamo.describeTable(table)
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            return
        }
        throw StagingError("\(table): the DynamoDB table exists already, and ImportTable creates new tables only: delete it, or check it with cass2dynamo finish --mode batch (which only validates)")
    }
}
