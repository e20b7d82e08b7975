import JSONCoding
import DynamoModel

/// The result of one BatchWriteItem call.
public struct BatchWriteItemOutput: Sendable {
    /// Requests the service did not process, by table; re-send them.
    public var unprocessedItems: [String: [WriteRequest]]
    /// Write capacity units consumed, when reported.
    public var consumedWriteCapacity: Double
}

/// Settings of ``DynamoDBClient/batchWrite(tableName:requests:options:)``.
public struct BatchWriteOptions: Sendable {
    /// Batches in flight at once.
    public var concurrency: Int
    /// Seconds after which unprocessed items still left make the call fail.
    public var deadline: Double
    /// Backoff between re-sends of unprocessed items (its `maxAttempts` is not used; the deadline bounds it).
    public var backoff: RetryPolicy
    /// Reject items larger than DynamoDB's 400 KB limit before sending.
    public var checkItemSize: Bool

    /// Creates options.
    public init(concurrency: Int = 1, deadline: Double = 900,
                backoff: RetryPolicy = RetryPolicy(maxAttempts: 1, baseDelay: 0.05, throttlingBaseDelay: 0.1, maxBackoff: 5),
                checkItemSize: Bool = true) {
        self.concurrency = max(1, concurrency)
        self.deadline = deadline
        self.backoff = backoff
        self.checkItemSize = checkItemSize
    }
}

/// What ``DynamoDBClient/batchWrite(tableName:requests:options:)`` did.
public struct BatchWriteReport: Sendable, Hashable {
    /// Requests the service confirmed as processed.
    public var processedRequests = 0
    /// BatchWriteItem calls made (re-sends included).
    public var calls = 0
    /// Re-sends because of UnprocessedItems.
    public var unprocessedResends = 0
    /// Re-sends after a batch was throttled as a whole (after the transport's own retries).
    public var throttledResends = 0
    /// Write capacity units consumed, when reported.
    public var consumedWriteCapacity = 0.0

    mutating func add(_ other: BatchWriteReport) {
        processedRequests += other.processedRequests
        calls += other.calls
        unprocessedResends += other.unprocessedResends
        throttledResends += other.throttledResends
        consumedWriteCapacity += other.consumedWriteCapacity
    }
}

extension DynamoDBClient {
    /// At most 25 requests per BatchWriteItem call.
    public static let maxBatchWriteRequests = 25
    /// At most 16 MB per BatchWriteItem request.
    public static let maxBatchWriteBytes = 16 * 1024 * 1024

    /// BatchWriteItem: one call with at most 25 requests and 16 MB. Unprocessed items are returned, not re-sent.
    public func batchWriteItem(_ requestItems: [String: [WriteRequest]]) async throws -> BatchWriteItemOutput {
        let encoded = requestItems.mapValues { requests in
            requests.map { request -> [UInt8] in
                var bytes: [UInt8] = []
                request.writeJSON(into: &bytes)
                return bytes
            }
        }
        return try await batchWriteEncoded(encoded)
    }

