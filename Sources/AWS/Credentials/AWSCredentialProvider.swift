/// Gives the credentials to sign a request with: fixed ones (``AWSCredentials``) or temporary
/// ones renewed before they expire (``RefreshingCredentialProvider``).
///
/// ``AWSTransport`` asks for credentials before every attempt, so answers must be cheap when cached.
/// Errors are one-line sentences (``AWSConfigurationError``) that never carry a secret or token.
public protocol AWSCredentialProvider: Sendable {
    /// Credentials valid now.
    func credentials() async throws -> AWSCredentials
}
