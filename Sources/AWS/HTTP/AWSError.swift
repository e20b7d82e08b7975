/// An error from an AWS call: a service error response, a transport failure, or a client-side limit.
///
/// Carries the AWS error code, message, HTTP status and request id. Messages are scrubbed of the
/// caller's secret key and session token before they are stored.
public struct AWSError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: Sendable, Hashable {
        /// The service answered with an error response.
        case service
        /// The request did not get a response (connection refused/reset, timeout).
        case transport
        /// The response could not be understood.
        case invalidResponse
        /// A client-side deadline passed (e.g. unprocessed items still left).
        case deadlineExceeded
        /// The request was invalid before sending (e.g. too many items in a batch).
        case invalidRequest
        /// No credentials could be obtained to sign with (e.g. STS or the container endpoint refused).
        case credentials
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// The service ("dynamodb", "s3").
    public var service: String
    /// The operation, e.g. `PutItem`.
    public var operation: String
    /// The AWS error code, e.g. `ResourceNotFoundException` (nil for transport errors).
    public var code: String?
    /// The error message.
    public var message: String
    /// The HTTP status, if a response arrived.
    public var httpStatus: Int?
    /// The request id from `x-amzn-RequestId`/`x-amz-request-id` or the error body.
    public var requestID: String?
    /// Attempts made, retries included.
    public var attempts: Int

    /// Creates an error.
    public init(kind: Kind, service: String, operation: String, code: String? = nil, message: String,
                httpStatus: Int? = nil, requestID: String? = nil, attempts: Int = 1) {
        self.kind = kind
        self.service = service
        self.operation = operation
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.requestID = requestID
        self.attempts = attempts
    }

    /// E.g. `dynamodb PutItem failed: ResourceNotFoundException: Requested resource not found (HTTP 400, request id …, 1 attempt)`.
    public var description: String {
        var text = "\(service) \(operation) failed: "
        if let code { text += code + ": " }
        text += message
        var details: [String] = []
        if let httpStatus { details.append("HTTP \(httpStatus)") }
        if let requestID { details.append("request id \(requestID)") }
        details.append(attempts == 1 ? "1 attempt" : "\(attempts) attempts")
        return text + " (" + details.joined(separator: ", ") + ")"
    }

    /// Replaces every occurrence of the given secrets in `text` with `<redacted>`.
    static func scrub(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets where secret.count >= 4 {
            result = result.replacingAll(secret, with: "<redacted>")
        }
        return result
    }
}

extension String {
    /// Replaces all occurrences without Foundation.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        let source = Array(utf8)
        let pattern = Array(target.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(source.count)
        var index = 0
        while index < source.count {
            if index + pattern.count <= source.count, source[index] == pattern[0],
                source[index..<index + pattern.count].elementsEqual(pattern)
            {
                out.append(contentsOf: replacement.utf8)
                index += pattern.count
            } else {
                out.append(source[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
