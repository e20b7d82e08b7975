import AWS
import DynamoMapping
import DynamoModel
import Foundation
import NIOCore
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

    /// Before staging: from Statistics.db's estimates of the tables (``Extractor/plan()``).
    public init(planned: [TableAssessment]) {
        items = planned.reduce(0) { $0 + $1.cost.items }
        uncompressedGB = planned.reduce(0) { $0 + $1.cost.importGB } * 1.073_741_824
        writeUnits = planned.reduce(0) { $0 + $1.cost.writeRequestUnits }
        importUSD = uncompressedGB * Self.importPerGB
        batchOnDemandUSD = Double(writeUnits) / 1e6 * Self.onDemandPerMillionWrites
        storageUSDPerMonth = uncompressedGB * Self.storagePerGBMonth
    }

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
    /// Bytes of parts kept in the staging folder at most: parts stored intact in S3 are removed
    /// locally, and the extraction waits for room (`--max-local-gb`); nil: parts are kept.
    public var maxLocalBytes: Int?

    public init(extract: ExtractOptions, staging: String, s3: S3Location, mode: LoadMode, batch: BatchLoadOptions = BatchLoadOptions(),
                importPollInterval: Double = 10, validate: Bool = true, dryRun: Bool = false, createBucket: Bool = false, maxLocalBytes: Int? = nil) {
        self.extract = extract
        self.staging = staging
        self.s3 = s3
        self.mode = mode
        self.batch = batch
        self.importPollInterval = importPollInterval
        self.validate = validate
        self.dryRun = dryRun
        self.createBucket = createBucket
        self.maxLocalBytes = maxLocalBytes
    }
}

extension MigrateOptions {
    /// Where the run's objects go in S3: for a token-range share, its own folders (``S3Layout``).
    public var layout: S3Layout { S3Layout(root: s3, tokenRange: extract.tokenRange) }

    /// Whether the run stops after the upload: a token-range share in import mode, whose table
    /// `cass2dynamo finish` imports once every share is in S3.
    public var stagesOnly: Bool { mode == .import && extract.tokenRange != nil }
}

/// What a run did, per table.
public struct MigrationSummary: Sendable {
    public var manifest: Manifest
    public var estimate: CostEstimate
    /// The tables to stage with Statistics.db's estimates, when the plan is made before staging
    /// (the confirmation of a run that uploads while it extracts).
    public var planned: [TableAssessment] = []
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

/// extract and upload → load (import or batch) → validate, resumable from
/// `<staging>/checkpoint.json`: every step skips what the staging manifest and the checkpoint say
/// is done. Parts go up to S3 as soon as they are whole, while the extraction goes on; parts S3
/// already holds intact (a share run again from a fresh staging folder) are not sent again. A
/// token-range share in import mode stops after the upload (``MigrateOptions/stagesOnly``).
public struct MigrationRunner: Sendable {
    public let dynamo: DynamoDBClient
    public let s3: S3Client

    public init(dynamo: DynamoDBClient, s3: S3Client) {
        self.dynamo = dynamo
        self.s3 = s3
    }

