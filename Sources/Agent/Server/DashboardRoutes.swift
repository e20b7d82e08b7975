import Hummingbird
import NIOCore

/// The dashboard's static files (its API calls carry the token), beside the generated API routes.
enum DashboardRoutes {
    static func register(on router: Router<BasicRequestContext>, table: inout RouteTable) {
        func get(_ path: String, _ response: @escaping @Sendable () -> Response) {
            router.get(RouterPath(path)) { _, _ in response() }
            table.add(.get, path)
        }
        get("/") { Response(status: .seeOther, headers: [.location: "/dashboard/"]) }
        get("/dashboard/") { file(DashboardAssets.html, "text/html; charset=utf-8") }
        get("/dashboard/app.js") { file(DashboardAssets.script, "text/javascript; charset=utf-8") }
        get("/dashboard/style.css") { file(DashboardAssets.style, "text/css; charset=utf-8") }
    }

    static func file(_ text: String, _ contentType: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType, .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
