import JSONCoding
import DynamoModel

/// What DescribeTable (and CreateTable, DeleteTable) report about a table.
public struct TableDescription: Sendable, Hashable {
    /// The status of one global secondary index.
    public struct IndexStatus: Sendable, Hashable {
        /// The index name.
        public var indexName: String
        /// CREATING, UPDATING, DELETING or ACTIVE.
        public var status: String
    }

    /// The table name.
    public var tableName: String
    /// CREATING, UPDATING, DELETING, ACTIVE, …
    public var tableStatus: String
    /// The table ARN.
    public var tableArn: String?
    /// The approximate item count (updated about every six hours by AWS).
    public var itemCount: Int64?
    /// The approximate size in bytes.
    public var tableSizeBytes: Int64?
    /// The key schema.
    public var keySchema: [KeySchemaElement]
    /// Key attribute types.
    public var attributeDefinitions: [AttributeDefinition]
    /// PAY_PER_REQUEST or PROVISIONED (nil when the service omits it).
    public var billingMode: String?
    /// Provisioned throughput, if any.
    public var provisionedThroughput: ProvisionedThroughput?
    /// Global secondary indexes and their status.
    public var globalSecondaryIndexes: [IndexStatus]

    /// True when the table and all its indexes are ACTIVE.
    public var isFullyActive: Bool {
        tableStatus == "ACTIVE" && globalSecondaryIndexes.allSatisfy { $0.status == "ACTIVE" }
    }

    init(json: JSONValue) throws(DecodingFailure) {
        guard let name = json["TableName"]?.stringValue else { throw DecodingFailure("TableDescription without TableName") }
        tableName = name
        tableStatus = json["TableStatus"]?.stringValue ?? "UNKNOWN"
        tableArn = json["TableArn"]?.stringValue
        itemCount = json["ItemCount"]?.int64Value
        tableSizeBytes = json["TableSizeBytes"]?.int64Value
        keySchema = (json["KeySchema"]?.arrayValue ?? []).compactMap { element in
            guard let name = element["AttributeName"]?.stringValue,
                let type = element["KeyType"]?.stringValue.flatMap(KeyType.init(rawValue:)) else { return nil }
            return KeySchemaElement(name, type)
        }
        attributeDefinitions = (json["AttributeDefinitions"]?.arrayValue ?? []).compactMap { element in
            guard let name = element["AttributeName"]?.stringValue,
                let type = element["AttributeType"]?.stringValue.flatMap(ScalarAttributeType.init(rawValue:)) else { return nil }
            return AttributeDefinition(name, type)
        }
        billingMode = json["BillingModeSummary"]?["BillingMode"]?.stringValue
        if let throughput = json["ProvisionedThroughput"], let read = throughput["ReadCapacityUnits"]?.int64Value,
            let write = throughput["WriteCapacityUnits"]?.int64Value, read > 0 || write > 0
        {
            provisionedThroughput = ProvisionedThroughput(read: Int(read), write: Int(write))
        }
        globalSecondaryIndexes = (json["GlobalSecondaryIndexes"]?.arrayValue ?? []).compactMap { index in
            guard let name = index["IndexName"]?.stringValue else { return nil }
            return IndexStatus(indexName: name, status: index["IndexStatus"]?.stringValue ?? "UNKNOWN")
        }
    }
}

/// A response that did not have the expected shape.
struct DecodingFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
