import HTTPTypes
import OpenAPIRuntime

/// Drops `Accept` before the generated server sees it. Each operation answers in one content type,
/// so there is nothing to negotiate: a client that asks for another (a browser's `text/html`)
/// gets the answer as it is, rather than a 500 after the operation's work was done, since the
/// generated server checks `Accept` only when it writes the answer.
struct AcceptIgnoringMiddleware: ServerMiddleware {
    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.accept] = nil
        return try await next(request, body, metadata)
    }
}
