import JSONCoding
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Temporary credentials from the container credentials endpoint of ECS tasks, AWS Batch jobs and
/// EKS Pod Identity: a GET returning JSON `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`.
///
/// The authorization token file is read again at every fetch, since the agent rotates it.
public struct ContainerCredentialSource: Sendable {
    /// The endpoint URL.
    public var url: String
    /// The file holding the `Authorization` header value, if any.
    public var authorizationTokenFile: String?
    /// The `Authorization` header value, when no file gives it.
    public var authorizationToken: String?
    /// Reads the token file.
    public var readFile: @Sendable (String) -> String?

    /// The link-local host that `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is relative to (ECS).
    public static let relativeBase = "http://169.254.170.2"
    /// The hosts a plain-HTTP full URI may name, besides loopback ones: the ECS and EKS agents.
    static let containerHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"]

    /// Creates a source for `url`, refusing a plain-HTTP URL whose host is not loopback or a container agent.
    public init(url: String, authorizationTokenFile: String? = nil, authorizationToken: String? = nil,
                readFile: @escaping @Sendable (String) -> String? = AWSEnvironment.readFromDisk) throws(AWSConfigurationError) {
        guard let endpoint = AWSEndpoint(url: url) else {
            throw AWSConfigurationError("the container credentials URL \(url) is not an http(s) URL")
        }
        guard endpoint.scheme == "https" || Self.isAllowedPlainHost(endpoint.host) else {
            throw AWSConfigurationError(
                "the container credentials URL \(url) must use https or a loopback host, 169.254.170.2, 169.254.170.23 or fd00:ec2::23")
        }
        self.url = url
        self.authorizationTokenFile = authorizationTokenFile
        self.authorizationToken = authorizationToken
        self.readFile = readFile
    }

    /// True for `localhost`, 127.0.0.0/8, `::1` and the container agents' addresses.
    static func isAllowedPlainHost(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "::1" || containerHosts.contains(host) { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// A provider that keeps this source's credentials fresh.
    public func provider(now: (@Sendable () -> AmzDate)? = nil) -> RefreshingCredentialProvider {
        RefreshingCredentialProvider(now: now) { try await fetch() }
    }

    /// Asks the endpoint for credentials, with the current authorization token.
    public func fetch() async throws -> AWSCredentials {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        var token = authorizationToken
        if let authorizationTokenFile {
            guard let text = readFile(authorizationTokenFile).map(CredentialText.trimmed), !text.isEmpty else {
                throw AWSConfigurationError("the container authorization token file \(authorizationTokenFile) cannot be read or is empty")
            }
            token = text
        }
        if let token {
            guard !token.contains(where: \.isNewline) else {
                throw AWSConfigurationError("the container authorization token holds a line break")
            }
            request.headers.add(name: "authorization", value: token)
        }
        let what = "the container credentials endpoint \(url)"
        let (status, body) = try await CredentialHTTP.send(request, what: what)
        let bytes = body.readableBytesView
        guard status == 200 else {
            let text = CredentialText.oneLine(AWSError.scrub(String(decoding: bytes, as: UTF8.self), secrets: [token].compactMap { $0 }))
            throw AWSConfigurationError("\(what) answered HTTP \(status)" + (text.isEmpty ? "" : ": \(text)"))
        }
        guard let json = try? JSONValue.parse(bytes), let key = json["AccessKeyId"]?.stringValue,
            let secret = json["SecretAccessKey"]?.stringValue, let expiration = json["Expiration"]?.stringValue.flatMap(AmzDate.init(iso8601:))
        else {
            throw AWSConfigurationError("\(what) answered with a body that holds no credentials")
        }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: json["Token"]?.stringValue,
                              source: "container credentials (\(url))", expiration: expiration)
    }
}
