import AWS
import DynamoModel
import NIOCore
import SSTable

/// Listings and small objects of one bucket, fetched for discovery from a thread that may block;
/// errors are ``SSTableError``s naming the URL.
struct S3Listing {
    let client: S3Client
    let bucket: String
    /// The URL the user gave, named when a request fails.
    let url: String

    /// `s3://BUCKET/KEY`.
    func url(ofKey key: String) -> String { S3Location(bucket: bucket, prefix: "").url(ofKey: key) }

    /// Objects (key → size) and folders (prefixes ending in `/`) directly under `prefix`.
    func children(of prefix: String) throws(SSTableError) -> (objects: [String: Int64], folders: Set<String>) {
        let (client, bucket) = (client, bucket)
        let pages = try wait("list \(url(ofKey: prefix))") {
            var objects: [String: Int64] = [:]
            var folders: Set<String> = []
            var token: String?
            repeat {
                let page = try await client.listObjectsV2(bucket: bucket, prefix: prefix.isEmpty ? nil : prefix, delimiter: "/", continuationToken: token)
                for object in page.objects { objects[object.key] = object.size }
                folders.formUnion(page.commonPrefixes)
                token = page.nextContinuationToken
            } while token != nil
            return (objects, folders)
        }
        return pages
    }

    /// Every object (key → size) under `prefix`, at any depth.
    func all(under prefix: String) throws(SSTableError) -> [String: Int64] {
        let (client, bucket) = (client, bucket)
        let objects = try wait("list \(url(ofKey: prefix))") {
            try await client.listAllObjects(bucket: bucket, prefix: prefix.isEmpty ? nil : prefix)
        }
        return Dictionary(objects.map { ($0.key, $0.size) }, uniquingKeysWith: { first, _ in first })
    }

    /// A small object's bytes; nil when there is no such object.
    func object(_ key: String, maxBytes: Int = 256 << 20) throws(SSTableError) -> [UInt8]? {
        let (client, bucket) = (client, bucket)
        return try wait("read \(url(ofKey: key))") {
            do {
                return Array(try await client.getObject(bucket: bucket, key: key, maxBytes: maxBytes).body.readableBytesView)
            } catch let error as AWSError where error.httpStatus == 404 {
                return nil
            }
        }
    }

    /// Runs a request and waits for it.
    private func wait<T: Sendable>(_ what: String, _ work: @escaping @Sendable () async throws -> T) throws(SSTableError) -> T {
        switch BlockingResult(work).wait() {
        case .success(let value): return value
        case .failure(let error): throw SSTableError(path: url, "cannot \(what): \(error)")
        }
    }
}
