import Hummingbird
import Logging

/// Requires `Authorization: Bearer <token>` on every `/v1/` route. The token is compared in
/// constant time and never logged: a refused request logs only its method, path and peer.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1/") || request.uri.path == "/v1" else { return try await next(request, context) }
        let given = request.headers[.authorization].flatMap { h -> [UInt8]? in
            h.hasPrefix("Bearer ") ? Array(h.utf8.dropFirst(7)) : nil
        }
        guard let given, Self.equal(given, token) else {
            logger.notice("refused request: missing or wrong bearer token", metadata: [
                "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
            ])
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "missing or wrong bearer token")
        }
        return try await next(request, context)
    }

    /// Constant-time comparison (for equal lengths).
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
