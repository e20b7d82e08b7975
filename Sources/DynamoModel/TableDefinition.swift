/// The scalar types a key attribute can have.
public enum ScalarAttributeType: String, Sendable, Hashable {
    /// String.
    case string = "S"
    /// Number.
    case number = "N"
    /// Binary.
    case binary = "B"
}

/// The role of a key attribute.
public enum KeyType: String, Sendable, Hashable {
    /// Partition key.
    case hash = "HASH"
    /// Sort key.
    case range = "RANGE"
}

/// One element of a key schema.
public struct KeySchemaElement: Sendable, Hashable {
    /// The attribute name.
    public var attributeName: String
    /// HASH or RANGE.
    public var keyType: KeyType
    /// Creates an element.
    public init(_ attributeName: String, _ keyType: KeyType) {
        self.attributeName = attributeName
        self.keyType = keyType
    }
}

/// The type of a key attribute (table or index key).
public struct AttributeDefinition: Sendable, Hashable {
    /// The attribute name.
    public var attributeName: String
    /// Its scalar type.
    public var attributeType: ScalarAttributeType
    /// Creates a definition.
    public init(_ attributeName: String, _ attributeType: ScalarAttributeType) {
        self.attributeName = attributeName
        self.attributeType = attributeType
    }
}

/// Read and write capacity units of a provisioned table or index.
public struct ProvisionedThroughput: Sendable, Hashable {
    /// Read capacity units.
    public var readCapacityUnits: Int
    /// Write capacity units.
    public var writeCapacityUnits: Int
    /// Creates a throughput setting.
    public init(read: Int, write: Int) {
        readCapacityUnits = read
        writeCapacityUnits = write
    }
}

/// How a table is billed.
public enum BillingMode: Sendable, Hashable {
    /// On-demand (`PAY_PER_REQUEST`).
    case payPerRequest
    /// Provisioned capacity.
    case provisioned(ProvisionedThroughput)
}

/// Which attributes an index projects.
public enum Projection: Sendable, Hashable {
    /// All attributes.
    case all
    /// Keys only.
    case keysOnly
    /// Keys plus the named attributes.
    case include([String])
}

/// A global secondary index.
public struct GlobalSecondaryIndex: Sendable, Hashable {
    /// The index name.
    public var indexName: String
    /// Its key schema.
    public var keySchema: [KeySchemaElement]
    /// Projected attributes.
    public var projection: Projection
    /// Throughput, required when the table is provisioned.
    public var provisionedThroughput: ProvisionedThroughput?
    /// Creates an index definition.
    public init(indexName: String, keySchema: [KeySchemaElement], projection: Projection = .all,
                provisionedThroughput: ProvisionedThroughput? = nil) {
        self.indexName = indexName
        self.keySchema = keySchema
        self.projection = projection
        self.provisionedThroughput = provisionedThroughput
    }
}

/// A resource tag.
public struct Tag: Sendable, Hashable {
    /// The key.
    public var key: String
    /// The value.
    public var value: String
    /// Creates a tag.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// What a new table looks like: the part shared by CreateTable and ImportTable's `TableCreationParameters`.
public struct TableDefinition: Sendable, Hashable {
    /// The table name.
    public var tableName: String
    /// Types of the key attributes (table and index keys only).
    public var attributeDefinitions: [AttributeDefinition]
    /// The table's key schema (HASH, then optional RANGE).
    public var keySchema: [KeySchemaElement]
    /// Billing mode and, for provisioned tables, throughput.
    public var billingMode: BillingMode
    /// Global secondary indexes.
    public var globalSecondaryIndexes: [GlobalSecondaryIndex]

    /// Creates a definition.
    public init(tableName: String, attributeDefinitions: [AttributeDefinition], keySchema: [KeySchemaElement],
                billingMode: BillingMode = .payPerRequest, globalSecondaryIndexes: [GlobalSecondaryIndex] = []) {
        self.tableName = tableName
        self.attributeDefinitions = attributeDefinitions
        self.keySchema = keySchema
        self.billingMode = billingMode
        self.globalSecondaryIndexes = globalSecondaryIndexes
    }
}
