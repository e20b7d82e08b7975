import AWS
import DynamoMapping
import Crypto
import DynamoModel
import Foundation
import Synchronization

/// Compares a table with the staged data, in memory that does not grow with the table.
///
/// Every item is reduced to its key's bucket (one of 16,384) and the SHA-256 of its canonical
/// DynamoDB JSON (set members sorted, attribute names in order). A first pass adds the digests up
/// per bucket on both sides: staged parts, and a parallel Scan of the table. Equal sums and counts
/// in every bucket mean equal contents. Only when buckets differ does a second pass re-read those
/// buckets' items on both sides, key by key (up to `detailLimit` items), to name what is missing,
/// unexpected or different.
///
/// A token-range share (other runs load the rest of the table) is checked from its own side
/// instead: every staged item is read back by key (BatchGetItem, consistent) and compared.
public struct Validator: Sendable {
    public let dynamo: DynamoDBClient
    public var segments: Int
    /// Items (staged and scanned) held in memory to name the keys of differing buckets.
    public var detailLimit: Int

    public init(dynamo: DynamoDBClient, segments: Int = 4, detailLimit: Int = 500_000) {
        self.dynamo = dynamo
        self.segments = max(1, segments)
        self.detailLimit = max(1, detailLimit)
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
        progress.emit(ProgressEvent(phase: .validate, kind: .start, table: table.design.table, totalRows: table.items))
        var report = try await stop.cancelling {
            table.tokenRange == nil
                ? try await compareWhole(table, from: source, stop: stop, progress: progress)
                : try await compareShare(table, from: source, stop: stop, progress: progress)
        }
        report.seconds = Date().timeIntervalSince(started)
        progress.emit(ProgressEvent(phase: .validate, kind: .done, table: report.table, rows: report.targetItems, totalRows: table.items,
                                    message: report.isMatch ? "match" : "differences",
                                    counts: ["missing": report.missingCount, "unexpected": report.unexpectedCount,
                                             "different": report.differentCount]))
        return report
    }

    /// Calls `body` with every staged item of `table`.
    private func forEachStaged(_ table: StagedTable, from source: PartSource, stop: StopSignal, _ body: (DynamoItem) throws -> Void) async throws {
        for part in table.parts {
            try stop.check()
            let bytes = try await source.read(part, table: table)
            try PartReader.forEachItem(bytes, compression: table.partCompression, name: part.file, expectedCount: part.items, stop: stop, body)
        }
    }

    // MARK: Whole table

    private func compareWhole(_ table: StagedTable, from source: PartSource, stop: StopSignal, progress: ProgressSink) async throws
        -> ValidationReport
    {
        let name = table.design.table
        let keys = table.design.keyAttributes
        var staged = BucketSums()
        try await forEachStaged(table, from: source, stop: stop) { item in
            staged.add(Self.digest(item), bucket: BucketSums.bucket(Self.keyText(item, keys: keys)))
        }
        let scanned = Mutex(BucketSums())
        try await dynamo.parallelScan(tableName: name, totalSegments: segments) { _, items in
            try stop.check()
            let pairs = items.map { (BucketSums.bucket(Self.keyText($0, keys: keys)), Self.digest($0)) }
            let count = scanned.withLock { sums in
                for (bucket, digest) in pairs { sums.add(digest, bucket: bucket) }
                return sums.total
            }
            progress.emit(ProgressEvent(phase: .validate, kind: .progress, table: name, rows: count, totalRows: table.items))
        }
        let found = scanned.withLock { $0 }
        var report = ValidationReport(table: name, expectedItems: staged.total, targetItems: found.total)
        let differing = staged.differingBuckets(from: found)
        guard !differing.isEmpty else { return report }

        // Second pass: the differing buckets key by key, as many as `detailLimit` items allow.
        var chosen = Set<Int>()
        var held = 0
        for bucket in differing {
            let size = staged.counts[bucket] + found.counts[bucket]
            if !chosen.isEmpty && held + size > detailLimit { break }
            chosen.insert(bucket)
            held += size
        }
        let examined = chosen
        progress.emit(ProgressEvent(phase: .validate, kind: .warning, table: name,
                                    message: "\(differing.count) of \(BucketSums.count) key buckets differ; reading \(examined.count) of them again key by key"))
        var expected: [String: [UInt8]] = [:]
        var stagedInExamined = 0
        try await forEachStaged(table, from: source, stop: stop) { item in
            let key = Self.keyText(item, keys: keys)
            guard examined.contains(BucketSums.bucket(key)) else { return }
            stagedInExamined += 1
            expected[key] = Self.digest(item)
        }
        // The same key staged twice is one item in the table (the later write wins).
        report.expectedItems -= stagedInExamined - expected.count
        let actual = Mutex<[String: [UInt8]]>([:])
        try await dynamo.parallelScan(tableName: name, totalSegments: segments) { _, items in
            try stop.check()
            let pairs = items.compactMap { item -> (String, [UInt8])? in
                let key = Self.keyText(item, keys: keys)
                return examined.contains(BucketSums.bucket(key)) ? (key, Self.digest(item)) : nil
            }
            actual.withLock { map in for (key, digest) in pairs { map[key] = digest } }
        }
        let inTable = actual.withLock { $0 }
        for (key, digest) in expected.sorted(by: { $0.key < $1.key }) {
            guard let other = inTable[key] else {
                report.noteMissing(key)
                continue
            }
            if other != digest { report.noteDifferent(key) }
        }
        for key in inTable.keys.sorted() where expected[key] == nil { report.noteUnexpected(key) }
        // Buckets left unexamined: differences counted from item counts.
        for bucket in differing where !examined.contains(bucket) {
            report.roughBuckets += 1
            let surplus = staged.counts[bucket] - found.counts[bucket]
            if surplus > 0 { report.missingCount += surplus } else if surplus < 0 { report.unexpectedCount -= surplus } else { report.differentCount += 1 }
        }
        return report
    }

