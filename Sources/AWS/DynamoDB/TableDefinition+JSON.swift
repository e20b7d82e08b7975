import DynamoModel

extension TableDefinition {
    /// The JSON members shared by CreateTable and TableCreationParameters.
    var jsonMembers: [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            ("TableName", .string(tableName)),
            ("AttributeDefinitions", .array(attributeDefinitions.map {
                .object([("AttributeName", .string($0.attributeName)), ("AttributeType", .string($0.attributeType.rawValue))])
            })),
            ("KeySchema", Self.keySchemaJSON(keySchema)),
        ]
        switch billingMode {
        case .payPerRequest:
            members.append(("BillingMode", .string("PAY_PER_REQUEST")))
        case .provisioned(let throughput):
            members.append(("BillingMode", .string("PROVISIONED")))
            members.append(("ProvisionedThroughput", Self.throughputJSON(throughput)))
        }
        if !globalSecondaryIndexes.isEmpty {
            members.append(("GlobalSecondaryIndexes", .array(globalSecondaryIndexes.map { index in
                var fields: [(String, JSONValue)] = [
                    ("IndexName", .string(index.indexName)),
                    ("KeySchema", Self.keySchemaJSON(index.keySchema)),
                    ("Projection", Self.projectionJSON(index.projection)),
                ]
                if case .provisioned(let tableThroughput) = billingMode {
                    fields.append(("ProvisionedThroughput", Self.throughputJSON(index.provisionedThroughput ?? tableThroughput)))
                }
                return .object(fields)
            })))
        }
        return members
    }

    private static func keySchemaJSON(_ schema: [KeySchemaElement]) -> JSONValue {
        .array(schema.map { .object([("AttributeName", .string($0.attributeName)), ("KeyType", .string($0.keyType.rawValue))]) })
    }

    private static func throughputJSON(_ throughput: ProvisionedThroughput) -> JSONValue {
        .object([
            ("ReadCapacityUnits", .number(String(throughput.readCapacityUnits))),
            ("WriteCapacityUnits", .number(String(throughput.writeCapacityUnits))),
        ])
    }

    private static func projectionJSON(_ projection: Projection) -> JSONValue {
        switch projection {
        case .all: .object([("ProjectionType", .string("ALL"))])
        case .keysOnly: .object([("ProjectionType", .string("KEYS_ONLY"))])
        case .include(let names):
            .object([("ProjectionType", .string("INCLUDE")), ("NonKeyAttributes", .array(names.map { .string($0) }))])
        }
    }
}