    func batchWriteEncoded(_ requestItems: [String: [[UInt8]]]) async throws -> BatchWriteItemOutput {
        let count = requestItems.values.reduce(0) { $0 + $1.count }
        guard count > 0, count <= Self.maxBatchWriteRequests else {
            throw AWSError(kind: .invalidRequest, service: "dynamodb", operation: "BatchWriteItem",
                           message: "a batch must hold 1 to \(Self.maxBatchWriteRequests) requests, got \(count)")
        }
        var body: [UInt8] = []
        body.reserveCapacity(requestItems.values.reduce(64) { $0 + $1.reduce(0) { $0 + $1.count + 1 } })
        JSONWriter.writeRaw("{\"RequestItems\":{", into: &body)
        var firstTable = true
        for (table, requests) in requestItems {
            if !firstTable { body.append(UInt8(ascii: ",")) }
            firstTable = false
            JSONWriter.writeString(table, into: &body)
            JSONWriter.writeRaw(":[", into: &body)
            for (index, request) in requests.enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                body.append(contentsOf: request)
            }
            body.append(UInt8(ascii: "]"))
        }
        JSONWriter.writeRaw("},\"ReturnConsumedCapacity\":\"TOTAL\"}", into: &body)
        guard body.count <= Self.maxBatchWriteBytes else {
            throw AWSError(kind: .invalidRequest, service: "dynamodb", operation: "BatchWriteItem",
                           message: "batch request is \(body.count) bytes, over the 16 MB limit")
        }
        let response = try await call("BatchWriteItem", body: body)
        var unprocessed: [String: [WriteRequest]] = [:]
        for (table, requests) in (response["UnprocessedItems"]?.objectValue ?? []).map({ ($0.name, $0.value) }) {
            var decoded: [WriteRequest] = []
            for request in requests.arrayValue ?? [] {
                do { decoded.append(try WriteRequest(json: request)) } catch {
                    throw invalidResponse("BatchWriteItem", error.description)
                }
            }
            if !decoded.isEmpty { unprocessed[table] = decoded }
        }
        let consumed = (response["ConsumedCapacity"]?.arrayValue ?? []).reduce(0.0) {
            $0 + ($1["CapacityUnits"]?.doubleValue ?? 0)
        }
        return BatchWriteItemOutput(unprocessedItems: unprocessed, consumedWriteCapacity: consumed)
    }

    /// Writes all `requests` to one table: splits them into batches of at most 25 requests and 16 MB,
    /// sends up to `options.concurrency` batches at once, and re-sends UnprocessedItems (and batches
    /// throttled as a whole) with jittered exponential backoff until everything is processed or the
    /// deadline passes.
    ///
    /// The same key must not appear twice within `requests` chunks of 25 (DynamoDB rejects such a batch).
    public func batchWrite(tableName: String, requests: [WriteRequest], options: BatchWriteOptions = BatchWriteOptions()) async throws
        -> BatchWriteReport
    {
        let deadline = MonotonicClock.now() + options.deadline
        var chunks: [[[UInt8]]] = []
        var current: [[UInt8]] = []
        var currentBytes = 0
        let overhead = 64 + tableName.utf8.count * 2
        for request in requests {
            if options.checkItemSize, case .put(let item) = request {
                let size = ItemSize.of(item)
                if size > ItemSize.maximumItemBytes {
                    throw AWSError(kind: .invalidRequest, service: "dynamodb", operation: "BatchWriteItem",
                                   message: "item of \(size) bytes exceeds the 400 KB item size limit")
                }
            }
            var bytes: [UInt8] = []
            request.writeJSON(into: &bytes)
            if !current.isEmpty,
                current.count == Self.maxBatchWriteRequests || currentBytes + bytes.count + 1 + overhead > Self.maxBatchWriteBytes
            {
                chunks.append(current)
                current = []
                currentBytes = 0
            }
            currentBytes += bytes.count + 1
            current.append(bytes)
        }
        if !current.isEmpty { chunks.append(current) }

        var report = BatchWriteReport()
        try await withThrowingTaskGroup(of: BatchWriteReport.self) { group in
            var next = 0
            while next < chunks.count, next < options.concurrency {
                let chunk = chunks[next]
                group.addTask { try await self.writeChunk(tableName: tableName, chunk: chunk, deadline: deadline, options: options) }
                next += 1
            }
            while let done = try await group.next() {
                report.add(done)
                if next < chunks.count {
                    let chunk = chunks[next]
                    group.addTask { try await self.writeChunk(tableName: tableName, chunk: chunk, deadline: deadline, options: options) }
                    next += 1
                }
            }
        }
        return report
    }

    private func writeChunk(tableName: String, chunk: [[UInt8]], deadline: Double, options: BatchWriteOptions) async throws
        -> BatchWriteReport
    {
        var report = BatchWriteReport()
        var pending = chunk
        var round = 0
        while true {
            report.calls += 1
            do {
                let output = try await batchWriteEncoded([tableName: pending])
                report.consumedWriteCapacity += output.consumedWriteCapacity
                let left = output.unprocessedItems[tableName] ?? []
                report.processedRequests += pending.count - left.count
                if left.isEmpty { return report }
                report.unprocessedResends += 1
                pending = left.map { request in
                    var bytes: [UInt8] = []
                    request.writeJSON(into: &bytes)
                    return bytes
                }
            } catch let error as AWSError
                where error.kind == .service && RetryClassification.classify(code: error.code, status: error.httpStatus ?? 0) == .throttling
            {
                guard MonotonicClock.now() < deadline else { throw error }
                report.throttledResends += 1
            }
            round += 1
            guard MonotonicClock.now() < deadline else {
                throw AWSError(kind: .deadlineExceeded, service: "dynamodb", operation: "BatchWriteItem",
                               message: "\(pending.count) unprocessed requests left for \(tableName) when the deadline passed",
                               attempts: report.calls)
            }
            let delay = options.backoff.delay(retry: round, throttled: true, random: Double.random(in: 0..<1))
            if delay > 0 { try await Task.sleep(for: .milliseconds(Int64(delay * 1000))) }
        }
    }
}
