import AWS
import AgentAPI
import AsyncHTTPClient
import DynamoMapping
import Foundation
import NIOCore
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

/// An error answer of the agent: status and its message.
public struct AgentClientError: Error, CustomStringConvertible, Sendable {
    public var status: Int
    public var message: String
    public var description: String { "HTTP \(status): \(message)" }
}

/// Talks to an agent over HTTPS (mutual TLS) with its bearer token, through the client generated
/// from docs/agent-openapi.yaml. Each call returns the agent's answer as the agent's own types; a
/// refusal throws `AgentClientError` with the agent's status and message.
public final class AgentClient: Sendable {
    public let endpoint: AgentEndpoint
    let token: String
    let http: HTTPClient
    /// Calls that answer at once (120 s at most).
    let api: Client
    /// The event stream, open as long as a task runs.
    let stream: Client

    public init(endpoint: AgentEndpoint, token: String) throws {
        self.endpoint = endpoint
        self.token = token
        let address = endpoint.url.hasSuffix("/") ? String(endpoint.url.dropLast()) : endpoint.url
        guard let url = URL(string: address), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw AgentError("the agent URL \(endpoint.url) is not an http(s) URL")
        }
        var config = HTTPClient.Configuration()
        if url.scheme == "https" {
            config.tlsConfiguration = try AgentTLS.client(ca: endpoint.ca, certificate: endpoint.certificate, privateKey: endpoint.privateKey)
        }
        config.timeout = .init(connect: .seconds(10))
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        let middlewares = [AgentClientMiddleware(token: token)]
        api = Client(serverURL: url, transport: AsyncHTTPClientTransport(configuration: .init(client: http, timeout: .seconds(120))),
                     middlewares: middlewares)
        stream = Client(serverURL: url, transport: AsyncHTTPClientTransport(configuration: .init(client: http, timeout: .hours(72))),
                        middlewares: middlewares)
    }

    /// Reads the token from the endpoint's token file.
    public convenience init(endpoint: AgentEndpoint) throws {
        guard let data = FileManager.default.contents(atPath: endpoint.tokenFile) else { throw AgentError("cannot read token file \(endpoint.tokenFile)") }
        try self.init(endpoint: endpoint, token: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    public func shutdown() async throws { try await http.shutdown() }

    // MARK: Agent

    /// `GET /v1/health`: status and version.
    public func health() async throws -> Components.Schemas.Health {
        try await call("GET /v1/health") { try await api.getHealth().ok.body.json }
    }

    /// `GET /v1/agent`: version, host, folders, nodes and task counts.
    public func agentInfo() async throws -> Components.Schemas.AgentInfo {
        try await call("GET /v1/agent") { try await api.getAgentInfo().ok.body.json }
    }

    // MARK: Nodes

    /// `GET /v1/nodes`: the registered nodes.
    public func nodes() async throws -> [RemoteNode] {
        try await call("GET /v1/nodes") { try APIModel.convert(try await api.listNodes().ok.body.json) }
    }

    /// `POST /v1/nodes` with an array: adds (or replaces) nodes; the nodes as registered.
    @discardableResult
    public func addNodes(_ nodes: [RemoteNode]) async throws -> [RemoteNode] {
        try await add(nodes, isArray: true)
    }

    /// `POST /v1/nodes` with one node.
    @discardableResult
    public func addNode(_ node: RemoteNode) async throws -> [RemoteNode] {
        try await add([node], isArray: false)
    }

    func add(_ nodes: [RemoteNode], isArray: Bool) async throws -> [RemoteNode] {
        try await call("POST /v1/nodes") {
            let body = NodeBatch(nodes: try APIModel.convert(nodes), isArray: isArray)
            return try APIModel.convert(try await api.addNodes(body: .json(body)).created.body.json)
        }
    }

    /// `POST /v1/nodes/import`: adds the nodes of CSV lines (`name,host,port,user,identity_file,...`).
    @discardableResult
    public func importNodes(csv: String) async throws -> [RemoteNode] {
        try await call("POST /v1/nodes/import") { try APIModel.convert(try await api.importNodes(body: .csv(HTTPBody(csv))).created.body.json) }
    }

    /// `GET /v1/nodes/{name}`.
    public func node(_ name: String) async throws -> RemoteNode {
        try await call("GET /v1/nodes/\(name)") { try APIModel.convert(try await api.getNode(path: .init(name: name)).ok.body.json) }
    }

    /// `DELETE /v1/nodes/{name}`.
    public func removeNode(_ name: String) async throws {
        try await call("DELETE /v1/nodes/\(name)") { _ = try await api.removeNode(path: .init(name: name)).noContent }
    }

    /// `POST /v1/nodes/{name}/test`: what the agent finds on the node over SSH.
    public func testNode(_ name: String) async throws -> NodeTestResult {
        try await call("POST /v1/nodes/\(name)/test") { try APIModel.convert(try await api.testNode(path: .init(name: name)).ok.body.json) }
    }

    // MARK: Tasks

    /// `GET /v1/tasks`: every task.
    public func tasks() async throws -> [TaskRecord] {
        try await call("GET /v1/tasks") { try APIModel.convert(try await api.listTasks().ok.body.json) }
    }

    /// `POST /v1/tasks`: creates a task (not started).
    public func createTask(_ spec: TaskSpec) async throws -> TaskRecord {
        try await call("POST /v1/tasks") {
            try APIModel.convert(try await api.createTask(body: .json(try APIModel.convert(spec))).created.body.json)
        }
    }

    /// `GET /v1/tasks/{id}`.
    public func task(_ id: String) async throws -> TaskRecord {
        try await call("GET /v1/tasks/\(id)") { try APIModel.convert(try await api.getTask(path: .init(id: id)).ok.body.json) }
    }

    /// `POST /v1/tasks/{id}/start`.
    @discardableResult
    public func startTask(_ id: String) async throws -> TaskRecord {
        try await call("POST /v1/tasks/\(id)/start") { try APIModel.convert(try await api.startTask(path: .init(id: id)).accepted.body.json) }
    }

    /// `POST /v1/tasks/{id}/resume`: continues from the checkpoint.
    @discardableResult
    public func resumeTask(_ id: String) async throws -> TaskRecord {
        try await call("POST /v1/tasks/\(id)/resume") { try APIModel.convert(try await api.resumeTask(path: .init(id: id)).accepted.body.json) }
    }

    /// `POST /v1/tasks/{id}/stop`: the task stops at its next checkpoint.
    @discardableResult
    public func stopTask(_ id: String) async throws -> TaskRecord {
        try await call("POST /v1/tasks/\(id)/stop") { try APIModel.convert(try await api.stopTask(path: .init(id: id)).accepted.body.json) }
    }

    /// `DELETE /v1/tasks/{id}`, with its staged files when `removeStaging`.
    public func deleteTask(_ id: String, removeStaging: Bool = false) async throws {
        try await call("DELETE /v1/tasks/\(id)") {
            _ = try await api.deleteTask(path: .init(id: id), query: .init(removeStaging: removeStaging ? true : nil)).noContent
        }
    }

    /// `GET /v1/tasks/{id}/log`: the task's log from byte `offset`.
    public func log(task id: String, offset: Int = 0) async throws -> String {
        try await call("GET /v1/tasks/\(id)/log") {
            let body = try await api.getTaskLog(path: .init(id: id), query: .init(offset: offset == 0 ? nil : offset)).ok.body.plainText
            return try await String(collecting: body, upTo: 64 << 20)
        }
    }

    /// Reads the task's event stream, calling `handle` for each event until it returns false or the stream ends.
    public func events(task id: String, _ handle: (ServerSentEvent) async throws -> Bool) async throws {
        let body = try await call("GET /v1/tasks/\(id)/events") {
            try await stream.getTaskEvents(path: .init(id: id)).ok.body.text_event_hyphen_stream
        }
        var events = body.asDecodedServerSentEvents().makeAsyncIterator()
        while true {
            let next: OpenAPIRuntime.ServerSentEvent?
            do { next = try await events.next() } catch let error as CancellationError { throw error } catch {
                throw AgentError("the event stream of task \(id) on the agent \(endpoint.name) broke off: \(TransportFailure.message(error))")
            }
            guard let event = next else { return }
            if try await !handle(ServerSentEvent(event: event.event ?? "message", data: event.data ?? "")) { return }
        }
    }

    /// Runs one call of the generated client (`request` names it); what fails is said in words.
    func call<R>(_ request: String, _ body: () async throws -> R) async throws -> R {
        do { return try await body() } catch let error as ClientError {
            switch error.underlyingError {
            case let refusal as AgentClientError: throw refusal
            case let cancelled as CancellationError: throw cancelled
            case let decoding as DecodingError: throw unreadable(request, decoding.userMessage)
            default:
                // With a response the agent answered, but not as the spec says; without one it was not reached.
                if error.response != nil { throw unreadable(request, nil) }
                throw AgentError("cannot reach the agent \(endpoint.name) at \(endpoint.url): \(TransportFailure.message(error.underlyingError))")
            }
        } catch let decoding as DecodingError {
            throw unreadable(request, decoding.userMessage)
        } catch let error as AgentError { throw error } catch let error as CancellationError { throw error } catch {
            // A status or content type the spec does not give this call, or an answer too large.
            throw unreadable(request, nil)
        }
    }

    func unreadable(_ request: String, _ detail: String?) -> AgentError {
        AgentError("the agent \(endpoint.name) answered \(request) in a way this cass2dynamo does not read\(detail.map { " (\($0))" } ?? ""); are both the same version?")
    }
}
