import Hummingbird

/// The agent's routes and their methods, so that a request no route answers gets the API's
/// JSON error: 405 with `Allow` when its path exists, 404 when it does not. The API's routes are
/// recorded as the generated server registers them (`RecordingTransport`), the dashboard's as added.
struct RouteTable: Sendable {
    /// Path patterns (`{name}` segments are parameters) and their methods, in registration order.
    private(set) var routes: [(segments: [String], methods: [HTTPRequest.Method])] = []

    mutating func add(_ method: HTTPRequest.Method, _ path: String) {
        let segments = Self.segments(path)
        if let i = routes.firstIndex(where: { $0.segments == segments }) { routes[i].methods.append(method) } else { routes.append((segments, [method])) }
    }

    /// The methods of the route the router would pick for `path` (constant segments win over
    /// parameters, as in its trie); nil when no route has that path.
    func methods(for path: String) -> [HTTPRequest.Method]? {
        let parts = Self.segments(path)
        let matching = routes.filter { route in
            route.segments.count == parts.count && zip(route.segments, parts).allSatisfy { Self.isParameter($0) || $0 == $1 }
        }
        func constants(_ segments: [String]) -> [Bool] { segments.map { !Self.isParameter($0) } }
        return matching.max { constants($0.segments).lexicographicallyPrecedes(constants($1.segments)) { !$0 && $1 } }?.methods
    }

    static func segments(_ path: String) -> [String] { path.split(separator: "/").map(String.init) }
    static func isParameter(_ segment: String) -> Bool { segment.hasPrefix("{") || segment.hasPrefix(":") }

    /// Answers what no route matched. Added to the router after every route, it runs only for
    /// those requests (after the bearer check, which runs for every request).
    struct Unmatched: RouterMiddleware {
        let table: RouteTable

        func handle(_ request: Request, context: BasicRequestContext,
                    next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
            let path = request.uri.path
            guard let methods = table.methods(for: path) else {
                throw HTTPError(.notFound, message: "there is no \(path) on this agent (the API is under /v1/, see docs/agent-api.md)")
            }
            let allowed = methods.map(\.rawValue).joined(separator: ", ")
            throw HTTPError(.methodNotAllowed, headers: [.allow: allowed], message: "\(path) accepts \(allowed), not \(request.method.rawValue)")
        }
    }
}
