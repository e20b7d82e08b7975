import AWS
import CQL
import Crypto
import DynamoMapping
import DynamoModel
import Foundation
import HexCoding
import SSTable
import Synchronization

/// Settings of ``Extractor``.
public struct ExtractOptions: Sendable {
    /// SSTable table folders, keyspace folders or data directories. Folders of the same table
    /// (replicas) are merged into one table whose rows are reconciled.
    public var sources: [String]
    /// Parsed `--schema` file, if given.
    public var schemaText: String?
    public var schemaFileName: String
    public var snapshot: String?
    /// A part is closed once it holds this many uncompressed bytes; nil: ``defaultPartBytes``,
    /// raised for a table so large that its parts would pass ImportTable's object limit.
    public var partBytes: Int?
    /// Token ranges each table is cut into, read side by side; nil: chosen from the workers and
    /// the table's size (``Extractor/slices(of:)``).
    public var rangesPerTable: Int?
    /// How parts are compressed, and at which level (nil: the codec's default).
    public var compression: PartCompression = .gzip
    public var compressionLevel: Int?
    /// Tables extracted at once (each also uses a compression thread).
    public var concurrency: Int
    /// TTL expiry is judged at this time (seconds since the epoch); nil: the time the staging
    /// folder's first run chose (``Manifest/now``), else the current time.
    public var now: Int64?
    /// Only these CQL tables (`table` or `keyspace.table`); all when empty.
    public var onlyTables: [String]
    /// Only tables of these keyspaces; all when empty.
    public var onlyKeyspaces: [String] = []
    /// The user's `mapping.yaml`: only its tables are extracted, each by its design. Without one,
    /// every table gets the design `cass2dynamo plan` would propose with `design` options.
    public var mapping: MappingFile?
    /// Where the mapping came from (recorded in the manifest).
    public var mappingName: String
    /// Options of proposed designs (table prefix, attribute names, formats).
    public var design: DesignOptions
    /// Only partitions whose token lies here (one share of a table split across runs); nil: all.
    public var tokenRange: TokenRange?
    /// `keyspace.table` of the schema the SSTables given belong to, whatever their folders are
    /// called (`--table`); nil: matched by id, name, or a schema of one table.
    public var table: String?
    /// How the user spells `table` in errors (`--table`, or the agent API's `source.schemaTable`).
    public var tableOption = "--table"
    /// Read no faster than this many rows per second, all tables together (spares a node's
    /// disk); nil: as fast as possible.
    public var maxRowsPerSecond: Double?

    public init(sources: [String], schemaText: String? = nil, schemaFileName: String = "schema file", snapshot: String? = nil,
                partBytes: Int? = nil, concurrency: Int = ProcessInfo.processInfo.activeProcessorCount,
                now: Int64? = nil, onlyTables: [String] = [],
                mapping: MappingFile? = nil, mappingName: String = "proposed (cass2dynamo plan defaults)", design: DesignOptions = DesignOptions()) {
        self.sources = sources
        self.schemaText = schemaText
        self.schemaFileName = schemaFileName
        self.snapshot = snapshot
        self.partBytes = partBytes.map { max(1, $0) }
        self.concurrency = max(1, concurrency)
        self.now = now
        self.onlyTables = onlyTables
        self.mapping = mapping
        self.mappingName = mappingName
        self.design = design
    }
}

/// Streams the reconciled rows of every table into staged parts and a manifest.
///
/// Memory stays bounded: the reader holds one row plus a chunk per SSTable, and rows go out in
/// 1 MiB blocks through a queue of four blocks to a compression thread, which gathers a part
/// (``ExtractOptions/partBytes``) and compresses it whole. Tables run in parallel (`concurrency`),
/// each using a reading thread and a compressing thread: about twice the part size of memory each.
public struct Extractor: Sendable {
    public var options: ExtractOptions

    public init(options: ExtractOptions) { self.options = options }

    /// The time TTL expiry is judged at by this extractor.
    var now: Int64 { options.now ?? Int64(Date().timeIntervalSince1970) }

    /// Version of the staged item format; part of every staging key, so a change of it (such
    /// as 2: offloaded objects named by a SHA-256 of the key) stages every table again.
    static let itemFormat = 2

