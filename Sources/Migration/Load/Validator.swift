import AWS
import DynamoMapping
import Crypto
import Foundation
import Synchronization

/// The outcome of comparing a target table with its staged items.
public struct ValidationReport: Sendable, Hashable {
    public var table: String
    public var expectedItems = 0
    public var targetItems = 0
    /// Keys staged but absent from the table.
    public var missing: [String] = []
    /// Keys in the table that were not staged.
    public var unexpected: [String] = []
    /// Keys whose item differs.
    public var different: [String] = []
    public var missingCount = 0
    public var unexpectedCount = 0
    public var differentCount = 0
    /// A token-range share: items of the table outside the share (other shares' items), not compared.
    public var otherItems = 0
    public var seconds = 0.0

    public var isMatch: Bool { missingCount == 0 && unexpectedCount == 0 && differentCount == 0 && expectedItems == targetItems }

    /// At most this many keys are listed per kind of difference.
    public static let listLimit = 20
}

/// Compares a table with the staged data: item count and a digest of every item, keyed by its
/// primary key. The table is read with a parallel Scan; items compare with set members sorted
/// and attribute names in order. For a token-range share (other runs load the rest of the table),
/// every staged item must be there and equal; the table's other items are counted apart.
public struct Validator: Sendable {
    public let dynamo: DynamoDBClient
    public var segments: Int

    public init(dynamo: DynamoDBClient, segments: Int = 4) {
        self.dynamo = dynamo
        self.segments = max(1, segments)
    }

    /// The canonical text of an item's key.
    public static func keyText(_ item: DynamoItem, keys: [String]) -> String {
        keys.map { item[$0]?.jsonString() ?? "null" }.joined(separator: ",")
    }

    /// SHA-256 of the item's canonical DynamoDB JSON.
    public static func digest(_ item: DynamoItem) -> [UInt8] {
        var bytes: [UInt8] = []
        AttributeValue.writeItem(item.mapValues(\.withSortedSets), into: &bytes, sortedKeys: true)
        return Array(SHA256.hash(data: bytes))
    }

    public func validate(_ table: StagedTable, from source: PartSource, stop: StopSignal = StopSignal(),
                         progress: ProgressSink = .none) async throws -> ValidationReport {
        let started = Date()
        let name = table.design.table
        let keys = table.design.keyAttributes
        progress.emit(ProgressEvent(phase: "validate", kind: "start", table: name, totalRows: table.items))
        var expected: [String: [UInt8]] = [:]
        expected.reserveCapacity(table.items)
        for part in table.parts {
            try stop.check()
            let bytes = try await source.read(part, table: table)
            try PartReader.forEachItem(bytes, name: part.file, expectedCount: part.items) { item in
                expected[Self.keyText(item, keys: keys)] = Self.digest(item)
            }
        }
        let seen = Mutex<(found: [String: [UInt8]], count: Int, duplicates: [String])>(([:], 0, []))
        try await dynamo.parallelScan(tableName: name, totalSegments: segments) { _, items in
            try stop.check()
            let pairs = items.map { (Self.keyText($0, keys: keys), Self.digest($0)) }
            let count = seen.withLock { s in
                for (key, digest) in pairs {
                    if s.found.updateValue(digest, forKey: key) != nil { s.duplicates.append(key) }
                }
                s.count += pairs.count
                return s.count
            }
            progress.emit(ProgressEvent(phase: "validate", kind: "progress", table: name, rows: count, totalRows: table.items))
        }
        let found: [String: [UInt8]] = seen.withLock { s in
            let taken = s.found
            s.found = [:]
            return taken
        }
        let count = seen.withLock { $0.count }
        var report = ValidationReport(table: name, expectedItems: expected.count, targetItems: count)
        if table.tokenRange != nil {
            report.otherItems = found.keys.reduce(0) { $0 + (expected[$1] == nil ? 1 : 0) }
            report.targetItems = count - report.otherItems
        }
        for (key, digest) in expected.sorted(by: { $0.key < $1.key }) {
            guard let other = found[key] else {
                report.missingCount += 1
                if report.missing.count < ValidationReport.listLimit { report.missing.append(key) }
                continue
            }
            if other != digest {
                report.differentCount += 1
                if report.different.count < ValidationReport.listLimit { report.different.append(key) }
            }
        }
        for key in found.keys.sorted() where expected[key] == nil && table.tokenRange == nil {
            report.unexpectedCount += 1
            if report.unexpected.count < ValidationReport.listLimit { report.unexpected.append(key) }
        }
        report.seconds = Date().timeIntervalSince(started)
        progress.emit(ProgressEvent(phase: "validate", kind: "done", table: name, rows: count, totalRows: table.items,
                                    message: report.isMatch ? "match" : "differences",
                                    counts: ["missing": report.missingCount, "unexpected": report.unexpectedCount,
                                             "different": report.differentCount]))
        return report
    }
}
