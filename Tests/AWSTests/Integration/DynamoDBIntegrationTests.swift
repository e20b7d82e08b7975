import AWS
import DynamoModel
import Foundation
import TestSupport
import NIOCore
import Testing

/// Every DynamoDB operation against a real local endpoint (moto), read back with boto3.
@Suite(.enabled(if: MotoServer.shouldRun, "moto_server or boto3 missing; install with pip install \"moto[server]\" boto3"))
struct DynamoDBIntegrationTests {
    @Test func tablesItemsBatchScanImport() async throws {
        try await MotoServer.with { moto in
            let ddb = moto.dynamoDB()
            let s3 = moto.s3()
            try await withShutdown([ddb.shutdown, s3.shutdown]) {
                // CreateTable, on-demand, with a GSI and tags; then wait for ACTIVE.
                let definition = TableDefinition(
                    tableName: "orders",
                    attributeDefinitions: [.init("pk", .string), .init("sk", .number), .init("city", .string)],
                    keySchema: [.init("pk", .hash), .init("sk", .range)],
                    billingMode: .payPerRequest,
                    globalSecondaryIndexes: [GlobalSecondaryIndex(indexName: "byCity", keySchema: [.init("city", .hash)], projection: .keysOnly)])
                let created = try await ddb.createTable(definition, options: CreateTableOptions(tags: [Tag(key: "owner", value: "cass2dynamo")]))
                #expect(created.tableName == "orders")
                let active = try await ddb.waitUntilActive("orders", pollInterval: 0.2, timeout: 30)
                #expect(active.isFullyActive)
                #expect(active.keySchema == [.init("pk", .hash), .init("sk", .range)])
                #expect(active.globalSecondaryIndexes.map(\.indexName) == ["byCity"])

                // CreateTable, provisioned (GSI inherits throughput).
                let provisioned = TableDefinition(
                    tableName: "prov", attributeDefinitions: [.init("id", .binary), .init("g", .number)],
                    keySchema: [.init("id", .hash)], billingMode: .provisioned(ProvisionedThroughput(read: 7, write: 3)),
                    globalSecondaryIndexes: [GlobalSecondaryIndex(indexName: "byG", keySchema: [.init("g", .hash)], projection: .include(["x"]))])
                try await ddb.createTable(provisioned)
                let provDescription = try await ddb.waitUntilActive("prov", pollInterval: 0.2, timeout: 30)
                #expect(provDescription.provisionedThroughput == ProvisionedThroughput(read: 7, write: 3))

                // Independent check of both tables' definitions and tags with boto3.
                let described = try await moto.boto3("""
                    t = ddb.describe_table(TableName="orders")["Table"]
                    p = ddb.describe_table(TableName="prov")["Table"]
                    tags = ddb.list_tags_of_resource(ResourceArn=t["TableArn"])["Tags"]
                    print(json.dumps({"billing": t.get("BillingModeSummary", {}).get("BillingMode"),
                                      "gsi": [g["IndexName"] for g in t.get("GlobalSecondaryIndexes", [])],
                                      "gsiProjection": t["GlobalSecondaryIndexes"][0]["Projection"]["ProjectionType"],
                                      "tags": tags, "provRead": p["ProvisionedThroughput"]["ReadCapacityUnits"],
                                      "provGsiRead": p["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["ReadCapacityUnits"]}))
                    """)
                let info = try #require(try JSONSerialization.jsonObject(with: described) as? [String: Any])
                #expect(info["billing"] as? String == "PAY_PER_REQUEST")
                #expect(info["gsi"] as? [String] == ["byCity"])
                #expect(info["gsiProjection"] as? String == "KEYS_ONLY")
                #expect((info["tags"] as? [[String: String]]) == [["Key": "owner", "Value": "cass2dynamo"]])
                #expect(info["provRead"] as? Int == 7)
                #expect(info["provGsiRead"] as? Int == 7)

                // ListTables with pagination (page size 1).
                #expect(try await ddb.listTables(pageSize: 1).sorted() == ["orders", "prov"])

                // UpdateTimeToLive.
                try await ddb.updateTimeToLive(tableName: "orders", attributeName: "expires")
                let ttl = try await ddb.describeTimeToLive(tableName: "orders")
                #expect(ttl.status == "ENABLED" && ttl.attributeName == "expires")

                // PutItem + GetItem with every type; boto3 reads back the same item.
                let rich = TestItems.rich(pk: "rich", sk: 1)
                try await ddb.putItem(tableName: "orders", item: rich)
                let got = try await ddb.getItem(tableName: "orders", key: ["pk": .s("rich"), "sk": .n("1")], consistentRead: true)
                #expect(got.map(normalized) == normalized(rich))
                #expect(try await ddb.getItem(tableName: "orders", key: ["pk": .s("absent"), "sk": .n("1")]) == nil)

                // A conditional put that fails surfaces ConditionalCheckFailedException.
                await #expect {
                    try await ddb.putItem(tableName: "orders", item: rich, conditionExpression: "attribute_not_exists(pk)")
                } throws: { error in
                    (error as? AWSError)?.code == "ConditionalCheckFailedException"
                }

                // BatchWriteItem: 260 items, 4 batches in flight; then deletes.
                let items = (0..<260).map { TestItems.rich(pk: "p\($0 % 13)", sk: $0 + 10) }
                // Each partition's first item goes in alone first: moto creates a partition's store on its
                // first write without a lock, and two batches creating the same one at once lose an item
                // (seen: 260 of 261 under load). The batch below writes these 13 again, unchanged.
                for item in items.prefix(13) { try await ddb.putItem(tableName: "orders", item: item) }
                let report = try await ddb.batchWrite(tableName: "orders", requests: items.map(WriteRequest.put),
                                                      options: BatchWriteOptions(concurrency: 4))
                #expect(report.processedRequests == 260)
                #expect(report.calls == 11)  // ceil(260 / 25)

                // Scan: parallel segments, COUNT, pagination.
                let scanned = try await ddb.scanAll(tableName: "orders", totalSegments: 4)
                #expect(scanned.count == 261)
                #expect(try await ddb.countItems(tableName: "orders", totalSegments: 3) == 261)
                var pages = 0
                var paged = 0
                var start: DynamoItem?
                repeat {
                    let page = try await ddb.scan(ScanInput(tableName: "orders", exclusiveStartKey: start, limit: 40))
                    pages += 1
                    paged += page.items.count
                    start = page.lastEvaluatedKey
                } while start != nil
                #expect(paged == 261)
                #expect(pages >= 7)

                // boto3 sees exactly what we wrote.
                let expected = Dictionary(uniqueKeysWithValues: (items + [rich]).map { (Self.key($0), normalized($0)) })
                let fromBoto = try await moto.boto3ScanItems("orders")
                #expect(fromBoto.count == 261)
                for item in fromBoto {
                    let same = expected[Self.key(item)] == normalized(item)
                    #expect(same, "item \(Self.key(item)) differs")
                }
                // And the raw DynamoDB JSON of one item agrees byte for byte with our encoder.
                let raw = try await moto.boto3("""
                    item = ddb.get_item(TableName="orders", Key={"pk": {"S": "rich"}, "sk": {"N": "1"}})["Item"]
                    print(json.dumps(enc(item), ensure_ascii=False, separators=(",", ":"), sort_keys=True))
                    """)
                let ours = try AttributeValue.decodeItem(jsonBytes: Array(raw))
                #expect(normalized(ours) == normalized(rich))

                // Deletes through BatchWriteItem.
                let deletes = items.prefix(30).map { WriteRequest.delete(key: ["pk": $0["pk"]!, "sk": $0["sk"]!]) }
                _ = try await ddb.batchWrite(tableName: "orders", requests: Array(deletes))
                #expect(try await ddb.countItems(tableName: "orders", totalSegments: 2) == 231)

                // ImportTable from S3 (DYNAMODB_JSON, uncompressed) + DescribeImport.
                try await s3.createBucket("import-src")
                for part in 0..<3 {
                    var lines: [UInt8] = []
                    for index in 0..<40 {
                        lines += Array("{\"Item\":".utf8)
                        AttributeValue.writeItem(TestItems.rich(pk: "imp\(part)", sk: index, motoImportSafe: true), into: &lines)
                        lines += Array("}\n".utf8)
                    }
                    try await s3.putObject(bucket: "import-src", key: "exports/orders/part-\(part).json", body: ByteBuffer(bytes: lines))
                }
                let started = try await ddb.importTable(ImportTableInput(
                    clientToken: "token-1", bucket: "import-src", keyPrefix: "exports/orders/", compression: .none,
                    table: TableDefinition(tableName: "imported", attributeDefinitions: [.init("pk", .string), .init("sk", .number)],
                                           keySchema: [.init("pk", .hash), .init("sk", .range)])))
                let finished = try await ddb.waitForImport(importArn: started.importArn, pollInterval: 0.2, timeout: 30)
                #expect(finished.status == "COMPLETED")
                #expect(finished.importedItemCount == 120)
                #expect(finished.errorCount == 0)
                let imported = try await moto.boto3ScanItems("imported")
                #expect(imported.count == 120)
                let importExpected = Dictionary(uniqueKeysWithValues: (0..<3).flatMap { part in
                    (0..<40).map { TestItems.rich(pk: "imp\(part)", sk: $0, motoImportSafe: true) }
                }.map { (Self.key($0), normalized($0)) })
                for item in imported {
                    let want = importExpected[Self.key(item)] ?? [:]
                    let differing = Set(want.keys).union(item.keys).filter { want[$0] != normalized(item)[$0] }.sorted()
                    #expect(differing.isEmpty, "imported item \(Self.key(item)) differs in \(differing)")
                }

                // DeleteTable; DescribeTable afterwards surfaces ResourceNotFoundException.
                try await ddb.deleteTable("prov")
                #expect(try await ddb.listTables().sorted() == ["imported", "orders"])
            }
        }
    }

    @Test func serviceErrorsAreTyped() async throws {
        try await MotoServer.with { moto in
            let ddb = moto.dynamoDB()
            try await withShutdown([ddb.shutdown]) {
                // Missing table.
                let missing = try await #require(throws: AWSError.self) { try await ddb.describeTable("nope") }
                #expect(missing.kind == .service)
                #expect(missing.code == "ResourceNotFoundException")
                #expect(missing.httpStatus == 400)
                #expect(missing.requestID?.isEmpty == false)
                #expect(!missing.message.isEmpty)
                #expect(missing.attempts == 1)
                #expect(missing.description.contains("ResourceNotFoundException"))
                #expect(!missing.description.contains(MotoServer.credentials.secretAccessKey))

                // Validation error: an empty string key.
                try await ddb.createTable(TableDefinition(tableName: "t", attributeDefinitions: [.init("pk", .string)],
                                                          keySchema: [.init("pk", .hash)]))
                let invalid = try await #require(throws: AWSError.self) {
                    try await ddb.putItem(tableName: "t", item: ["pk": .s("")])
                }
                #expect(invalid.code == "ValidationException")
                #expect(!invalid.message.isEmpty)
                #expect(invalid.requestID?.isEmpty == false)
                #expect(invalid.httpStatus == 400)

                // An invalid number is rejected as well.
                let badNumber = try await #require(throws: AWSError.self) {
                    try await ddb.putItem(tableName: "t", item: ["pk": .s("a"), "n": .n("NaN")])
                }
                #expect(badNumber.code == "ValidationException")
            }
        }
    }

    static func key(_ item: DynamoItem) -> String {
        func text(_ value: AttributeValue?) -> String {
            switch value {
            case .s(let s): s
            case .n(let n): n
            default: "?"
            }
        }
        return text(item["pk"]) + "|" + text(item["sk"])
    }
}
