import NIOCore

/// An object's metadata from HeadObject or GetObject.
public struct S3ObjectMetadata: Sendable, Hashable {
    /// `Content-Length`.
    public var contentLength: Int64
    /// The ETag, quotes included.
    public var eTag: String?
    /// `Content-Type`.
    public var contentType: String?
    /// `Last-Modified` as sent (RFC 7231 date).
    public var lastModified: String?
    /// `x-amz-mp-parts-count` for multipart objects.
    public var partsCount: Int?

    init(_ response: AWSResponse) {
        contentLength = response.header("content-length").flatMap { Int64($0) } ?? Int64(response.body.readableBytes)
        eTag = response.header("etag")
        contentType = response.header("content-type")
        lastModified = response.header("last-modified")
        partsCount = response.header("x-amz-mp-parts-count").flatMap { Int($0) }
    }
}

extension S3Client {
    /// PutObject: uploads `body` in one request, with `Content-MD5` and either a signed payload hash
    /// or `UNSIGNED-PAYLOAD`. Returns the ETag.
    @discardableResult
    public func putObject(bucket: String, key: String, body: ByteBuffer, contentType: String? = nil,
                          payloadSigning: AWSRequest.PayloadSigning = .signed) async throws -> String? {
        var headers: [(String, String)] = [("content-md5", Self.contentMD5(body))]
        if let contentType { headers.append(("content-type", contentType)) }
        let response = try await transport.send(request("PutObject", "PUT", bucket: bucket, key: key, headers: headers, body: body,
                                                        payloadSigning: payloadSigning))
        return response.header("etag")
    }

    /// GetObject: downloads an object (or a byte range, `bytes=a-b`), at most `maxBytes`.
    public func getObject(bucket: String, key: String, range: ClosedRange<Int64>? = nil, maxBytes: Int = 1 << 30) async throws
        -> (body: ByteBuffer, metadata: S3ObjectMetadata)
    {
        var headers: [(String, String)] = []
        if let range { headers.append(("range", "bytes=\(range.lowerBound)-\(range.upperBound)")) }
        let response = try await transport.send(request("GetObject", "GET", bucket: bucket, key: key, headers: headers,
                                                        maxResponseBytes: maxBytes))
        return (response.body, S3ObjectMetadata(response))
    }

    /// HeadObject: an object's metadata; throws an ``AWSError`` with code `NotFound` when it does not exist.
    public func headObject(bucket: String, key: String, partNumber: Int? = nil) async throws -> S3ObjectMetadata {
        let query = partNumber.map { [("partNumber", String($0))] } ?? []
        let response = try await transport.send(request("HeadObject", "HEAD", bucket: bucket, key: key, query: query))
        return S3ObjectMetadata(response)
    }
}