    /// Runs the migration. `confirm` is asked before anything is written to AWS (with the plan:
    /// the tables and Statistics.db's estimate); returning false stops there. A dry run stages
    /// only and returns the staged summary.
    public func run(_ given: MigrateOptions, stop: StopSignal = StopSignal(), progress: ProgressSink = .none,
                    confirm: @Sendable (MigrationSummary) async -> Bool = { _ in true }) async throws -> MigrationSummary {
        try await Preflight.check(given, dynamo: dynamo, s3: s3)
        var resolved = given
        if !given.dryRun { resolved.extract.now = try await earlierNow(given) }
        let options = resolved
        let lock = try StagingLock(folder: options.staging)
        defer { withExtendedLifetime(lock) {} }
        let extractor = Extractor(options: options.extract)
        let started = Date()
        if options.dryRun {
            let manifest = try await onOwnThread { try extractor.run(staging: options.staging, stop: stop, progress: progress) }
            var summary = MigrationSummary(manifest: manifest, estimate: CostEstimate(manifest))
            summary.extractSeconds = Date().timeIntervalSince(started)
            return summary
        }
        let planned = try await onOwnThread { try extractor.plan() }
        var plan = MigrationSummary(manifest: try Manifest.load(staging: options.staging), estimate: CostEstimate(planned: planned))
        plan.planned = planned
        guard await confirm(plan) else { throw StagingError("not confirmed; nothing was written to AWS") }

        let uploadStarted = Date()
        let checkpoint = try CheckpointStore(staging: options.staging)
        let uploader = Uploader(s3: s3, layout: options.layout, createBucket: options.createBucket)
        let (manifest, streamed) = try await extractUploading(options, extractor: extractor, uploader: uploader, checkpoint: checkpoint,
                                                              stop: stop, progress: progress)
        var summary = MigrationSummary(manifest: manifest, estimate: CostEstimate(manifest))
        summary.planned = planned
        summary.extractSeconds = Date().timeIntervalSince(uploadStarted)
        // The rest: parts of tables staged by earlier runs, stale objects, offloaded values, the manifest.
        try checkpoint.adopt(manifest)
        // Parts sent while extracting are not read again.
        var upload = try await uploader.upload(manifest, staging: options.staging, checkpoint: checkpoint, stored: streamed.stored,
                                               stop: stop, progress: progress)
        if options.maxLocalBytes != nil {
            // Every part is stored intact in S3 now (sent, or checked just above), including parts of
            // tables an earlier run staged: with a bound, none is kept locally.
            for part in manifest.tables.flatMap(\.parts) { FileSystem.remove(options.staging + "/" + part.file) }
        }
        upload.uploaded += streamed.uploaded
        upload.skipped += streamed.skipped
        upload.bytes += streamed.bytes
        upload.stored.formUnion(streamed.stored)
        summary.upload = upload
        // From the start of the extraction: the uploads run alongside it.
        summary.uploadSeconds = Date().timeIntervalSince(uploadStarted)
        if options.stagesOnly { return summary }
        let parts = PartSource.staged(staging: options.staging, s3, options.layout)
        var clock = Date()
        func lap() -> Double {
            defer { clock = Date() }
            return Date().timeIntervalSince(clock)
        }
        switch options.mode {
        case .batch:
            let budget = WriteBudget(maxWCU: options.batch.maxWCU)
            let loader = Loader(dynamo: dynamo)
            for table in manifest.tables {
                summary.loads.append(try await loader.loadBatch(table, from: parts, options: options.batch,
                                                                budget: budget, checkpoint: checkpoint, stop: stop, progress: progress))
            }
        case .import:
            let importer = Importer(dynamo: dynamo, layout: options.layout, pollInterval: options.importPollInterval)
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
                let report = try await validator.validate(table, from: parts, stop: stop, progress: progress)
                summary.validations.append(report)
                if report.isMatch { try checkpoint.update { $0.validated[table.design.table] = report } }
            }
            summary.validateSeconds = lap()
        }
        return summary
    }
}

extension MigrationRunner {
    /// The time to judge TTLs at: `--now`, else the staging folder's, else, for a folder that
    /// has none yet, the time of the run's manifest in S3 (the same share staged elsewhere
    /// before), so that its parts come out the same and are not sent again; nil: the current time.
    func earlierNow(_ options: MigrateOptions) async throws -> Int64? {
        if let now = try options.extract.now ?? Manifest.load(staging: options.staging).now { return now }
        let key = options.layout.manifestKey
        let body: ByteBuffer
        do {
            (body, _) = try await s3.getObject(bucket: options.layout.bucket, key: key)
        } catch let error as AWSError where error.httpStatus == 404 {
            return nil
        }
        return try Manifest.decode(bytes: Array(body.readableBytesView), name: options.layout.url(ofKey: key)).now
    }

    /// Extracts every table while uploading each part as soon as it is whole; with
    /// `maxLocalBytes`, parts stored intact in S3 leave the staging folder and the extraction
    /// waits for room. An upload error stops the extraction and is the one thrown.
    func extractUploading(_ options: MigrateOptions, extractor: Extractor, uploader: Uploader, checkpoint: CheckpointStore,
                          stop: StopSignal, progress: ProgressSink) async throws -> (Manifest, UploadReport) {
        let budget = options.maxLocalBytes.map { LocalBudget(limit: $0) }
        let (closed, sink) = AsyncStream<ClosedPart>.makeStream()
        let extraction = StopSignal(parent: stop)
        let flow = PartFlow(
            budget: budget, closed: { sink.yield($0) }, isStoredRemotely: { checkpoint.value.uploaded[$0.file] != nil },
            tableStarting: { table, key, folder in try checkpoint.adopt(table: table, key: key, dataFolder: folder) })
        let staging = options.staging
        let uploading = Task {
            try await uploader.uploadClosed(closed, staging: staging, checkpoint: checkpoint, budget: budget, stop: extraction, progress: progress)
        }
        let extracted: Result<Manifest, any Error>
        do {
            extracted = .success(try await onOwnThread { try extractor.run(staging: staging, stop: extraction, progress: progress, flow: flow) })
        } catch {
            extracted = .failure(error)
        }
        sink.finish()
        switch (extracted, await uploading.result) {
        case (.success(let manifest), .success(let report)): return (manifest, report)
        // The upload's own error stopped the extraction: it is the cause.
        case (_, .failure(let error)) where !(error is Stopped): throw error
        case (.failure(let error), _), (_, .failure(let error)): throw error
        }
    }
}
