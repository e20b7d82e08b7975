import JSONCoding
import DynamoModel

/// Parameters of one Scan call.
public struct ScanInput: Sendable {
    /// The table.
    public var tableName: String
    /// 0-based segment of a parallel scan (with ``totalSegments``).
    public var segment: Int?
    /// Number of segments of a parallel scan (1 to 1,000,000).
    public var totalSegments: Int?
    /// Return only counts (`Select=COUNT`).
    public var countOnly: Bool
    /// Where to continue (the previous page's `LastEvaluatedKey`).
    public var exclusiveStartKey: DynamoItem?
    /// Maximum items evaluated per page.
    public var limit: Int?
    /// Strongly consistent reads.
    public var consistentRead: Bool

    /// Creates scan parameters.
    public init(tableName: String, segment: Int? = nil, totalSegments: Int? = nil, countOnly: Bool = false,
                exclusiveStartKey: DynamoItem? = nil, limit: Int? = nil, consistentRead: Bool = false) {
        self.tableName = tableName
        self.segment = segment
        self.totalSegments = totalSegments
        self.countOnly = countOnly
        self.exclusiveStartKey = exclusiveStartKey
        self.limit = limit
        self.consistentRead = consistentRead
    }
}

/// One page of Scan results.
public struct ScanOutput: Sendable {
    /// The items (empty when counting only).
    public var items: [DynamoItem]
    /// Items in this page after filtering.
    public var count: Int
    /// Items evaluated for this page.
    public var scannedCount: Int
    /// Continue from here; nil on the last page.
    public var lastEvaluatedKey: DynamoItem?
}

extension DynamoDBClient {
    /// Scan: one page.
    public func scan(_ input: ScanInput) async throws -> ScanOutput {
        var members: [JSONMember] = [JSONMember("TableName", .string(input.tableName))]
        if let segment = input.segment, let total = input.totalSegments {
            members.append(JSONMember("Segment", .number(String(segment))))
            members.append(JSONMember("TotalSegments", .number(String(total))))
        }
        if input.countOnly { members.append(JSONMember("Select", .string("COUNT"))) }
        if let start = input.exclusiveStartKey { members.append(JSONMember("ExclusiveStartKey", AttributeValue.itemJSON(start))) }
        if let limit = input.limit { members.append(JSONMember("Limit", .number(String(limit)))) }
        if input.consistentRead { members.append(JSONMember("ConsistentRead", .bool(true))) }
        let response = try await call("Scan", members)
        var items: [DynamoItem] = []
        if !input.countOnly {
            for item in response["Items"]?.arrayValue ?? [] {
                items.append(try decodeItem(item, operation: "Scan"))
            }
        }
        let lastKey = try response["LastEvaluatedKey"].map { try decodeItem($0, operation: "Scan") }
        return ScanOutput(
            items: items,
            count: response["Count"]?.int64Value.map { Int($0) } ?? items.count,
            scannedCount: response["ScannedCount"]?.int64Value.map { Int($0) } ?? items.count,
            lastEvaluatedKey: lastKey.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Scans the whole table with `totalSegments` parallel segments, following pagination in each,
    /// and hands every page to `onPage` (called concurrently from different segments).
    public func parallelScan(tableName: String, totalSegments: Int, consistentRead: Bool = false, pageLimit: Int? = nil,
                             onPage: @escaping @Sendable (_ segment: Int, _ items: [DynamoItem]) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for segment in 0..<max(1, totalSegments) {
                group.addTask {
                    var start: DynamoItem?
                    repeat {
                        let page = try await self.scan(ScanInput(
                            tableName: tableName, segment: totalSegments > 1 ? segment : nil,
                            totalSegments: totalSegments > 1 ? totalSegments : nil, exclusiveStartKey: start,
                            limit: pageLimit, consistentRead: consistentRead))
                        try await onPage(segment, page.items)
                        start = page.lastEvaluatedKey
                    } while start != nil
                }
            }
            try await group.waitForAll()
        }
    }

    /// Returns every item of the table, read with `totalSegments` parallel segments.
    public func scanAll(tableName: String, totalSegments: Int = 4, consistentRead: Bool = false) async throws -> [DynamoItem] {
        try await withThrowingTaskGroup(of: [DynamoItem].self) { group in
            for segment in 0..<max(1, totalSegments) {
                group.addTask {
                    var items: [DynamoItem] = []
                    var start: DynamoItem?
                    repeat {
                        let page = try await self.scan(ScanInput(
                            tableName: tableName, segment: totalSegments > 1 ? segment : nil,
                            totalSegments: totalSegments > 1 ? totalSegments : nil, exclusiveStartKey: start,
                            consistentRead: consistentRead))
                        items += page.items
                        start = page.lastEvaluatedKey
                    } while start != nil
                    return items
                }
            }
            var all: [DynamoItem] = []
            for try await items in group { all += items }
            return all
        }
    }

    /// Counts the table's items with `Select=COUNT` over `totalSegments` parallel segments.
    public func countItems(tableName: String, totalSegments: Int = 4, consistentRead: Bool = false) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for segment in 0..<max(1, totalSegments) {
                group.addTask {
                    var count = 0
                    var start: DynamoItem?
                    repeat {
                        let page = try await self.scan(ScanInput(
                            tableName: tableName, segment: totalSegments > 1 ? segment : nil,
                            totalSegments: totalSegments > 1 ? totalSegments : nil, countOnly: true,
                            exclusiveStartKey: start, consistentRead: consistentRead))
                        count += page.count
                        start = page.lastEvaluatedKey
                    } while start != nil
                    return count
                }
            }
            var total = 0
            for try await count in group { total += count }
            return total
        }
    }
}
