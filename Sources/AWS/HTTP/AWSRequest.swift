import NIOCore

/// One AWS API request before signing: where it goes and what it carries.
public struct AWSRequest: Sendable {
    /// How the body is covered by the signature.
    public enum PayloadSigning: Sendable, Hashable {
        /// Hash the body (DynamoDB; S3 `x-amz-content-sha256: <hex>`).
        case signed
        /// S3 only: `x-amz-content-sha256: UNSIGNED-PAYLOAD`.
        case unsigned
    }

    /// The operation name, for errors and statistics (e.g. `PutItem`).
    public var operation: String
    /// The HTTP method.
    public var method: String
    /// The path as sent on the wire (percent-encoded), starting with `/`.
    public var path: String
    /// Query parameters, not encoded.
    public var query: [(String, String)]
    /// Headers other than `host`, `x-amz-date`, `authorization`, `content-length`.
    public var headers: [(String, String)]
    /// The body.
    public var body: ByteBuffer
    /// Host name to send to (virtual-hosted S3 prepends the bucket); nil uses the endpoint's host.
    public var hostOverride: String?
    /// How the payload is signed.
    public var payloadSigning: PayloadSigning
    /// Largest response body accepted, in bytes.
    public var maxResponseBytes: Int
    /// When true, a 200 response whose XML root is `Error` is treated as an error (S3 CompleteMultipartUpload).
    public var errorMayHideIn200: Bool
    /// When false, the request is never retried (it is not idempotent).
    public var isIdempotent: Bool

    /// Creates a request.
    public init(
        operation: String, method: String, path: String = "/", query: [(String, String)] = [],
        headers: [(String, String)] = [], body: ByteBuffer = ByteBuffer(), hostOverride: String? = nil,
        payloadSigning: PayloadSigning = .signed, maxResponseBytes: Int = 64 << 20,
        errorMayHideIn200: Bool = false, isIdempotent: Bool = true
    ) {
        self.operation = operation
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.hostOverride = hostOverride
        self.payloadSigning = payloadSigning
        self.maxResponseBytes = maxResponseBytes
        self.errorMayHideIn200 = errorMayHideIn200
        self.isIdempotent = isIdempotent
    }

    /// The query string as sent on the wire (keys and values percent-encoded, in the given order).
    var wireQuery: String {
        query.map { PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1) }.joined(separator: "&")
    }
}

/// A successful response: status, headers and the collected body.
public struct AWSResponse: Sendable {
    /// The HTTP status.
    public var status: Int
    /// Response headers as (name, value) pairs.
    public var headers: [(String, String)]
    /// The body.
    public var body: ByteBuffer

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.0.lowercased() == lower }?.1
    }

    /// The request id from `x-amzn-RequestId` or `x-amz-request-id`.
    public var requestID: String? {
        header("x-amzn-requestid") ?? header("x-amz-request-id")
    }

    /// The body as bytes.
    public var bodyBytes: [UInt8] {
        Array(body.readableBytesView)
    }
}
