import AsyncHTTPClient
import Crypto
import ExtrasBase64
import HexCoding
import NIOCore

/// An S3 client over the REST/XML protocol.
///
/// Uses path-style addressing (`/<bucket>/<key>`) for custom endpoints and virtual-hosted style
/// (`<bucket>.s3.<region>.amazonaws.com`) for AWS, like boto3. Keys are percent-encoded once and
/// signed exactly as sent. Throws ``AWSError``.
public struct S3Client: Sendable {
    /// The transport used for every call.
    public let transport: AWSTransport
    /// The region (for CreateBucket's location constraint).
    public let region: String
    /// Use path-style addressing even on AWS.
    public var forcePathStyle: Bool

    /// Creates a client over an existing transport (its service must be `s3`).
    public init(transport: AWSTransport, forcePathStyle: Bool? = nil) {
        self.transport = transport
        self.region = transport.region
        self.forcePathStyle = forcePathStyle ?? transport.endpoint.isCustom
    }

    /// Creates a client for `region` at `endpoint` (the AWS endpoint when nil), signing with `credentials`
    /// (fixed ``AWSCredentials`` or a refreshing provider).
    public init(credentials: any AWSCredentialProvider, region: String, endpoint: AWSEndpoint? = nil,
                configuration: TransportConfiguration = TransportConfiguration(), httpClient: HTTPClient? = nil) {
        self.init(transport: AWSTransport(endpoint: endpoint ?? .aws(service: .s3, region: region), region: region, service: "s3",
                                          credentials: credentials, configuration: configuration, httpClient: httpClient))
    }

    /// Creates a client from resolved configuration (environment, profile, files).
    public init(resolver: AWSConfigurationResolver, region explicitRegion: String? = nil, endpointURL: String? = nil,
                configuration: TransportConfiguration = TransportConfiguration(), httpClient: HTTPClient? = nil) throws(AWSConfigurationError) {
        let region = try resolver.region(explicit: explicitRegion)
        self.init(credentials: try resolver.credentialProvider(region: region), region: region,
                  endpoint: try resolver.endpoint(for: .s3, region: region, explicit: endpointURL),
                  configuration: configuration, httpClient: httpClient)
    }

    /// Shuts down the transport's HTTP client if it owns one.
    public func shutdown() async throws {
        try await transport.shutdown()
    }

    /// True when `bucket` can be a DNS label for virtual-hosted addressing.
    static func isVirtualHostable(_ bucket: String) -> Bool {
        guard (3...63).contains(bucket.utf8.count), !bucket.contains(".") else { return false }
        return bucket.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-") }
            && bucket.first != "-" && bucket.last != "-"
    }

    /// The host override and wire path for a bucket and optional key.
    func location(bucket: String, key: String?) -> (host: String?, path: String) {
        let encodedKey = key.map { PercentEncoding.encode($0, keepSlash: true) }
        if forcePathStyle || !Self.isVirtualHostable(bucket) {
            return (nil, "/" + PercentEncoding.encode(bucket) + (encodedKey.map { "/" + $0 } ?? ""))
        }
        return (bucket + "." + transport.endpoint.host, "/" + (encodedKey ?? ""))
    }

    /// Builds a request for a bucket/key.
    func request(_ operation: String, _ method: String, bucket: String, key: String? = nil, query: [(String, String)] = [],
                 headers: [(String, String)] = [], body: ByteBuffer = ByteBuffer(),
                 payloadSigning: AWSRequest.PayloadSigning = .signed, maxResponseBytes: Int = 16 << 20) -> AWSRequest {
        let place = location(bucket: bucket, key: key)
        return AWSRequest(operation: operation, method: method, path: place.path, query: query, headers: headers, body: body,
                          hostOverride: place.host, payloadSigning: payloadSigning, maxResponseBytes: maxResponseBytes)
    }

    /// Reads an XML response body as `shape`.
    func xml<Shape: Decodable>(_ response: AWSResponse, _ shape: Shape.Type, operation: String) throws -> Shape {
        do {
            return try AWSXML.decode(shape, from: response.body.readableBytesView)
        } catch {
            throw AWSError(kind: .invalidResponse, service: "s3", operation: operation,
                           message: "the response body is not the XML \(operation) answers with",
                           httpStatus: response.status, requestID: response.requestID)
        }
    }

    /// An XML request body.
    static func xmlBody(_ value: some Encodable, root: String) throws -> ByteBuffer {
        ByteBuffer(string: try AWSXML.encode(value, root: root, xmlns: S3XML.namespace))
    }

    /// base64 of the binary MD5, for `Content-MD5`.
    static func contentMD5(_ buffer: ByteBuffer) -> String {
        var md5 = Insecure.MD5()
        buffer.withUnsafeReadableBytes { md5.update(bufferPointer: $0) }
        return Base64.encodeToString(bytes: Array(md5.finalize()))
    }

    /// Hex MD5 (the ETag of a single-part object or a part).
    static func md5Hex(_ buffer: ByteBuffer) -> String {
        var md5 = Insecure.MD5()
        buffer.withUnsafeReadableBytes { md5.update(bufferPointer: $0) }
        return Hex.encode(md5.finalize())
    }

    /// HeadBucket: succeeds when the bucket exists and the caller may use it; else throws an
    /// ``AWSError`` with HTTP status 404 (no such bucket), 403 (access denied) or 301 (another region).
    public func headBucket(_ bucket: String) async throws {
        _ = try await transport.send(request("HeadBucket", "HEAD", bucket: bucket))
    }

    /// CreateBucket; succeeds when the bucket already exists and is owned by the caller.
    public func createBucket(_ bucket: String) async throws {
        var body = ByteBuffer()
        if region != "us-east-1" {
            body = try Self.xmlBody(S3XML.CreateBucketConfiguration(locationConstraint: region), root: "CreateBucketConfiguration")
        }
        do {
            _ = try await transport.send(request("CreateBucket", "PUT", bucket: bucket, body: body))
        } catch let error as AWSError where error.code == "BucketAlreadyOwnedByYou" {
            return
        }
    }
}
