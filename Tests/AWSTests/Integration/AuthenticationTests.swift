import AWS
import DynamoModel
import Foundation
import TestSupport
import NIOCore
import Testing

/// moto with authentication on: it re-computes every signature with botocore, so correct
/// credentials prove our signatures are right, and wrong ones must surface clearly without secrets.
@Suite(.enabled(if: MotoServer.shouldRun, "moto_server or boto3 missing; install with pip install \"moto[server]\" boto3"))
struct AuthenticationTests {
    @Test func signaturesAreVerifiedAndWrongCredentialsSurface() async throws {
        try await MotoServer.withAuthentication { moto, good in
            // Correct credentials: DynamoDB and S3 requests pass moto's signature check.
            let ddb = moto.dynamoDB(credentials: good)
            try await ddb.createTable(TableDefinition(tableName: "auth", attributeDefinitions: [.init("pk", .string)],
                                                      keySchema: [.init("pk", .hash)]))
            try await ddb.putItem(tableName: "auth", item: ["pk": .s("a"), "v": .b([1, 2, 3])])
            #expect(try await ddb.getItem(tableName: "auth", key: ["pk": .s("a")])?["v"] == .b([1, 2, 3]))
            _ = try await ddb.batchWriteItem(["auth": [.put(["pk": .s("b")])]])
            try await ddb.shutdown()
            let s3 = moto.s3(credentials: good)
            try await s3.createBucket("auth-bucket")
            try await s3.putObject(bucket: "auth-bucket", key: "plain/key-1.json", body: ByteBuffer(string: "{}"))
            try await s3.putObject(bucket: "auth-bucket", key: "plain/key-2.json", body: ByteBuffer(string: "[]"), payloadSigning: .unsigned)
            #expect(Array(try await s3.getObject(bucket: "auth-bucket", key: "plain/key-1.json").body.readableBytesView) == Array("{}".utf8))
            try await s3.shutdown()

            // A wrong secret: SignatureDoesNotMatch, with message and request id, and no secret anywhere.
            let wrongSecret = "WRONGsecretKEYthatMustNotLeak0123456789"
            let bad = moto.dynamoDB(credentials: AWSCredentials(accessKeyID: good.accessKeyID, secretAccessKey: wrongSecret))
            let error = try await #require(throws: AWSError.self) { try await bad.describeTable("auth") }
            try await bad.shutdown()
            #expect(error.code == "SignatureDoesNotMatch")
            #expect(error.httpStatus == 403)
            #expect(!error.message.isEmpty)
            #expect(error.requestID?.isEmpty == false)
            #expect(error.attempts == 1)
            for text in [error.description, error.message, String(describing: error), String(reflecting: error)] {
                #expect(!text.contains(wrongSecret))
                #expect(!text.contains(good.secretAccessKey))
            }

            // A bogus session token: moto treats the key as temporary and rejects it; the token never shows.
            let withToken = moto.dynamoDB(credentials: AWSCredentials(accessKeyID: good.accessKeyID, secretAccessKey: good.secretAccessKey,
                                                                       sessionToken: "SESSIONtokenThatMustNotLeak"))
            let tokenError = try await #require(throws: AWSError.self) { try await withToken.describeTable("auth") }
            try await withToken.shutdown()
            #expect(tokenError.httpStatus == 403)
            #expect(tokenError.code != nil)
            #expect(!tokenError.description.contains("SESSIONtokenThatMustNotLeak"))
            #expect(!tokenError.description.contains(good.secretAccessKey))

            // An unknown access key.
            let unknown = moto.dynamoDB(credentials: AWSCredentials(accessKeyID: "AKIAUNKNOWNKEY000000", secretAccessKey: wrongSecret))
            let unknownError = try await #require(throws: AWSError.self) { try await unknown.listTables() }
            try await unknown.shutdown()
            #expect(unknownError.code == "InvalidClientTokenId" || unknownError.code == "UnrecognizedClientException")
            #expect(!unknownError.description.contains(wrongSecret))

            // S3 with a wrong secret.
            let badS3 = moto.s3(credentials: AWSCredentials(accessKeyID: good.accessKeyID, secretAccessKey: wrongSecret))
            let s3Error = try await #require(throws: AWSError.self) {
                try await badS3.getObject(bucket: "auth-bucket", key: "plain/key-1.json")
            }
            try await badS3.shutdown()
            #expect(s3Error.code == "SignatureDoesNotMatch")
            #expect(s3Error.httpStatus == 403)
            #expect(!s3Error.description.contains(wrongSecret))
        }
    }
}
