import JSONCoding
import AsyncHTTPClient
import DynamoModel
import ExtrasBase64
import NIOCore

/// A DynamoDB client speaking the JSON 1.0 protocol (`X-Amz-Target: DynamoDB_20120810.<Op>`).
///
/// All calls go through an ``AWSTransport`` (signing, retries, retry budget, adaptive rate
/// limiting) and throw ``AWSError`` carrying the AWS error code, message, HTTP status and request id.
public struct DynamoDBClient: Sendable {
    /// The transport used for every call.
    public let transport: AWSTransport

    /// Creates a client over an existing transport (its service must be `dynamodb`).
    public init(transport: AWSTransport) {
        self.transport = transport
    }

    /// Creates a client for `region` at `endpoint` (the AWS endpoint when nil), signing with `credentials`
    /// (fixed ``AWSCredentials`` or a refreshing provider).
    public init(credentials: any AWSCredentialProvider, region: String, endpoint: AWSEndpoint? = nil,
                configuration: TransportConfiguration = TransportConfiguration(), httpClient: HTTPClient? = nil) {
        self.transport = AWSTransport(endpoint: endpoint ?? .aws(service: .dynamodb, region: region), region: region,
                                      service: "dynamodb", credentials: credentials, configuration: configuration,
                                      httpClient: httpClient)
    }

    /// Creates a client from resolved configuration (environment, profile, files).
    public init(resolver: AWSConfigurationResolver, region explicitRegion: String? = nil, endpointURL: String? = nil,
                configuration: TransportConfiguration = TransportConfiguration(), httpClient: HTTPClient? = nil) throws(AWSConfigurationError) {
        let region = try resolver.region(explicit: explicitRegion)
        self.init(credentials: try resolver.credentialProvider(region: region), region: region,
                  endpoint: try resolver.endpoint(for: .dynamodb, region: region, explicit: endpointURL),
                  configuration: configuration, httpClient: httpClient)
    }

    /// Shuts down the transport's HTTP client if it owns one.
    public func shutdown() async throws {
        try await transport.shutdown()
    }

    /// Sends one JSON 1.0 operation with a pre-encoded body and returns the parsed response.
    func call(_ operation: String, body: [UInt8]) async throws -> JSONValue {
        let request = AWSRequest(
            operation: operation, method: "POST", path: "/",
            headers: [("content-type", "application/x-amz-json-1.0"), ("x-amz-target", "DynamoDB_20120810.\(operation)")],
            body: ByteBuffer(bytes: body))
        let response = try await transport.send(request)
        let bytes = response.body.readableBytesView
        if bytes.isEmpty { return .object([]) }
        do {
            return try JSONValue.parse(bytes)
        } catch {
            throw AWSError(kind: .invalidResponse, service: "dynamodb", operation: operation,
                           message: "response is not JSON: \(error)", httpStatus: response.status, requestID: response.requestID)
        }
    }

    /// Sends one operation whose body is a small JSON object.
    func call(_ operation: String, _ members: [JSONMember]) async throws -> JSONValue {
        var body: [UInt8] = []
        JSONWriter.write(.object(members), into: &body)
        return try await call(operation, body: body)
    }

    func invalidResponse(_ operation: String, _ message: String) -> AWSError {
        AWSError(kind: .invalidResponse, service: "dynamodb", operation: operation, message: message)
    }

    func decodeItem(_ json: JSONValue, operation: String) throws -> DynamoItem {
        do {
            return try AttributeValue.item(json: json)
        } catch {
            throw invalidResponse(operation, error.description)
        }
    }
}

extension AttributeValue {
    /// This value as a `JSONValue` tree (for small request parts such as keys).
    var jsonValue: JSONValue {
        switch self {
        case .s(let text): .object([JSONMember("S", .string(text))])
        case .n(let text): .object([JSONMember("N", .string(text))])
        case .b(let bytes): .object([JSONMember("B", .string(Base64.encodeToString(bytes: bytes)))])
        case .bool(let flag): .object([JSONMember("BOOL", .bool(flag))])
        case .null: .object([JSONMember("NULL", .bool(true))])
        case .m(let map): .object([JSONMember("M", Self.itemJSON(map))])
        case .l(let list): .object([JSONMember("L", .array(list.map(\.jsonValue)))])
        case .ss(let members): .object([JSONMember("SS", .array(members.map { .string($0) }))])
        case .ns(let members): .object([JSONMember("NS", .array(members.map { .string($0) }))])
        case .bs(let members): .object([JSONMember("BS", .array(members.map { .string(Base64.encodeToString(bytes: $0)) }))])
        }
    }

    static func itemJSON(_ item: DynamoItem) -> JSONValue {
        .object(item.map { JSONMember($0.key, $0.value.jsonValue) })
    }
}