    /// One table to extract: its location, schema, and the indexes and views declared for it.
    public struct Job: @unchecked Sendable {
        public var location: TableLocation
        public var schema: TableSchema?
        public var declared: CQLSchema
        public var name: String { (location.keyspace.map { $0 + "." } ?? "") + location.table }
    }

    /// Discovers tables and resolves their schemas; with a mapping, only its tables. The folders
    /// of one keyspace.table (replicas) are merged into one job.
    public func jobs(progress: ProgressSink = .none) throws -> [Job] {
        let file: CQLSchema? = try options.schemaText.map { text in
            do { return try CQLSchema.parse(text) } catch { throw StagingError("\(options.schemaFileName): \(error)") }
        }
        // Indexes and views: from the schema file, else from each data directory's own system tables.
        var declared = file ?? CQLSchema()
        if file == nil {
            for source in options.sources where NodeSchema.isPresent(in: source) {
                if let node = try? NodeSchema.read(dataDirectory: source, now: now) {
                    declared.indexes += node.indexes
                    declared.views += node.views
                }
            }
        }
        let resolver = SchemaResolver(file: file, fileName: options.schemaFileName, table: options.table, tableOption: options.tableOption, now: now)
        var jobs: [String: Job] = [:]
        var order: [String] = []
        for source in options.sources {
            for found in try SSTableDiscovery.tables(at: source, snapshot: options.snapshot) {
                let resolved: (location: TableLocation, schema: TableSchema?)
                do { resolved = try resolver.resolve(found) } catch {
                    // A table the options leave out need not be described.
                    if excluded(found, progress: .none) { continue }
                    throw error
                }
                let location = resolved.location
                if excluded(location, progress: progress) { continue }
                let key = location.qualifiedName
                guard var job = jobs[key] else {
                    jobs[key] = Job(location: location, schema: resolved.schema, declared: declared)
                    order.append(key)
                    continue
                }
                for directory in location.directories where !job.location.directories.contains(directory) {
                    job.location.directories.append(directory)
                    job.location.sstables.append(contentsOf: location.sstables.filter { $0.descriptor.directory == directory })
                }
                jobs[key] = job
            }
        }
        return order.map { jobs[$0]! }
    }

    /// Whether `--keyspace`, `--table` filters or the mapping leave the table out (a mapping's
    /// omission is reported).
    private func excluded(_ location: TableLocation, progress: ProgressSink) -> Bool {
        if !options.onlyKeyspaces.isEmpty, !(location.keyspace.map(options.onlyKeyspaces.contains) ?? false) { return true }
        let name = (location.keyspace ?? "") + "." + location.table
        if !options.onlyTables.isEmpty, !options.onlyTables.contains(location.table), !options.onlyTables.contains(name) { return true }
        if let mapping = options.mapping, mapping.design(for: name) == nil {
            progress.emit(ProgressEvent(phase: .extract, kind: .skip, table: name, message: "not in \(options.mappingName)"))
            return true
        }
        return false
    }

    /// The design of a table: the mapping's (checked against the schema), else the proposed one.
    func design(for schema: TableSchema, declared: CQLSchema) throws -> TableDesign {
        let source = schema.keyspace + "." + schema.name
        guard var design = options.mapping?.design(for: source) else {
            return TableDesigner.propose(schema, indexes: declared.indexes, views: declared.views, options: options.design)
        }
        design.table = options.design.tablePrefix + design.table
        let problems = TableDesigner.validate(design, against: schema)
        guard problems.isEmpty else { throw StagingError("\(options.mappingName): \(source): \(problems.joined(separator: "; "))") }
        return design
    }

    /// Extracts every table not already staged intact with the same staging key in
    /// `<staging>/manifest.json` and returns the manifest. The caller holds the folder's
    /// ``StagingLock``. Blocks the calling thread (``StagingRun`` runs it on a thread of its own).
    /// With a `flow`, each part is handed on as soon as it is whole (``PartFlow``).
    public func run(staging: String, stop: StopSignal = StopSignal(), progress: ProgressSink = .none, flow: PartFlow? = nil) throws -> Manifest {
        try FileSystem.makeFolder(staging)
        var loaded = try Manifest.load(staging: staging)
        var resolved = self
        resolved.options.now = options.now ?? loaded.now ?? now
        if loaded.now != resolved.options.now {
            // Saved before any row is read: a run stopped inside its first table resumes at the same time.
            loaded.now = resolved.options.now
            try loaded.save(staging: staging)
        }
        return try resolved.stage(staging: staging, manifest: loaded, stop: stop, progress: progress, flow: flow)
    }

