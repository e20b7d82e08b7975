import AWS
import DynamoModel
import Foundation
import SampleData
import TestSupport

/// Items with every attribute type and awkward values, for round trips.
enum TestItems {
    /// Every byte value, for binary round trips.
    static let allBytes: [UInt8] = Array(0...255)

    /// An item using every DynamoDB type. `motoImportSafe` leaves out what moto 5.2.1's ImportTable
    /// mishandles: an empty list or map (the rest of the object is dropped silently) and escapes in
    /// strings (`\n`, `\"`, `\u0001` are stored literally, not decoded). Both are valid DynamoDB JSON
    /// and AWS imports them; BatchWriteItem and PutItem round-trip them through moto.
    static func rich(pk: String, sk: Int, motoImportSafe: Bool = false) -> DynamoItem {
        var generator = SampleRandom(seed: UInt64(sk))
        return [
            "pk": .s(pk),
            "sk": .number(sk),
            "text": .s(motoImportSafe ? "héllo wörld / 😀 \(sk)" : "héllo \"wörld\" \\ / \n\t\u{01} 😀 \(sk)"),
            "empty": .s(""),
            "big": .n("12345678901234567890123456789012345678"),
            "small": .n("-0.000000000000000000000000000000000001"),
            "dec": .n("3.14159"),
            "bin": .b(allBytes.shuffled(using: &generator)),
            "emptyBin": .b([]),
            "flag": .bool(sk % 2 == 0),
            "nothing": .null,
            "map": .m(["city": .s("Zürich"), "zip": .n("8001"), "nested": .m(["deep": .l([.s("a"), .n("1"), .null])])]),
            "list": .l([.s("x"), .n("2"), .b([0, 1, 2]), .bool(false)] + (motoImportSafe ? [.l([.null])] : [.l([]), .m([:])])),
            "tags": .ss(["red", "green", "blue \(sk)"]),
            "scores": .ns(["1", "2.5", "-3", "\(sk)"]),
            "blobs": .bs([[1, 2, 3], [255], [0, UInt8(sk % 256)] ]),
            "city": .s(["Paris", "Oslo", "Lima"][sk % 3]),
        ]
    }
}


extension MotoServer {
    /// A DynamoDB client for this server.
    func dynamoDB(configuration: TransportConfiguration = TransportConfiguration(), credentials: AWSCredentials = MotoServer.credentials,
                  endpoint: AWSEndpoint? = nil) -> DynamoDBClient {
        DynamoDBClient(credentials: credentials, region: Self.region, endpoint: endpoint ?? self.endpoint, configuration: configuration)
    }

    /// An S3 client for this server (path style, as for every custom endpoint).
    func s3(configuration: TransportConfiguration = TransportConfiguration(), credentials: AWSCredentials = MotoServer.credentials) -> S3Client {
        S3Client(credentials: credentials, region: Self.region, endpoint: endpoint, configuration: configuration)
    }

    /// Reads every item of `table` with boto3 (paginated scan) and decodes them with our codec.
    func boto3ScanItems(_ table: String) async throws -> [DynamoItem] {
        let output = try await boto3("""
            items = []
            for page in ddb.get_paginator("scan").paginate(TableName=sys.argv[1] if len(sys.argv) > 1 else os.environ["TABLE"]):
                items.extend(page["Items"])
            print(json.dumps([enc(i) for i in items], ensure_ascii=False))
            """, environment: ["TABLE": table])
        let json = try JSONSerialization.jsonObject(with: output) as? [Any] ?? []
        return try json.map { element in
            let data = try JSONSerialization.data(withJSONObject: element)
            return try AttributeValue.decodeItem(jsonBytes: Array(data))
        }
    }
}

/// Compares items ignoring set order.
func normalized(_ item: DynamoItem) -> DynamoItem {
    item.mapValues(\.withSortedSets)
}
