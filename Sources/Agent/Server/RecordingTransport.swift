import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// Registers the generated server's operations on the router (swift-openapi-hummingbird) and
/// records each in a `RouteTable`.
final class RecordingTransport: ServerTransport {
    let router: Router<BasicRequestContext>
    private(set) var table = RouteTable()

    init(router: Router<BasicRequestContext>) { self.router = router }

    func register(_ handler: @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
                  method: HTTPRequest.Method, path: String) throws {
        router.register(handler, method: method, path: path)
        table.add(method, path)
    }
}
