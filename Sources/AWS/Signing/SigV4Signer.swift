import Crypto
import HexCoding

/// Signs HTTP requests with AWS Signature Version 4 (header signing).
///
/// A pure value: it does no I/O and reads no clock; the signing time is a parameter.
public struct SigV4Signer: Sendable {
    /// The credentials used to sign.
    public var credentials: AWSCredentials
    /// The region in the credential scope, e.g. `us-east-1`.
    public var region: String
    /// The signing name of the service, e.g. `dynamodb` or `s3`.
    public var service: String

    /// Headers that are never signed (botocore's list); `content-length` is also left out because
    /// transports may add or change it after signing.
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", "authorization", "content-length",
    ]

    /// The hex SHA-256 of an empty payload.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The literal used as payload hash when S3 payload signing is off.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// Creates a signer for one service in one region.
    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// S3 signs the path exactly as sent (encoded once, never normalized) and requires `x-amz-content-sha256`.
    var isS3: Bool { service == "s3" || service == "s3-outposts" || service == "s3express" }

    /// Returns the hex SHA-256 of `payload`.
    public static func payloadHash<Bytes: Sequence>(_ payload: Bytes) -> String where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(data: Array(payload))
        return Hex.encode(hasher.finalize())
    }

    /// Signs a request and returns the headers to add to it, `authorization` last.
    ///
    /// - Parameters:
    ///   - method: The HTTP method, e.g. `POST`.
    ///   - path: The path as it appears in the request URL. For S3 this must be the wire form
    ///     (already percent-encoded once); other services get dot segments removed and the path encoded.
    ///   - query: The query parameters, decoded; they are encoded and sorted here.
    ///   - headers: The headers that will be sent (including `host`), in sending order.
    ///   - payloadHash: Hex SHA-256 of the body, or ``unsignedPayload`` (S3 only).
    ///   - date: The signing time.
    /// - Returns: `x-amz-date`, `x-amz-security-token` and (S3) `x-amz-content-sha256` when not already
    ///   present in `headers`, then `authorization`.
    public func sign(
        method: String, path: String, query: [(String, String)], headers: [(String, String)],
        payloadHash: String, date: AmzDate
    ) -> [(String, String)] {
        let parts = canonicalParts(method: method, path: path, query: query, headers: headers,
                                   payloadHash: payloadHash, date: date)
        var added = parts.addedHeaders
        added.append(("authorization", authorization(parts: parts, date: date)))
        return added
    }

    /// The pieces computed while signing, exposed for tests (canonical request, string to sign).
    package struct CanonicalParts {
        package var canonicalRequest: String
        package var signedHeaders: String
        package var addedHeaders: [(String, String)]
    }

    package func canonicalParts(
        method: String, path: String, query: [(String, String)], headers: [(String, String)],
        payloadHash: String, date: AmzDate
    ) -> CanonicalParts {
        var all = headers
        var added: [(String, String)] = []
        func has(_ name: String) -> Bool { all.contains { $0.0.lowercased() == name } }
        if !has("x-amz-date") {
            added.append(("x-amz-date", date.amzString))
        }
        if let token = credentials.sessionToken, !has("x-amz-security-token") {
            added.append(("x-amz-security-token", token))
        }
        if isS3, !has("x-amz-content-sha256") {
            added.append(("x-amz-content-sha256", payloadHash))
        }
        all.append(contentsOf: added)

        // Canonical headers: lower-case names, trimmed values with squeezed spaces, repeated names joined by ",".
        var order: [String] = []
        var values: [String: [String]] = [:]
        for (name, value) in all {
            let lower = name.lowercased()
            if Self.unsignedHeaders.contains(lower) { continue }
            if values[lower] == nil { order.append(lower) }
            values[lower, default: []].append(Self.squeeze(value))
        }
        let names = order.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var canonicalHeaders = ""
        for name in names {
            canonicalHeaders += name + ":" + values[name]!.joined(separator: ",") + "\n"
        }
        let signedHeaders = names.joined(separator: ";")

        let canonicalURI = isS3 ? (path.isEmpty ? "/" : path) : PercentEncoding.encode(Self.normalize(path), keepSlash: true)
        let canonicalQuery = Self.canonicalQuery(query)
        let canonicalRequest = [method.uppercased(), canonicalURI, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash]
            .joined(separator: "\n")
        return CanonicalParts(canonicalRequest: canonicalRequest, signedHeaders: signedHeaders, addedHeaders: added)
    }

    /// `<yyyymmdd>/<region>/<service>/aws4_request`.
    package func scope(_ date: AmzDate) -> String {
        "\(date.dateStamp)/\(region)/\(service)/aws4_request"
    }

    package func stringToSign(canonicalRequest: String, date: AmzDate) -> String {
        "AWS4-HMAC-SHA256\n\(date.amzString)\n\(scope(date))\n\(Self.payloadHash(canonicalRequest.utf8))"
    }

    package func authorization(parts: CanonicalParts, date: AmzDate) -> String {
        let toSign = stringToSign(canonicalRequest: parts.canonicalRequest, date: date)
        let signature = Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(toSign.utf8), using: signingKey(date)))
        return "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(date)), "
            + "SignedHeaders=\(parts.signedHeaders), Signature=\(signature)"
    }

    private func signingKey(_ date: AmzDate) -> SymmetricKey {
        func hmac(_ key: SymmetricKey, _ data: String) -> SymmetricKey {
            SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(data.utf8), using: key))
        }
        var key = SymmetricKey(data: Array(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [date.dateStamp, region, service, "aws4_request"] {
            key = hmac(key, part)
        }
        return key
    }

    /// Encodes each key and value, then sorts by encoded key and then value, comparing bytes.
    static func canonicalQuery(_ query: [(String, String)]) -> String {
        let encoded = query.map { (Array(PercentEncoding.encode($0.0).utf8), Array(PercentEncoding.encode($0.1).utf8)) }
        let sorted = encoded.sorted { lhs, rhs in
            lhs.0 == rhs.0 ? lhs.1.lexicographicallyPrecedes(rhs.1) : lhs.0.lexicographicallyPrecedes(rhs.0)
        }
        return sorted.map { String(decoding: $0.0, as: UTF8.self) + "=" + String(decoding: $0.1, as: UTF8.self) }
            .joined(separator: "&")
    }

    /// Trims the value and replaces runs of spaces with one space.
    static func squeeze(_ value: String) -> String {
        var out: [UInt8] = []
        var lastWasSpace = false
        for byte in value.utf8 {
            let isSpace = byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
            if isSpace {
                if !lastWasSpace, !out.isEmpty { out.append(UInt8(ascii: " ")) }
            } else {
                out.append(byte)
            }
            lastWasSpace = isSpace
        }
        if out.last == UInt8(ascii: " ") { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// Removes `.` and `..` segments and empty segments (RFC 3986 section 5.2.4 plus `//` collapsing),
    /// keeping a trailing slash.
    static func normalize(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        var result = "/" + segments.joined(separator: "/")
        if path.hasSuffix("/") || path.hasSuffix("/.") || path.hasSuffix("/.."), result != "/" {
            result += "/"
        }
        return result
    }
}
