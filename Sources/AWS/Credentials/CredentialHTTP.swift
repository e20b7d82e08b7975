import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// The one HTTP exchange of a credential fetch, over an HTTP client kept for the process.
enum CredentialHTTP {
    /// Seconds a credential endpoint has to answer.
    static let timeout: Int64 = 10

    /// Fails at once when the endpoint refuses the connection (no retried connection attempts
    /// until the timeout), follows no redirects.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(2), read: .seconds(timeout))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Sends `request` and returns the status and body (at most 1 MiB); a failure to connect is a
    /// one-line error naming `what` was asked.
    static func send(_ request: HTTPClientRequest, what: String) async throws -> (status: Int, body: ByteBuffer) {
        do {
            let response = try await client.execute(request, timeout: .seconds(timeout))
            return (Int(response.status.code), try await response.body.collect(upTo: 1 << 20))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw AWSConfigurationError("\(what) failed: \(TransportFailure.message(error))")
        }
    }
}

/// Text handling shared by the credential sources.
enum CredentialText {
    /// `text` without leading and trailing white space (token files often end with a newline).
    static func trimmed(_ text: String) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// `text` on one line, at most 200 characters.
    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 }.prefix(200))
    }
}
