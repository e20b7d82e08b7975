import AWS
import DynamoMapping
import DynamoModel
import Foundation
import Synchronization

/// What loading one table did.
public struct LoadReport: Sendable, Hashable {
    public var table: String
    public var items = 0
    public var partsLoaded = 0
    public var partsSkipped = 0
    public var calls = 0
    public var unprocessedResends = 0
    public var throttledResends = 0
    public var consumedWCU = 0.0
    public var seconds = 0.0
    /// Import mode: what DescribeImport reported.
    public var importedItems: Int?
    public var importErrors: Int?
}

/// Settings of the batch loader.
public struct BatchLoadOptions: Sendable {
    /// BatchWriteItem calls in flight at once.
    public var concurrency: Int
    /// Write-capacity budget in WCU per second; nil for none.
    public var maxWCU: Double?
    /// Seconds a batch may keep being re-sent (unprocessed / throttled) before the load fails.
    public var deadline: Double

    public init(concurrency: Int = 8, maxWCU: Double? = nil, deadline: Double = 900) {
        self.concurrency = max(1, concurrency)
        self.maxWCU = maxWCU
        self.deadline = deadline
    }
}

/// Creates target tables and loads staged items: by BatchWriteItem (any table) or ImportTable (new tables).
public struct Loader: Sendable {
    public let dynamo: DynamoDBClient

    public init(dynamo: DynamoDBClient) { self.dynamo = dynamo }

    /// Creates the table if it does not exist, or checks an existing one has the design's keys; waits until active.
    public func ensureTable(_ design: TableDesign) async throws {
        do {
            let existing = try await dynamo.describeTable(design.table)
            let wanted = design.tableDefinition
            let keys = existing.keySchema.map { "\($0.attributeName):\($0.keyType.rawValue)" }
            let wantedKeys = wanted.keySchema.map { "\($0.attributeName):\($0.keyType.rawValue)" }
            let types = Dictionary(existing.attributeDefinitions.map { ($0.attributeName, $0.attributeType) }, uniquingKeysWith: { a, _ in a })
            let typesMatch = wanted.attributeDefinitions.allSatisfy { types[$0.attributeName] == $0.attributeType }
            guard keys == wantedKeys, typesMatch else {
                throw StagingError("table \(design.table) exists with keys \(keys.joined(separator: ", ")) where the design needs \(wantedKeys.joined(separator: ", ")) (\(wanted.attributeDefinitions.map { "\($0.attributeName) \($0.attributeType.rawValue)" }.joined(separator: ", ")))")
            }
            if !existing.isFullyActive { _ = try await dynamo.waitUntilActive(design.table, pollInterval: 1) }
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            do {
                _ = try await dynamo.createTable(design.tableDefinition)
            } catch let error as AWSError where error.code == "ResourceInUseException" {
                // Created concurrently (or by a previous, interrupted run): fine.
            }
            _ = try await dynamo.waitUntilActive(design.table, pollInterval: 1)
        }
    }

    /// Applies the design's TTL attribute once.
    public func applyTTL(_ design: TableDesign, checkpoint: CheckpointStore) async throws {
        guard let attribute = design.ttl.flatMap({ $0.enabled ? $0.attribute : nil }), !checkpoint.value.ttlApplied.contains(design.table) else { return }
        let current = try await dynamo.describeTimeToLive(tableName: design.table)
        if !(current.attributeName == attribute && (current.status == "ENABLED" || current.status == "ENABLING")) {
            try await dynamo.updateTimeToLive(tableName: design.table, attributeName: attribute)
        }
        try checkpoint.update { $0.ttlApplied.append(design.table) }
    }

    /// Batch mode: creates or checks the table, then writes every part not yet checkpointed with
    /// parallel BatchWriteItem under the budget. Re-writing a part after a crash is harmless: a
    /// put of the same item replaces it.
    public func loadBatch(_ table: StagedTable, from source: PartSource, options: BatchLoadOptions, budget: WriteBudget,
                          checkpoint: CheckpointStore, stop: StopSignal = StopSignal(), progress: ProgressSink = .none) async throws -> LoadReport {
        try await stop.cancelling {
            try await loadParts(table, from: source, options: options, budget: budget, checkpoint: checkpoint, stop: stop, progress: progress)
        }
    }

