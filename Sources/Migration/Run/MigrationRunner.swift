import AWS
import DynamoMapping
import DynamoModel
import Foundation
import SSTable

/// How staged items get into DynamoDB. Decoding another name lists the allowed ones.
public enum LoadMode: String, Sendable, Codable, ChoiceValue {
    /// ImportTable from S3 (new tables only; no write capacity used).
    case `import`
    /// Parallel BatchWriteItem (new or existing tables).
    case batch
}

/// A rough cost of loading the staged data (us-east-1 list prices; check current pricing).
public struct CostEstimate: Sendable, Hashable {
    public var items: Int
    public var uncompressedGB: Double
    /// Write request units an on-demand batch load uses (1 per started KB per item).
    public var writeUnits: Int
    public var importUSD: Double
    public var batchOnDemandUSD: Double
    public var storageUSDPerMonth: Double

    public static let importPerGB = 0.15
    public static let onDemandPerMillionWrites = 0.625
    public static let storagePerGBMonth = 0.25

    public init(_ manifest: Manifest) {
        items = manifest.items
        uncompressedGB = Double(manifest.uncompressedBytes) / 1e9
        var units = 0
        for table in manifest.tables {
            for part in table.parts where part.items > 0 {
                let average = Double(part.uncompressedBytes) / Double(part.items)
                units += part.items * max(1, Int((average / 1024).rounded(.up)))
            }
        }
        writeUnits = units
        importUSD = uncompressedGB * Self.importPerGB
        batchOnDemandUSD = Double(units) / 1e6 * Self.onDemandPerMillionWrites
        storageUSDPerMonth = uncompressedGB * Self.storagePerGBMonth
    }
}

/// Settings of a whole migration run.
public struct MigrateOptions: Sendable {
    public var extract: ExtractOptions
    public var staging: String
    public var s3: S3Location
    public var mode: LoadMode
    public var batch: BatchLoadOptions
    public var importPollInterval: Double
    public var validate: Bool
    /// Stop after staging and print the plan.
    public var dryRun: Bool
    /// Create the S3 bucket when it does not exist.
    public var createBucket: Bool

    public init(extract: ExtractOptions, staging: String, s3: S3Location, mode: LoadMode, batch: BatchLoadOptions = BatchLoadOptions(),
                importPollInterval: Double = 10, validate: Bool = true, dryRun: Bool = false, createBucket: Bool = false) {
        self.extract = extract
        self.staging = staging
        self.s3 = s3
        self.mode = mode
        self.batch = batch
        self.importPollInterval = importPollInterval
        self.validate = validate
        self.dryRun = dryRun
        self.createBucket = createBucket
    }
}

extension MigrateOptions {
    /// Where the parts go: `s3`, or for a token-range share a folder of its own under it, so the
    /// shares of one table stage side by side.
    public var partsLocation: S3Location {
        guard let range = extract.tokenRange else { return s3 }
        return S3Location(bucket: s3.bucket, prefix: s3.path("tokens_\(range.start)_\(range.end)"))
    }
}

/// What a run did, per table.
public struct MigrationSummary: Sendable {
    public var manifest: Manifest
    public var estimate: CostEstimate
    public var upload: UploadReport?
    public var loads: [LoadReport] = []
    public var validations: [ValidationReport] = []
    public var extractSeconds = 0.0
    public var uploadSeconds = 0.0
    public var loadSeconds = 0.0
    public var validateSeconds = 0.0

    public init(manifest: Manifest, estimate: CostEstimate) {
        self.manifest = manifest
        self.estimate = estimate
    }
}

/// extract → upload → load (import or batch) → validate, resumable from `<staging>/checkpoint.json`:
/// every step skips what the staging manifest and the checkpoint say is done.
public struct MigrationRunner: Sendable {
    public let dynamo: DynamoDBClient
    public let s3: S3Client

    public init(dynamo: DynamoDBClient, s3: S3Client) {
        self.dynamo = dynamo
        self.s3 = s3
    }

    /// Runs the migration. `confirm` is asked (with the plan) before anything is written to AWS;
    /// returning false stops there.
    public func run(_ options: MigrateOptions, stop: StopSignal = StopSignal(), progress: ProgressSink = .none,
                    confirm: @Sendable (MigrationSummary) async -> Bool = { _ in true }) async throws -> MigrationSummary {
        var clock = Date()
        func lap() -> Double {
            defer { clock = Date() }
            return Date().timeIntervalSince(clock)
        }
        if let range = options.extract.tokenRange, options.mode == .import {
            throw StagingError("a token-range share \(range) can only be loaded with --mode batch: ImportTable creates the whole table at once")
        }
        try await Preflight.check(options, dynamo: dynamo, s3: s3)
        let lock = try StagingLock(folder: options.staging)
        defer { withExtendedLifetime(lock) {} }
        let manifest = try await onOwnThread { try Extractor(options: options.extract).run(staging: options.staging, stop: stop, progress: progress) }
        var summary = MigrationSummary(manifest: manifest, estimate: CostEstimate(manifest))
        summary.extractSeconds = lap()
        if options.dryRun { return summary }
        guard await confirm(summary) else { throw StagingError("not confirmed; nothing was written to AWS") }
        _ = lap()
        let checkpoint = try CheckpointStore(staging: options.staging)
        try checkpoint.adopt(manifest)
        summary.upload = try await Uploader(s3: s3, location: options.partsLocation, createBucket: options.createBucket).upload(manifest, staging: options.staging,
                                                                                 checkpoint: checkpoint, stop: stop, progress: progress)
        summary.uploadSeconds = lap()
        switch options.mode {
        case .batch:
            let budget = WriteBudget(maxWCU: options.batch.maxWCU)
            let loader = Loader(dynamo: dynamo)
            for table in manifest.tables {
                summary.loads.append(try await loader.loadBatch(table, from: .local(staging: options.staging), options: options.batch,
                                                                budget: budget, checkpoint: checkpoint, stop: stop, progress: progress))
            }
        case .import:
            let importer = Importer(dynamo: dynamo, location: options.partsLocation, pollInterval: options.importPollInterval)
            for table in manifest.tables {
                summary.loads.append(try await importer.importTable(table, checkpoint: checkpoint, stop: stop, progress: progress))
            }
        }
        summary.loadSeconds = lap()
        if options.validate {
            let validator = Validator(dynamo: dynamo)
            for table in manifest.tables {
                try stop.check()
                if let earlier = checkpoint.value.validated[table.design.table] {
                    progress.emit(ProgressEvent(phase: .validate, kind: .skip, table: table.design.table,
                                                message: "validated by an earlier run of this staging folder (cass2dynamo validate checks again)"))
                    summary.validations.append(earlier)
                    continue
                }
                let report = try await validator.validate(table, from: .local(staging: options.staging), stop: stop, progress: progress)
                summary.validations.append(report)
                if report.isMatch { try checkpoint.update { $0.validated[table.design.table] = report } }
            }
            summary.validateSeconds = lap()
        }
        return summary
    }
}
