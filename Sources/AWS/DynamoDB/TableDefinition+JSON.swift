import JSONCoding
import DynamoModel

extension TableDefinition {
    /// The JSON members shared by CreateTable and TableCreationParameters.
    var jsonMembers: [JSONMember] {
        var members: [JSONMember] = [
            JSONMember("TableName", .string(tableName)),
            JSONMember("AttributeDefinitions", .array(attributeDefinitions.map {
                .object([JSONMember("AttributeName", .string($0.attributeName)), JSONMember("AttributeType", .string($0.attributeType.rawValue))])
            })),
            JSONMember("KeySchema", Self.keySchemaJSON(keySchema)),
        ]
        switch billingMode {
        case .payPerRequest:
            members.append(JSONMember("BillingMode", .string("PAY_PER_REQUEST")))
        case .provisioned(let throughput):
            members.append(JSONMember("BillingMode", .string("PROVISIONED")))
            members.append(JSONMember("ProvisionedThroughput", Self.throughputJSON(throughput)))
        }
        if !globalSecondaryIndexes.isEmpty {
            members.append(JSONMember("GlobalSecondaryIndexes", .array(globalSecondaryIndexes.map { index in
                var fields: [JSONMember] = [
                    JSONMember("IndexName", .string(index.indexName)),
                    JSONMember("KeySchema", Self.keySchemaJSON(index.keySchema)),
                    JSONMember("Projection", Self.projectionJSON(index.projection)),
                ]
                if case .provisioned(let tableThroughput) = billingMode {
                    fields.append(JSONMember("ProvisionedThroughput", Self.throughputJSON(index.provisionedThroughput ?? tableThroughput)))
                }
                return .object(fields)
            })))
        }
        return members
    }

    private static func keySchemaJSON(_ schema: [KeySchemaElement]) -> JSONValue {
        .array(schema.map { .object([JSONMember("AttributeName", .string($0.attributeName)), JSONMember("KeyType", .string($0.keyType.rawValue))]) })
    }

    private static func throughputJSON(_ throughput: ProvisionedThroughput) -> JSONValue {
        .object([
            JSONMember("ReadCapacityUnits", .number(String(throughput.readCapacityUnits))),
            JSONMember("WriteCapacityUnits", .number(String(throughput.writeCapacityUnits))),
        ])
    }

    private static func projectionJSON(_ projection: Projection) -> JSONValue {
        switch projection {
        case .all: .object([JSONMember("ProjectionType", .string("ALL"))])
        case .keysOnly: .object([JSONMember("ProjectionType", .string("KEYS_ONLY"))])
        case .include(let names):
            .object([JSONMember("ProjectionType", .string("INCLUDE")), JSONMember("NonKeyAttributes", .array(names.map { .string($0) }))])
        }
    }
}