    /// The work of ``loadBatch(_:from:options:budget:checkpoint:stop:progress:)``, which cancels it on a stop.
    private func loadParts(_ table: StagedTable, from source: PartSource, options: BatchLoadOptions, budget: WriteBudget,
                           checkpoint: CheckpointStore, stop: StopSignal, progress: ProgressSink) async throws -> LoadReport {
        let started = Date()
        let name = table.design.table
        var report = LoadReport(table: name)
        if checkpoint.value.loadedTables.contains(name) {
            report.partsSkipped = table.parts.count
            progress.emit(ProgressEvent(phase: .load, kind: .skip, table: name, message: "loaded by an earlier run of this staging folder"))
            return report
        }
        try await ensureTable(table.design)
        let done = Set(checkpoint.value.loadedParts[name] ?? [])
        progress.emit(ProgressEvent(phase: .load, kind: .start, table: name, totalRows: table.items))
        var written = table.parts.filter { done.contains($0.file) }.reduce(0) { $0 + $1.items }
        for part in table.parts {
            try stop.check()
            if done.contains(part.file) {
                report.partsSkipped += 1
                continue
            }
            let bytes = try await source.read(part, table: table)
            let items = try PartReader.items(bytes, compression: table.partCompression, name: part.file, expectedCount: part.items, stop: stop)
            var lastReport = Date()
            let before = written
            let partReport = try await write(items, table: name, options: options, budget: budget, stop: stop) { partWritten in
                // A part can take minutes under a small WCU budget: progress every half second within it.
                guard Date().timeIntervalSince(lastReport) >= 0.5 else { return }
                lastReport = Date()
                progress.emit(ProgressEvent(phase: .load, kind: .progress, table: name, part: part.name, rows: before + partWritten,
                                            totalRows: table.items, counts: ["wcuPerSecond": Int(budget.averageRate.rounded())]))
            }
            report.items += items.count
            report.calls += partReport.calls
            report.unprocessedResends += partReport.unprocessedResends
            report.throttledResends += partReport.throttledResends
            report.consumedWCU += partReport.consumedWriteCapacity
            report.partsLoaded += 1
            try checkpoint.update { $0.loadedParts[name, default: []].append(part.file) }
            written += items.count
            progress.emit(ProgressEvent(phase: .load, kind: .progress, table: name, part: part.name, rows: written,
                                        totalRows: table.items, bytes: part.uncompressedBytes,
                                        counts: ["wcuPerSecond": Int(budget.averageRate.rounded())]))
        }
        try checkpoint.update { if !$0.loadedTables.contains(name) { $0.loadedTables.append(name) } }
        try await applyTTL(table.design, checkpoint: checkpoint)
        report.seconds = Date().timeIntervalSince(started)
        progress.emit(ProgressEvent(phase: .load, kind: .done, table: name, rows: written, totalRows: table.items,
                                    counts: ["calls": report.calls, "unprocessedResends": report.unprocessedResends,
                                             "throttledResends": report.throttledResends]))
        return report
    }

    /// Writes items in batches of 25, `options.concurrency` at a time, each batch paying its WCU first;
    /// `written` hears the number of items written so far after each batch.
    func write(_ items: [DynamoItem], table: String, options: BatchLoadOptions, budget: WriteBudget, stop: StopSignal,
               written: (Int) -> Void = { _ in }) async throws -> WriteTotals {
        let batchOptions = BatchWriteOptions(concurrency: 1, deadline: options.deadline, checkItemSize: false)
        var batches: [[DynamoItem]] = []
        batches.reserveCapacity(items.count / 25 + 1)
        var index = 0
        while index < items.count {
            batches.append(Array(items[index..<min(index + DynamoDBClient.maxBatchWriteRequests, items.count)]))
            index += DynamoDBClient.maxBatchWriteRequests
        }
        let dynamo = self.dynamo
        return try await withThrowingTaskGroup(of: (BatchWriteReport, Int).self) { group in
            var next = 0
            var total = WriteTotals()
            func add() {
                let batch = batches[next]
                next += 1
                group.addTask {
                    let units = max(1, batch.reduce(0.0) { $0 + (Double(ItemSize.of($1)) / 1024).rounded(.up) })
                    try await budget.acquire(units)
                    let r = try await dynamo.batchWrite(tableName: table, requests: batch.map(WriteRequest.put), options: batchOptions)
                    budget.record(units: units, throttled: r.throttledResends > 0 || r.unprocessedResends > 0)
                    return (r, batch.count)
                }
            }
            while next < batches.count && next < options.concurrency { add() }
            var count = 0
            while let (r, n) = try await group.next() {
                count += n
                written(count)
                total.calls += r.calls
                total.unprocessedResends += r.unprocessedResends
                total.throttledResends += r.throttledResends
                total.consumedWriteCapacity += r.consumedWriteCapacity
                if stop.isStopped { group.cancelAll(); throw Stopped() }
                if next < batches.count { add() }
            }
            return total
        }
    }
}

/// Sums of ``BatchWriteReport``s.
struct WriteTotals {
    var calls = 0
    var unprocessedResends = 0
    var throttledResends = 0
    var consumedWriteCapacity = 0.0
}
