import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// The versioned REST API (`/v1/...`, see docs/agent-api.md) and the dashboard.
struct AgentRoutes: Sendable {
    let service: AgentService

    struct Health: Codable { var status: String; var version: String }
    struct AgentInfo: Codable {
        var version: String
        var hostname: String
        var pipeline: String
        var freeDiskBytes: Int64?
        var stagingDirectory: String
        var dataDirectories: [String]
        var nodes: [String]
        var tasks: [String: Int]
    }

    /// Registers every route, then the answer for requests none of them matches.
    func register(on router: Router<BasicRequestContext>) {
        let s = service
        var table = RouteTable()
        func on(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response) {
            router.on(RouterPath(path), method: method, use: handler)
            table.add(method, path)
        }
        on(.get, "/v1/health") { _, _ in try JSON.response(Health(status: "ok", version: AgentVersion.current)) }
        on(.get, "/v1/agent") { _, _ in
            var counts: [String: Int] = [:]
            for t in s.tasks.list() { counts[t.status.rawValue, default: 0] += 1 }
            return try JSON.response(AgentInfo(
                version: AgentVersion.current, hostname: ProcessInfo.processInfo.hostName, pipeline: "targets: staging (JSON lines), dynamodb (S3 + import or batch)",
                freeDiskBytes: s.freeDiskBytes, stagingDirectory: s.loaded.stagingDirectory, dataDirectories: s.loaded.dataDirectories,
                nodes: s.nodes.list().map(\.name), tasks: counts))
        }

        // Nodes
        on(.get, "/v1/nodes") { _, _ in try JSON.response(s.nodes.list()) }
        on(.post, "/v1/nodes") { request, _ in
            try await JSON.api {
                let body = try await JSON.body(request)
                let isList = body.readableBytesView.first { !" \t\r\n".utf8.contains($0) } == UInt8(ascii: "[")
                let list = isList ? try JSON.decode([RemoteNode].self, from: body, fields: RemoteNode.apiFields)
                    : [try JSON.decode(RemoteNode.self, from: body, fields: RemoteNode.apiFields)]
                try s.nodes.put(list)
                return try JSON.response(list, status: .created)
            }
        }
        on(.post, "/v1/nodes/import") { request, _ in
            try await JSON.api {
                let list = try RemoteNode.parseCSV(String(buffer: try await JSON.body(request)))
                guard !list.isEmpty else { throw APIError.badRequest("the CSV holds no nodes") }
                try s.nodes.put(list)
                return try JSON.response(list, status: .created)
            }
        }
        on(.get, "/v1/nodes/:name") { _, context in
            try await JSON.api { try JSON.response(try s.nodes.get(context.parameters.require("name"))) }
        }
        on(.delete, "/v1/nodes/:name") { _, context in
            try await JSON.api {
                try s.nodes.remove(try context.parameters.require("name"))
                return Response(status: .noContent)
            }
        }
        on(.post, "/v1/nodes/:name/test") { _, context in
            try await JSON.api {
                let node = try s.nodes.usable(try context.parameters.require("name"))
                let result = await s.nodeAccess(node).test()
                guard result.reachable else {
                    throw APIError(422, "node \(node.name) did not answer: \(result.messages.joined(separator: "; "))")
                }
                return try JSON.response(result)
            }
        }

        // Tasks
        on(.get, "/v1/tasks") { _, _ in try JSON.response(s.tasks.list()) }
        on(.post, "/v1/tasks") { request, _ in
            try await JSON.api {
                let spec = try JSON.decode(TaskSpec.self, from: try await JSON.body(request), fields: TaskSpec.apiFields)
                // Validate paths, nodes and target now, not at start.
                let probe = TaskRecord(id: "probe", name: "", spec: spec, status: .created, createdAt: 0, updatedAt: 0, stages: [], tables: [], stagingDirectory: "")
                do { _ = try s.tasks.jobFactory.withLock { $0 }(probe) } catch let e as APIError { throw e } catch { throw APIError.badRequest("\(error)") }
                return try JSON.response(try s.tasks.create(spec), status: .created)
            }
        }
        on(.get, "/v1/tasks/:id") { _, context in
            try await JSON.api { try JSON.response(try s.tasks.get(try context.parameters.require("id"))) }
        }
        for action in ["start", "resume"] {
            on(.post, "/v1/tasks/:id/\(action)") { _, context in
                try await JSON.api { try JSON.response(try s.tasks.start(try context.parameters.require("id")), status: .accepted) }
            }
        }
        on(.post, "/v1/tasks/:id/stop") { _, context in
            try await JSON.api { try JSON.response(try s.tasks.stop(try context.parameters.require("id")), status: .accepted) }
        }
        on(.delete, "/v1/tasks/:id") { request, context in
            try await JSON.api {
                let remove = ["1", "true", "yes"].contains(request.uri.queryParameters.get("removeStaging") ?? "")
                try s.tasks.delete(try context.parameters.require("id"), removeStaging: remove)
                return Response(status: .noContent)
            }
        }
        on(.get, "/v1/tasks/:id/log") { request, context in
            try await JSON.api {
                let id = try context.parameters.require("id")
                _ = try s.tasks.get(id)
                let offset = request.uri.queryParameters.get("offset").flatMap(Int.init) ?? 0
                return JSON.text(s.tasks.store.readLog(id, offset: offset))
            }
        }
        on(.get, "/v1/tasks/:id/events") { _, context in
            try await JSON.api {
                let id = try context.parameters.require("id")
                let stream = s.tasks.events.subscribe(id)
                let record = try s.tasks.get(id)
                let first = ServerSentEvent(event: "progress", data: s.tasks.encode(record))
                let done = !record.status.isActive
                return Response(
                    status: .ok,
                    headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                    body: ResponseBody { writer in
                        try await writer.write(ByteBuffer(string: first.text))
                        if done {
                            try await writer.write(ByteBuffer(string: ServerSentEvent(event: "end", data: first.data).text))
                        } else {
                            for await event in stream {
                                try await writer.write(ByteBuffer(string: event.text))
                                if event.event == "end" || event.event == "deleted" { break }
                            }
                        }
                        try await writer.finish(nil)
                    })
            }
        }

        // Dashboard (static; its API calls carry the token)
        on(.get, "/") { _, _ in Response(status: .seeOther, headers: [.location: "/dashboard/"]) }
        on(.get, "/dashboard/") { _, _ in JSON.text(DashboardAssets.html, contentType: "text/html; charset=utf-8") }
        on(.get, "/dashboard/app.js") { _, _ in JSON.text(DashboardAssets.script, contentType: "text/javascript; charset=utf-8") }
        on(.get, "/dashboard/style.css") { _, _ in JSON.text(DashboardAssets.style, contentType: "text/css; charset=utf-8") }

        // Added after the routes, it answers only what none of them matched.
        router.add(middleware: RouteTable.Unmatched(table: table))
    }
}
