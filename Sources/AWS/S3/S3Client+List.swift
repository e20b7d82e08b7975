import NIOCore

/// One object in a listing.
public struct S3ObjectSummary: Sendable, Hashable {
    /// The key (decoded).
    public var key: String
    /// Size in bytes.
    public var size: Int64
    /// The ETag, quotes included.
    public var eTag: String?
    /// `LastModified` as sent (ISO 8601).
    public var lastModified: String?
}

/// One page of ListObjectsV2.
public struct ListObjectsV2Page: Sendable, Hashable {
    /// Objects in this page.
    public var objects: [S3ObjectSummary]
    /// Common prefixes (with a delimiter).
    public var commonPrefixes: [String]
    /// Token for the next page; nil on the last page.
    public var nextContinuationToken: String?
}

/// The outcome of DeleteObjects.
public struct DeleteObjectsOutput: Sendable, Hashable {
    /// One key that could not be deleted.
    public struct Failure: Sendable, Hashable {
        /// The key.
        public var key: String
        /// The S3 error code.
        public var code: String
        /// The message.
        public var message: String
    }

    /// Keys deleted.
    public var deleted: [String]
    /// Keys not deleted.
    public var errors: [Failure]
}

extension S3Client {
    /// ListObjectsV2: one page (at most `maxKeys`, 1000 by default).
    public func listObjectsV2(bucket: String, prefix: String? = nil, delimiter: String? = nil, continuationToken: String? = nil,
                              startAfter: String? = nil, maxKeys: Int? = nil) async throws -> ListObjectsV2Page {
        var query: [(String, String)] = [("list-type", "2"), ("encoding-type", "url")]
        if let prefix { query.append(("prefix", prefix)) }
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        if let startAfter { query.append(("start-after", startAfter)) }
        if let maxKeys { query.append(("max-keys", String(maxKeys))) }
        let response = try await transport.send(request("ListObjectsV2", "GET", bucket: bucket, query: query))
        let result = try xml(response, S3XML.ListBucketResult.self, operation: "ListObjectsV2")
        let encoded = result.encodingType == "url"
        func decode(_ text: String) -> String {
            encoded ? PercentEncoding.decode(text.replacingAll("+", with: " ")) : text
        }
        let objects = (result.contents ?? []).map { object in
            S3ObjectSummary(key: decode(object.key), size: object.size ?? 0, eTag: object.eTag, lastModified: object.lastModified)
        }
        let prefixes = (result.commonPrefixes ?? []).map { decode($0.prefix) }
        return ListObjectsV2Page(objects: objects, commonPrefixes: prefixes,
                                 nextContinuationToken: result.isTruncated == true ? result.nextContinuationToken : nil)
    }

    /// Lists every object under `prefix`, following continuation tokens.
    public func listAllObjects(bucket: String, prefix: String? = nil, pageSize: Int? = nil) async throws -> [S3ObjectSummary] {
        var all: [S3ObjectSummary] = []
        var token: String?
        repeat {
            let page = try await listObjectsV2(bucket: bucket, prefix: prefix, continuationToken: token, maxKeys: pageSize)
            all += page.objects
            token = page.nextContinuationToken
        } while token != nil
        return all
    }

    /// DeleteObjects: deletes keys in batches of 1000 (with the required `Content-MD5`).
    public func deleteObjects(bucket: String, keys: [String]) async throws -> DeleteObjectsOutput {
        var output = DeleteObjectsOutput(deleted: [], errors: [])
        var start = 0
        while start < keys.count {
            let batch = keys[start..<min(start + 1000, keys.count)]
            start += batch.count
            let body = try Self.xmlBody(S3XML.Delete(object: batch.map { S3XML.Delete.Object(key: $0) }), root: "Delete")
            let response = try await transport.send(request(
                "DeleteObjects", "POST", bucket: bucket, query: [("delete", "")],
                headers: [("content-md5", Self.contentMD5(body)), ("content-type", "application/xml")], body: body))
            let result = try xml(response, S3XML.DeleteResult.self, operation: "DeleteObjects")
            output.deleted += (result.deleted ?? []).map(\.key)
            output.errors += (result.error ?? []).map {
                DeleteObjectsOutput.Failure(key: $0.key ?? "", code: $0.code ?? "", message: $0.message ?? "")
            }
        }
        return output
    }
}