    // MARK: Token-range share

    private func compareShare(_ table: StagedTable, from source: PartSource, stop: StopSignal, progress: ProgressSink) async throws
        -> ValidationReport
    {
        let name = table.design.table
        let keys = table.design.keyAttributes
        var report = ValidationReport(table: name)
        // Per staged item only its key and digest are held, a batch at a time plus one part's worth.
        var batch: [StagedKey] = []
        let batchSize = DynamoDBClient.maxBatchGetKeys * segments
        func check() async throws {
            let chunks = stride(from: 0, to: batch.count, by: DynamoDBClient.maxBatchGetKeys).map {
                Array(batch[$0..<min($0 + DynamoDBClient.maxBatchGetKeys, batch.count)])
            }
            let dynamo = self.dynamo
            let read = try await withThrowingTaskGroup(of: [DynamoItem].self) { group in
                for chunk in chunks {
                    group.addTask { try await dynamo.batchGet(tableName: name, keys: chunk.map(\.key)) }
                }
                var all: [DynamoItem] = []
                for try await items in group { all += items }
                return all
            }
            let inTable = Dictionary(read.map { (Self.keyText($0, keys: keys), Self.digest($0)) }, uniquingKeysWith: { a, _ in a })
            for staged in batch {
                report.expectedItems += 1
                guard let other = inTable[staged.text] else {
                    report.noteMissing(staged.text)
                    continue
                }
                report.targetItems += 1
                if other != staged.digest { report.noteDifferent(staged.text) }
            }
            batch.removeAll(keepingCapacity: true)
            progress.emit(ProgressEvent(phase: .validate, kind: .progress, table: name, rows: report.targetItems, totalRows: table.items))
        }
        for part in table.parts {
            try stop.check()
            let bytes = try await source.read(part, table: table)
            var staged: [StagedKey] = []
            staged.reserveCapacity(part.items)
            try PartReader.forEachItem(bytes, compression: table.partCompression, name: part.file, expectedCount: part.items, stop: stop) { item in
                staged.append(StagedKey(key: item.filter { keys.contains($0.key) }, text: Self.keyText(item, keys: keys), digest: Self.digest(item)))
            }
            for entry in staged {
                batch.append(entry)
                if batch.count == batchSize { try await check() }
            }
        }
        if !batch.isEmpty { try await check() }
        return report
    }
}

/// A staged item as a share's check needs it: its key attributes, their text and its digest.
private struct StagedKey {
    var key: DynamoItem
    var text: String
    var digest: [UInt8]
}

/// Per key bucket: how many items, and the wrapping sum of their digests' first 128 bits, an
/// order-independent fingerprint of the bucket's contents.
struct BucketSums: Sendable {
    static let count = 1 << 14
    var counts = [Int](repeating: 0, count: count)
    var sums = [UInt64](repeating: 0, count: 2 * count)
    var total = 0

    /// The bucket of a key text (FNV-1a, the same in every process).
    static func bucket(_ key: String) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(h % UInt64(count))
    }

    mutating func add(_ digest: [UInt8], bucket: Int) {
        digest.withUnsafeBytes { raw in
            sums[2 * bucket] &+= raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
            sums[2 * bucket + 1] &+= raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        }
        counts[bucket] += 1
        total += 1
    }

    func differingBuckets(from other: BucketSums) -> [Int] {
        (0..<Self.count).filter { counts[$0] != other.counts[$0] || sums[2 * $0] != other.sums[2 * $0] || sums[2 * $0 + 1] != other.sums[2 * $0 + 1] }
    }
}
