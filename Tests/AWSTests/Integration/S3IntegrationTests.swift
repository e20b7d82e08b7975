import AWS
import Crypto
import Foundation
import SampleData
import TestSupport
import NIOCore
import Testing

/// Every S3 operation against moto, read back and hashed by boto3.
@Suite(.enabled(if: MotoServer.shouldRun, "moto_server or boto3 missing; install with pip install \"moto[server]\" boto3"))
struct S3IntegrationTests {
    static func sha256(_ bytes: some Sequence<UInt8>) -> String {
        SHA256.hash(data: Array(bytes)).map { String(format: "%02x", $0) }.joined()
    }

    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = SampleRandom(seed: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// boto3's view of one object: length, SHA-256 and ETag.
    static func botoObject(_ moto: MotoServer, bucket: String, key: String) async throws -> (length: Int, sha256: String, eTag: String) {
        let output = try await moto.boto3("""
            o = s3.get_object(Bucket=os.environ["B"], Key=os.environ["K"])
            body = o["Body"].read()
            print(json.dumps({"len": len(body), "sha": hashlib.sha256(body).hexdigest(), "etag": o["ETag"]}))
            """, environment: ["B": bucket, "K": key])
        let json = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        return (json["len"] as? Int ?? -1, json["sha"] as? String ?? "", json["etag"] as? String ?? "")
    }

    @Test func objectsMultipartListDelete() async throws {
        try await MotoServer.with { moto in
            let s3 = moto.s3()
            try await withShutdown([s3.shutdown]) {
                let bucket = "c2d-stage"
                try await s3.createBucket(bucket)
                try await s3.createBucket(bucket)  // idempotent

                // PutObject with a signed payload and a key that needs encoding (and keeps "//").
                let key = "shop/orders//run 1/part=00001+a ü.json.gz"
                let body = Self.bytes(70_000, seed: 1)
                let eTag = try await s3.putObject(bucket: bucket, key: key, body: ByteBuffer(bytes: body), contentType: "application/gzip")
                let boto = try await Self.botoObject(moto, bucket: bucket, key: key)
                #expect(boto.length == body.count)
                #expect(boto.sha256 == Self.sha256(body))
                #expect(boto.eTag == eTag)
                #expect(eTag == "\"" + Insecure.MD5.hash(data: body).map { String(format: "%02x", $0) }.joined() + "\"")

                // PutObject with UNSIGNED-PAYLOAD.
                let unsignedBody = Self.bytes(1234, seed: 2)
                try await s3.putObject(bucket: bucket, key: "unsigned.bin", body: ByteBuffer(bytes: unsignedBody), payloadSigning: .unsigned)
                #expect(try await Self.botoObject(moto, bucket: bucket, key: "unsigned.bin").sha256 == Self.sha256(unsignedBody))

                // GetObject (whole and a range) and HeadObject.
                let (fetched, metadata) = try await s3.getObject(bucket: bucket, key: key)
                #expect(Array(fetched.readableBytesView) == body)
                #expect(metadata.eTag == eTag)
                let (range, _) = try await s3.getObject(bucket: bucket, key: key, range: 100...199)
                #expect(Array(range.readableBytesView) == Array(body[100...199]))
                let head = try await s3.headObject(bucket: bucket, key: key)
                #expect(head.contentLength == Int64(body.count))
                #expect(head.contentType == "application/gzip")
                let missing = try await #require(throws: AWSError.self) { try await s3.headObject(bucket: bucket, key: "absent") }
                #expect(missing.code == "NotFound" && missing.httpStatus == 404)
                let noKey = try await #require(throws: AWSError.self) { try await s3.getObject(bucket: bucket, key: "absent") }
                #expect(noKey.code == "NoSuchKey")
                #expect(noKey.requestID?.isEmpty == false)

                // Multipart: 5 parts of 4 KiB + a short last one (moto runs with a 1 KiB part minimum),
                // started by hand with 2 parts, then resumed: ListParts finds them and they are not re-sent.
                let partSize = 4096
                let multipartBody = Self.bytes(partSize * 5 + 1000, seed: 3)
                let partCount = 6
                @Sendable func part(_ number: Int) -> ByteBuffer {
                    let start = (number - 1) * partSize
                    return ByteBuffer(bytes: multipartBody[start..<min(start + partSize, multipartBody.count)])
                }
                let mpKey = "multi/part file.json"
                let uploadID = try await s3.createMultipartUpload(bucket: bucket, key: mpKey, contentType: "application/json")
                for number in 1...2 {
                    _ = try await s3.uploadPart(bucket: bucket, key: mpKey, uploadID: uploadID, partNumber: number, body: part(number))
                }
                #expect(try await s3.listParts(bucket: bucket, key: mpKey, uploadID: uploadID).map(\.partNumber) == [1, 2])
                #expect(try await s3.listMultipartUploads(bucket: bucket).contains { $0.uploadID == uploadID })
                let result = try await s3.uploadMultipart(bucket: bucket, key: mpKey, uploadID: uploadID, partCount: partCount,
                                                          concurrency: 3) { part($0) }
                #expect(result.partsReused == 2)
                #expect(result.partsUploaded == 4)
                let mpBoto = try await Self.botoObject(moto, bucket: bucket, key: mpKey)
                #expect(mpBoto.length == multipartBody.count)
                #expect(mpBoto.sha256 == Self.sha256(multipartBody))
                #expect(mpBoto.eTag.hasSuffix("-6\""))
                #expect(try await s3.headObject(bucket: bucket, key: mpKey, partNumber: 1).partsCount == 6)

                // A fresh multipart upload in one call.
                let fresh = try await s3.uploadMultipart(bucket: bucket, key: "multi/fresh", partCount: partCount, concurrency: 4) { part($0) }
                #expect(fresh.partsUploaded == 6)
                #expect(try await Self.botoObject(moto, bucket: bucket, key: "multi/fresh").sha256 == Self.sha256(multipartBody))

                // Abort: the upload and its parts are gone.
                let aborted = try await s3.createMultipartUpload(bucket: bucket, key: "multi/aborted")
                _ = try await s3.uploadPart(bucket: bucket, key: "multi/aborted", uploadID: aborted, partNumber: 1, body: part(1))
                try await s3.abortMultipartUpload(bucket: bucket, key: "multi/aborted", uploadID: aborted)
                let gone = try await #require(throws: AWSError.self) {
                    try await s3.listParts(bucket: bucket, key: "multi/aborted", uploadID: aborted)
                }
                #expect(gone.code == "NoSuchUpload")

                // ListObjectsV2 with pagination (page size 7) over keys that need encoding.
                let listKeys = (0..<23).map { "list/k=\($0 < 10 ? "0" : "")\($0) +x/ü%\($0).json" }
                for listKey in listKeys {
                    try await s3.putObject(bucket: bucket, key: listKey, body: ByteBuffer(string: listKey))
                }
                let listed = try await s3.listAllObjects(bucket: bucket, prefix: "list/", pageSize: 7)
                #expect(listed.map(\.key) == listKeys.sorted())
                #expect(listed.allSatisfy { $0.size == Int64($0.key.utf8.count) })
                let firstPage = try await s3.listObjectsV2(bucket: bucket, prefix: "list/", maxKeys: 7)
                #expect(firstPage.objects.count == 7 && firstPage.nextContinuationToken != nil)
                let delimited = try await s3.listObjectsV2(bucket: bucket, delimiter: "/")
                #expect(delimited.commonPrefixes.sorted() == ["list/", "multi/", "shop/"])
                let botoKeys = try await moto.boto3("""
                    keys = []
                    for page in s3.get_paginator("list_objects_v2").paginate(Bucket="c2d-stage", Prefix="list/"):
                        keys += [o["Key"] for o in page.get("Contents", [])]
                    print(json.dumps(keys, ensure_ascii=False))
                    """)
                #expect(try JSONSerialization.jsonObject(with: botoKeys) as? [String] == listKeys.sorted())

                // DeleteObjects.
                let deleted = try await s3.deleteObjects(bucket: bucket, keys: listKeys)
                #expect(deleted.deleted.sorted() == listKeys.sorted())
                #expect(deleted.errors.isEmpty)
                #expect(try await s3.listAllObjects(bucket: bucket, prefix: "list/").isEmpty)
                let botoCount = try await moto.boto3("""
                    print(s3.list_objects_v2(Bucket="c2d-stage", Prefix="list/")["KeyCount"])
                    """)
                #expect(String(decoding: botoCount, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
            }
        }
    }
}
