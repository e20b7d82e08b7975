import AWS
import DynamoMapping
import Crypto
import DynamoModel
import Foundation
import HexCoding

/// Import mode: ImportTable from the table's S3 data prefix (every share's parts), then DescribeImport until done, then
/// the item counts checked against the manifest (an import can report COMPLETED while a malformed
/// line silently dropped the rest of a file), then TTL.
public struct Importer: Sendable {
    public let dynamo: DynamoDBClient
    public let layout: S3Layout
    public var pollInterval: Double

    public init(dynamo: DynamoDBClient, layout: S3Layout, pollInterval: Double = 10) {
        self.dynamo = dynamo
        self.layout = layout
        self.pollInterval = pollInterval
    }

    /// ImportTable reads at most this many S3 objects.
    public static let maxObjects = 50_000

    /// The most bytes of S3 objects ImportTable reads in `region`: 15 TB in us-east-1, us-west-2
    /// and eu-west-1, 1 TB elsewhere (AWS's "Import format quotas and validation").
    public static func maxSourceBytes(region: String) -> Int {
        ["us-east-1", "us-west-2", "eu-west-1"].contains(region) ? 15_000_000_000_000 : 1_000_000_000_000
    }

    /// Why ImportTable cannot read `table`'s parts in one import (too many objects, too many
    /// bytes), with what to do; nil when it can.
    public static func quotaProblem(_ table: StagedTable, region: String) -> String? {
        let name = table.design.table
        if table.parts.count > maxObjects {
            let partMiB = (table.uncompressedBytes / maxObjects) >> 20 + 1
            return "\(name): \(table.parts.count) parts, more than the \(maxObjects) objects ImportTable reads: stage it again with --part-size \(partMiB) or more, or load it with --mode batch"
        }
        let limit = maxSourceBytes(region: region)
        if table.bytes > limit {
            return "\(name): \(table.bytes) bytes of parts, more than the \(limit / 1_000_000_000_000) TB ImportTable reads in \(region): load it with --mode batch, or ask AWS to raise the import quota"
        }
        return nil
    }

    /// Imports `table` (or waits for the import the checkpoint names); `started` gets the import's
    /// ARN as soon as ImportTable answers, before the wait (for a record kept elsewhere than the checkpoint).
    public func importTable(_ table: StagedTable, checkpoint: CheckpointStore, stop: StopSignal = StopSignal(),
                            progress: ProgressSink = .none, started recordStart: (String) async throws -> Void = { _ in }) async throws -> LoadReport {
        let started = Date()
        let name = table.design.table
        var report = LoadReport(table: name)
        if checkpoint.value.loadedTables.contains(name), let done = checkpoint.value.imports[name] {
            report.importedItems = done.importedItems
            report.importErrors = done.errorCount
            report.items = done.importedItems ?? 0
            progress.emit(ProgressEvent(phase: .`import`, kind: .skip, table: name, message: "imported by an earlier run of this staging folder"))
            return report
        }
        var arn = checkpoint.value.imports[name]?.importArn
        if arn == nil {
            try stop.check()
            if let problem = Self.quotaProblem(table, region: dynamo.transport.region) { throw StagingError(problem) }
            // The same staged table and destination always give the same token: a retried call is idempotent.
            let tokenSource = "\(layout.root)|\(name)|" + table.parts.map(\.sha256).joined(separator: ",")
            let token = Hex.encode(SHA256.hash(data: Array(tokenSource.utf8)).prefix(16))
            let input = ImportTableInput(clientToken: token, bucket: layout.bucket, keyPrefix: layout.importPrefix(for: table),
                                         inputFormat: .dynamoDBJSON, compression: table.partCompression.importType, table: table.design.tableDefinition)
            let started = try await dynamo.importTable(input)
            arn = started.importArn
            try checkpoint.update { $0.imports[name] = Checkpoint.ImportState(importArn: started.importArn, status: started.status) }
            try await recordStart(started.importArn)
            progress.emit(ProgressEvent(phase: .`import`, kind: .start, table: name, totalRows: table.items, message: started.importArn))
        }
        // Only the wait is cancelled on a stop: ImportTable itself runs to its answer, whose ARN the checkpoint must get.
        let (dynamo, importArn, pollInterval) = (dynamo, arn!, pollInterval)
        let result = try await stop.cancelling { try await dynamo.waitForImport(importArn: importArn, pollInterval: pollInterval) }
        try checkpoint.update {
            $0.imports[name] = Checkpoint.ImportState(importArn: result.importArn, status: result.status,
                                                      importedItems: Int(result.importedItemCount), errorCount: Int(result.errorCount))
        }
        report.importedItems = Int(result.importedItemCount)
        report.importErrors = Int(result.errorCount)
        report.items = Int(result.importedItemCount)
        report.seconds = Date().timeIntervalSince(started)
        progress.emit(ProgressEvent(phase: .`import`, kind: .done, table: name, rows: Int(result.importedItemCount), totalRows: table.items,
                                    message: result.status, counts: ["errors": Int(result.errorCount),
                                                                     "processed": Int(result.processedItemCount)]))
        guard result.status == "COMPLETED" else {
            throw StagingError("import of \(name) ended \(result.status)\(result.failureCode.map { " (\($0))" } ?? "")\(result.failureMessage.map { ": \($0)" } ?? ""); imported \(result.importedItemCount) of \(table.items) items, \(result.errorCount) errors")
        }
        guard result.importedItemCount == Int64(table.items), result.errorCount == 0 else {
            throw StagingError("import of \(name) reported COMPLETED but imported \(result.importedItemCount) items (\(result.errorCount) errors) where the manifest has \(table.items): items were dropped")
        }
        try await Loader(dynamo: dynamo).applyTTL(table.design, checkpoint: checkpoint)
        try checkpoint.update { if !$0.loadedTables.contains(name) { $0.loadedTables.append(name) } }
        return report
    }
}