    /// ``run(staging:stop:progress:flow:)`` once `now` is settled.
    private func stage(staging: String, manifest loaded: Manifest, stop: StopSignal, progress: ProgressSink, flow: PartFlow?) throws -> Manifest {
        var pending: [(job: Job, key: String)] = []
        for job in try self.jobs(progress: progress) {
            let key = try stagingKey(job)
            let staged = loaded.tables.first { $0.source == job.name && $0.tokenRange == options.tokenRange }
            guard let staged else { pending.append((job, key)); continue }
            if staged.stagingKey != key {
                progress.emit(ProgressEvent(phase: .extract, kind: .warning, table: job.name,
                                            message: "staged before with another design, schema, SSTables or --now: staging it again"))
                pending.append((job, key))
            } else if let damage = Self.damage(staged, staging: staging, flow: flow) {
                progress.emit(ProgressEvent(phase: .extract, kind: .warning, table: job.name, message: "\(damage): staging it again"))
                pending.append((job, key))
            } else {
                progress.emit(ProgressEvent(phase: .extract, kind: .skip, table: job.name, message: "already staged"))
            }
        }
        let manifest = Mutex(loaded)
        // Each table cut into token ranges that workers read side by side (``slices(of:)``).
        let work = try pending.map { job, key in
            try TableWork(job: job, key: key, ranges: slices(of: job), extractor: self, staging: staging, flow: flow)
        }
        // Ranges an interrupted run finished are not read again; a table with none left is assembled here.
        let units = work.indices.flatMap { t in work[t].pendingRanges.map { (table: t, slice: $0) } }
        @Sendable func add(_ staged: StagedTable, of table: TableWork) throws {
            var staged = staged
            staged.stagingKey = table.key
            let job = table.job
            try manifest.withLock { m in
                // The table's earlier staging (perhaps under another DynamoDB name) goes.
                for old in m.tables where old.source == job.name && old.tokenRange == options.tokenRange && old.design.table != staged.design.table {
                    FileSystem.remove(staging + "/tables/" + old.design.table)
                }
                m.tables.removeAll { $0.design.table == staged.design.table || ($0.source == job.name && $0.tokenRange == options.tokenRange) }
                m.tables.append(staged)
                m.tables.sort { $0.source < $1.source }
                try m.save(staging: staging)
            }
            FileSystem.remove(staging + "/" + table.journalFile)
        }
        for table in work where table.pendingRanges.isEmpty {
            if let staged = try table.finish(nil, progress: progress) { try add(staged, of: table) }
        }
        let throttle = options.maxRowsPerSecond.map(RowThrottle.init)
        let failures = Mutex<[String]>([])
        let next = Atomic<Int>(0)
        let workers = min(options.concurrency, units.count)
        DispatchQueue.concurrentPerform(iterations: max(workers, 0)) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < units.count, failures.withLock({ $0.isEmpty }), !stop.isStopped else { return }
                let table = work[units[index].table]
                let job = table.job
                do {
                    let slice = try extractSlice(units[index].slice, of: table, staging: staging, throttle: throttle, stop: stop,
                                                 progress: progress, flow: flow)
                    guard let staged = try table.finish(slice, progress: progress) else { continue }
                    try add(staged, of: table)
                } catch is Stopped {
                    return
                } catch {
                    progress.emit(ProgressEvent(phase: .extract, kind: .error, table: job.name, message: "\(error)"))
                    failures.withLock { $0.append("\(job.name): \(error)") }
                }
            }
        }
        if let first = failures.withLock({ $0.first }) { throw StagingError(first) }
        try stop.check()
        let result = manifest.withLock { $0 }
        // The designs used, as a mapping file to review, edit and pass back with --mapping.
        try AtomicFile.write(Array(try MappingFile(tables: result.tables.map(\.design)).yaml().utf8), to: staging + "/mapping.yaml")
        return result
    }

    /// Columns the SSTables store but the schema has not stop the table under the policy
    /// `unknown_column: fail` (the default): their cells would be lost.
    static func checkUnknownColumns(_ reader: TableReader, design: TableDesign) throws {
        guard design.policies.unknownColumn == .fail, !reader.unknownColumns.isEmpty else { return }
        let files = reader.unknownColumns.map { "\($0.path) (\($0.columns.joined(separator: ", ")))" }.joined(separator: "; ")
        throw StagingError("DynamoDB table \(design.table): the SSTables store columns the schema has not: \(files); give the schema that has them, or set policies.unknown_column: skip in the mapping to leave their cells out")
    }

    /// What the staged items of `job` depend on, hashed: see ``StagedTable/stagingKey``.
    func stagingKey(_ job: Job) throws -> String {
        struct Inputs: Encodable {
            var itemFormat: Int
            var source: String
            var schema: String
            var design: TableDesign
            var sstables: [String]
            var tokenRange: TokenRange?
            var now: Int64
            var compression: String
        }
        let reader = try TableReader(location: job.location, schema: job.schema, now: now)
        let sstables = reader.sstables.map { s in "\(s.descriptor.dataPath) \(s.dataFileSize)" }.sorted()
        let inputs = Inputs(itemFormat: Self.itemFormat, source: job.name, schema: reader.schema.createStatement,
                            design: try design(for: reader.schema, declared: job.declared), sstables: sstables,
                            tokenRange: options.tokenRange, now: now,
                            compression: "\(options.compression.rawValue) \(options.compressionLevel ?? options.compression.defaultLevel)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Hex.encode(SHA256.hash(data: try encoder.encode(inputs)))
    }

    /// Why a staged table cannot be used as it is (a part or offloaded value missing, or not
    /// the bytes staged), or nil when every file verifies. A part uploaded and then removed to
    /// keep within `--max-local-gb` counts as staged (``PartFlow/isStoredRemotely``).
    static func damage(_ table: StagedTable, staging: String, flow: PartFlow? = nil) -> String? {
        for part in table.parts {
            if let flow, !FileSystem.exists(staging + "/" + part.file), flow.isStoredRemotely(part) { continue }
            do { _ = try PartReader.readVerified(part, staging: staging) } catch { return "\(error)" }
        }
        for object in table.offloaded {
            do { try object.verify(staging: staging) } catch { return "\(error)" }
        }
        return nil
    }

    /// The token ranges `job`'s table is read in, one worker each: one range (the table, or its
    /// `--token-share`) unless several workers run and the table is large enough to share; then
    /// up to four per worker, of about equal bytes (``TableReader/split(_:into:)``), so that
    /// uneven ranges still keep every worker busy. nil stands for the whole table.
    func slices(of job: Job) throws -> [TokenRange?] {
        let reader = try TableReader(location: job.location, schema: job.schema, now: now)
        let bytes = reader.sstables.reduce(Int64(0)) { $0 + $1.uncompressedLength }
        let count = options.rangesPerTable ?? (options.concurrency == 1 ? 1 : min(options.concurrency * 4, Int(bytes / Self.sliceBytes)))
        guard count > 1, reader.partitioner == .murmur3 || reader.partitioner == .random else { return [options.tokenRange] }
        let ranges = reader.split(options.tokenRange ?? .all, into: count)
        return ranges.count == 1 ? [options.tokenRange] : ranges
    }

    /// Tables with less Data.db than this per range are not cut further.
    static let sliceBytes: Int64 = 16 << 20

    /// Extracts one token range of a table into its own parts.
    func extractSlice(_ index: Int, of table: TableWork, staging: String, throttle: RowThrottle?, stop: StopSignal,
                      progress: ProgressSink, flow: PartFlow? = nil) throws -> SliceResult {
        let job = table.job
        let reader = try TableReader(location: job.location, schema: job.schema, now: now)
        if let range = table.ranges[index] { try reader.restrict(to: range) }
        let design = table.design
        try Self.checkUnknownColumns(reader, design: design)
        var converter = try ItemConverter(design: design, schema: reader.schema, columns: reader.outputColumns)
        let writer = try PartWriter(staging: staging, dataFolder: table.dataFolder, partialFolder: table.partialFolder,
                                    name: table.ranges.count == 1 ? "part-" : "part-\(index + 1)-",
                                    compression: options.compression, level: options.compressionLevel,
                                    partBytes: table.partBytes + Self.blockBytes, flow: flow, stop: stop)
        let offloadedFolder = "tables/\(design.table)/s3"
        var offloaded: [StagedObject] = []
        table.started(progress: progress)

        let queue = BlockQueue(capacity: 4)
        let compressorError = Mutex<(any Error)?>(nil)
        let compressorDone = DispatchSemaphore(value: 0)
        Thread {
            defer { compressorDone.signal() }
            while let block = queue.pop() {
                guard compressorError.withLock({ $0 == nil }) else { continue }
                do {
                    switch block {
                    case .lines(let bytes, let count):
                        bytes.withUnsafeBytes { writer.write($0, count: count) }
                        queue.recycle(bytes)
                    case .endPart: try writer.finishPart()
                    }
                } catch {
                    compressorError.withLock { $0 = error }
                }
            }
        }.start()

        var rows = 0
        var reportedRows = 0, reportedBytes = 0
        var out = LineBlocks(queue: queue, partBytes: table.partBytes)
        // Attributes in name order: the same rows stage the same bytes in every run (a resumed
        // run's parts are an uninterrupted run's, SHA-256 and all).
        var lines = ItemLineWriter(directAttributes: converter.directAttributes)
        var lastReport = Date()
        func report(rows: Int, bytes: Int) {
            table.progressed(rows: rows - reportedRows, bytes: bytes - reportedBytes, progress: progress)
            (reportedRows, reportedBytes) = (rows, bytes)
        }
        do {
            try reader.forEachRow { row in
                rows += 1
                // A paced run waits here, and looks at the stop and the time at every row.
                if let throttle { try throttle.admit(stop: stop) }
                if rows & 4095 == 0 || throttle != nil {
                    try stop.check()
                    // The compressing thread's own error (a full disk says so), not a stand-in.
                    if let error = compressorError.withLock({ $0 }) { throw error }
                    if Date().timeIntervalSince(lastReport) >= 0.5 {
                        lastReport = Date()
                        report(rows: rows, bytes: out.uncompressed)
                    }
                }
                let mark = out.block.count
                if lines.writeDirect(row, converter: &converter, into: &out.block) { return out.added(from: mark) }
                do {
                    try converter.convert(row) { converted in
                        for (key, value) in converted.offloaded {
                            offloaded.append(try StagedObject.write(value, key: key, folder: offloadedFolder, staging: staging))
                        }
                        let mark = out.block.count
                        lines.write(converted.item, into: &out.block)
                        out.added(from: mark)
                    }
                } catch let error as ConversionError {
                    throw StagingError("DynamoDB table \(design.table), \(error) (policy fail; see policies in the mapping)")
                }
            }
            out.flush(endPart: true)
        } catch {
            queue.close()
            compressorDone.wait()
            throw error
        }
        queue.close()
        compressorDone.wait()
        if let error = compressorError.withLock({ $0 }) { throw error }
        // 2.x SSTables reveal columns the schema lacks only as their cells are read.
        try Self.checkUnknownColumns(reader, design: design)
        try writer.close()
        report(rows: rows, bytes: out.uncompressed)
        return SliceResult(index: index, parts: writer.parts, rows: rows, items: out.items, uncompressed: out.uncompressed,
                           rejected: converter.rowsSkipped, issueCounts: converter.issueCounts, samples: converter.samples,
                           unknownColumns: reader.unknownColumns, offloaded: offloaded, warnings: reader.warnings)
    }

    /// Lines go to the compressing thread in blocks of about this many bytes.
    static let blockBytes = 1 << 20

    /// The part size when none is given.
    public static let defaultPartBytes = 32 << 20

    /// Parts a table is sized for: well under ImportTable's ``Importer/maxObjects``.
    static let maxParts = Importer.maxObjects * 4 / 5

    /// The part size for a table of `dataBytes` uncompressed Data.db (a `fraction` of it read):
    /// ``defaultPartBytes``, or more when the table's DynamoDB JSON — estimated at four times its
    /// Data.db, more than the 2–3× seen — would need more than ``maxParts`` parts.
    static func partBytes(forDataBytes dataBytes: Int64, fraction: Double) -> Int {
        let estimate = Double(dataBytes) * fraction * 4
        return max(defaultPartBytes, Int(estimate / Double(maxParts)))
    }
}
