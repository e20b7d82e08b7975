/// An AWS access key pair, optionally with a session token for temporary credentials.
///
/// The secret and the token never appear in `description`, `debugDescription` or `dump`.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The access key id (not secret; shown in descriptions).
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: String
    /// The session token of temporary credentials, if any.
    public var sessionToken: String?
    /// Where the credentials came from, e.g. `environment` or `profile default (~/.aws/credentials)`.
    public var source: String
    /// When temporary credentials stop working; nil for long-term keys.
    public var expiration: AmzDate?

    /// Creates credentials from their parts.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, source: String = "explicit",
                expiration: AmzDate? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
        self.expiration = expiration
    }

    /// A redacted description: the key id, whether a token is present, and the source.
    public var description: String {
        "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>, sessionToken: \(sessionToken == nil ? "none" : "<redacted>"), source: \(source))"
    }

    /// Same as `description`.
    public var debugDescription: String { description }

    /// Mirror without the secret or token, so `dump` stays safe.
    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyID": accessKeyID, "source": source, "hasSessionToken": sessionToken != nil,
                                "expiration": expiration?.amzString as Any])
    }
}

/// Fixed credentials are their own provider: they never change.
extension AWSCredentials: AWSCredentialProvider {
    /// These credentials.
    public func credentials() async -> AWSCredentials { self }
}
