import DynamoModel

extension TableDesign {
    /// The table's key attribute names, partition key first.
    public var keyAttributes: [String] { [partitionKey.attribute] + (sortKey.map { [$0.attribute] } ?? []) }

    /// What CreateTable and ImportTable create: keys, billing and the proposed GSIs.
    public var tableDefinition: TableDefinition {
        var types: [String: ScalarAttributeType] = [:]
        var order: [String] = []
        func schema(_ hash: KeyDesign, _ range: KeyDesign?) -> [KeySchemaElement] {
            for key in [hash] + (range.map { [$0] } ?? []) where types[key.attribute] == nil {
                types[key.attribute] = key.type == .N ? .number : key.type == .B ? .binary : .string
                order.append(key.attribute)
            }
            return [KeySchemaElement(hash.attribute, .hash)] + (range.map { [KeySchemaElement($0.attribute, .range)] } ?? [])
        }
        let keys = schema(partitionKey, sortKey)
        let throughput = billingMode == "PROVISIONED"
            ? ProvisionedThroughput(read: readCapacity ?? 1, write: writeCapacity ?? 1) : nil
        let gsis = indexes.map { index in
            GlobalSecondaryIndex(indexName: index.name, keySchema: schema(index.partitionKey, index.sortKey),
                                 projection: index.projection == "KEYS_ONLY" ? .keysOnly : .all, provisionedThroughput: throughput)
        }
        return TableDefinition(tableName: table, attributeDefinitions: order.map { AttributeDefinition($0, types[$0]!) },
                               keySchema: keys, billingMode: throughput.map { .provisioned($0) } ?? .payPerRequest,
                               globalSecondaryIndexes: gsis)
    }
}
