import JSONCoding
import DynamoModel

extension DynamoDBClient {
    /// PutItem: writes one item, optionally only when `conditionExpression` holds.
    public func putItem(tableName: String, item: DynamoItem, conditionExpression: String? = nil,
                        expressionAttributeNames: [String: String] = [:]) async throws {
        var body: [UInt8] = []
        body.reserveCapacity(256)
        JSONWriter.writeRaw("{\"TableName\":", into: &body)
        JSONWriter.writeString(tableName, into: &body)
        JSONWriter.writeRaw(",\"Item\":", into: &body)
        AttributeValue.writeItem(item, into: &body)
        if let conditionExpression {
            JSONWriter.writeRaw(",\"ConditionExpression\":", into: &body)
            JSONWriter.writeString(conditionExpression, into: &body)
        }
        if !expressionAttributeNames.isEmpty {
            JSONWriter.writeRaw(",\"ExpressionAttributeNames\":", into: &body)
            JSONWriter.write(.object(expressionAttributeNames.map { JSONMember($0.key, .string($0.value)) }), into: &body)
        }
        body.append(UInt8(ascii: "}"))
        _ = try await call("PutItem", body: body)
    }

    /// GetItem: reads one item by its full key; nil when there is none.
    public func getItem(tableName: String, key: DynamoItem, consistentRead: Bool = false) async throws -> DynamoItem? {
        let response = try await call("GetItem", [
            JSONMember("TableName", .string(tableName)),
            JSONMember("Key", AttributeValue.itemJSON(key)),
            JSONMember("ConsistentRead", .bool(consistentRead)),
        ])
        guard let item = response["Item"] else { return nil }
        return try decodeItem(item, operation: "GetItem")
    }
}
