import Hummingbird
import Logging

/// Requires `Authorization: Bearer <token>` on every `/v1/` route (the scheme in any case, as
/// RFC 9110 says). The token is compared byte for byte (nothing trimmed) in constant time and
/// never logged: a refused request logs only its method and path.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1/") || request.uri.path == "/v1" else { return try await next(request, context) }
        let given = request.headers[.authorization].flatMap(BearerCredentials.token)
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

/// The token of an `Authorization` value of the `Bearer` scheme.
enum BearerCredentials {
    /// The scheme in any case, one or more spaces, then the rest exactly as sent (nothing trimmed).
    static func token(_ value: String) -> [UInt8]? {
        let bytes = Array(value.utf8)
        guard bytes.count > 7, String(decoding: bytes[..<6], as: UTF8.self).lowercased() == "bearer", bytes[6] == UInt8(ascii: " ") else { return nil }
        return Array(bytes[7...].drop { $0 == UInt8(ascii: " ") })
    }
}
