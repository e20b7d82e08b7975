import JSONCoding
import DynamoModel

extension DynamoDBClient {
    /// At most 100 keys per BatchGetItem call.
    public static let maxBatchGetKeys = 100

    /// Reads the items of `keys` from one table with BatchGetItem, 100 keys a call, re-requesting
    /// UnprocessedKeys (and calls throttled as a whole) with jittered exponential backoff until every
    /// key is answered or `deadline` seconds pass. Keys without an item are absent from the result,
    /// which is in no particular order.
    public func batchGet(tableName: String, keys: [DynamoItem], consistentRead: Bool = true, deadline: Double = 900,
                         backoff: RetryPolicy = RetryPolicy(maxAttempts: 1, baseDelay: 0.05, throttlingBaseDelay: 0.1, maxBackoff: 5))
        async throws -> [DynamoItem]
    {
        let end = MonotonicClock.now() + deadline
        var found: [DynamoItem] = []
        var start = 0
        while start < keys.count {
            var pending = Array(keys[start..<min(start + Self.maxBatchGetKeys, keys.count)])
            start += Self.maxBatchGetKeys
            var round = 0
            while !pending.isEmpty {
                do {
                    let (items, left) = try await batchGetItem(tableName: tableName, keys: pending, consistentRead: consistentRead)
                    found += items
                    pending = left
                    if pending.isEmpty { break }
                } catch let error as AWSError
                    where error.kind == .service && RetryClassification.classify(code: error.code, status: error.httpStatus ?? 0) == .throttling
                {
                    guard MonotonicClock.now() < end else { throw error }
                }
                round += 1
                guard MonotonicClock.now() < end else {
                    throw AWSError(kind: .deadlineExceeded, service: "dynamodb", operation: "BatchGetItem",
                                   message: "\(pending.count) unprocessed keys left for \(tableName) when the deadline passed")
                }
                let delay = backoff.delay(retry: round, throttled: true, random: Double.random(in: 0..<1))
                if delay > 0 { try await Task.sleep(for: .milliseconds(Int64(delay * 1000))) }
            }
        }
        return found
    }

    /// One BatchGetItem call on one table: the items found and the keys left unprocessed.
    func batchGetItem(tableName: String, keys: [DynamoItem], consistentRead: Bool) async throws -> (items: [DynamoItem], unprocessed: [DynamoItem]) {
        guard !keys.isEmpty, keys.count <= Self.maxBatchGetKeys else {
            throw AWSError(kind: .invalidRequest, service: "dynamodb", operation: "BatchGetItem",
                           message: "a batch must hold 1 to \(Self.maxBatchGetKeys) keys, got \(keys.count)")
        }
        var body: [UInt8] = []
        JSONWriter.writeRaw("{\"RequestItems\":{", into: &body)
        JSONWriter.writeString(tableName, into: &body)
        JSONWriter.writeRaw(":{\"Keys\":[", into: &body)
        for (index, key) in keys.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            AttributeValue.writeItem(key, into: &body)
        }
        JSONWriter.writeRaw(string: "],\"ConsistentRead\":\(consistentRead)}}}", into: &body)
        let response = try await call("BatchGetItem", body: body)
        let items = try (response["Responses"]?[tableName]?.arrayValue ?? []).map { try decodeItem($0, operation: "BatchGetItem") }
        let left = try (response["UnprocessedKeys"]?[tableName]?["Keys"]?.arrayValue ?? []).map { try decodeItem($0, operation: "BatchGetItem") }
        return (items, left)
    }
}
