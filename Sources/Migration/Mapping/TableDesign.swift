import AWS

/// One key attribute of the target table.
public struct KeyAttribute: Sendable, Hashable, Codable {
    public var name: String
    /// `S`, `N` or `B`.
    public var type: String

    public init(name: String, type: String) {
        self.name = name
        self.type = type
    }
}

/// The DynamoDB table a CQL table is migrated to: what the loader creates and the validator keys on.
public struct TableDesign: Sendable, Hashable, Codable {
    /// The target table name (`--table-prefix` + the CQL table name).
    public var tableName: String
    public var partitionKey: KeyAttribute
    public var sortKey: KeyAttribute?
    /// The attribute holding the expiry time (epoch seconds), when TTL is mapped.
    public var ttlAttribute: String?

    public init(tableName: String, partitionKey: KeyAttribute, sortKey: KeyAttribute? = nil, ttlAttribute: String? = nil) {
        self.tableName = tableName
        self.partitionKey = partitionKey
        self.sortKey = sortKey
        self.ttlAttribute = ttlAttribute
    }

    /// Key attribute names, partition key first.
    public var keyNames: [String] { [partitionKey.name] + (sortKey.map { [$0.name] } ?? []) }

    /// The CreateTable / ImportTable definition (on-demand billing).
    public var tableDefinition: TableDefinition {
        func scalar(_ t: String) -> ScalarAttributeType { ScalarAttributeType(rawValue: t) ?? .string }
        var attributes = [AttributeDefinition(partitionKey.name, scalar(partitionKey.type))]
        var keys = [KeySchemaElement(partitionKey.name, .hash)]
        if let sortKey {
            attributes.append(AttributeDefinition(sortKey.name, scalar(sortKey.type)))
            keys.append(KeySchemaElement(sortKey.name, .range))
        }
        return TableDefinition(tableName: tableName, attributeDefinitions: attributes, keySchema: keys)
    }
}
