import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Temporary credentials for an IAM role from STS `AssumeRoleWithWebIdentity`, with the OIDC token
/// of a Kubernetes service account (EKS IRSA) or another identity provider.
///
/// The token file is read again at every fetch, since Kubernetes rotates it. The request is not
/// signed: the token is the proof of identity.
public struct WebIdentityCredentialSource: Sendable {
    /// The role to assume.
    public var roleARN: String
    /// The name of the role session.
    public var sessionName: String
    /// The file holding the web identity token.
    public var tokenFile: String
    /// Where STS is.
    public var endpoint: AWSEndpoint
    /// Reads the token file.
    public var readFile: @Sendable (String) -> String?

    /// Creates a source; `readFile` defaults to the real file system.
    public init(roleARN: String, sessionName: String, tokenFile: String, endpoint: AWSEndpoint,
                readFile: @escaping @Sendable (String) -> String? = AWSEnvironment.readFromDisk) {
        self.roleARN = roleARN
        self.sessionName = sessionName
        self.tokenFile = tokenFile
        self.endpoint = endpoint
        self.readFile = readFile
    }

    /// A provider that keeps this source's credentials fresh.
    public func provider(now: (@Sendable () -> AmzDate)? = nil) -> RefreshingCredentialProvider {
        RefreshingCredentialProvider(now: now) { try await fetch() }
    }

    /// Calls `AssumeRoleWithWebIdentity` with the current token and returns the role's credentials.
    public func fetch() async throws -> AWSCredentials {
        guard let token = readFile(tokenFile).map(CredentialText.trimmed), !token.isEmpty else {
            throw AWSConfigurationError("the web identity token file \(tokenFile) cannot be read or is empty")
        }
        let form = [("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleARN),
                    ("RoleSessionName", sessionName), ("WebIdentityToken", token)]
        var request = HTTPClientRequest(url: endpoint.description + "/")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded; charset=utf-8")
        request.body = .bytes(ByteBuffer(string: form.map { "\($0.0)=\(PercentEncoding.encode($0.1))" }.joined(separator: "&")))
        let what = "STS AssumeRoleWithWebIdentity for \(roleARN) at \(endpoint)"
        let (status, body) = try await CredentialHTTP.send(request, what: what)
        let bytes = body.readableBytesView
        guard status == 200 else {
            let error = try? AWSXML.decode(AWSXML.ErrorBody.self, from: bytes).innermost
            let reason = error.map { "\($0.code ?? "HTTP \(status)"): \($0.message ?? "no message")" } ?? "HTTP \(status)"
            throw AWSConfigurationError("\(what) failed: " + CredentialText.oneLine(AWSError.scrub(reason, secrets: [token])))
        }
        guard let keys = (try? AWSXML.decode(Response.self, from: bytes))?.assumeRoleWithWebIdentityResult.credentials,
            let expiration = AmzDate(iso8601: keys.expiration)
        else {
            throw AWSConfigurationError("\(what) answered with a body that holds no credentials")
        }
        return AWSCredentials(accessKeyID: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, sessionToken: keys.sessionToken,
                              source: "web identity (role \(roleARN))", expiration: expiration)
    }

    /// `<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>…`.
    private struct Response: Decodable {
        var assumeRoleWithWebIdentityResult: Result

        struct Result: Decodable {
            var credentials: Keys
        }

        struct Keys: Decodable {
            var accessKeyId: String
            var secretAccessKey: String
            var sessionToken: String
            var expiration: String
        }
    }
}
