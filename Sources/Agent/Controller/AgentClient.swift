import AWS
import AsyncHTTPClient
import DynamoMapping
import Foundation
import Migration
import NIOCore
import NIOHTTP1

/// A registered agent as the controller keeps it: address and TLS files; the token lives in a
/// file of its own (mode 0600) and is never printed.
public struct AgentEndpoint: Codable, Sendable, Equatable {
    public var name: String
    public var url: String
    public var ca: String?
    public var certificate: String?
    public var privateKey: String?
    public var tokenFile: String
    public init(name: String, url: String, ca: String?, certificate: String?, privateKey: String?, tokenFile: String) {
        self.name = name; self.url = url; self.ca = ca; self.certificate = certificate; self.privateKey = privateKey; self.tokenFile = tokenFile
    }
}

/// An error answer of the agent: status and its message.
public struct AgentClientError: Error, CustomStringConvertible, Sendable {
    public var status: Int
    public var message: String
    public var description: String { "HTTP \(status): \(message)" }
}

/// Talks to an agent over HTTPS (mutual TLS) with its bearer token.
public final class AgentClient: Sendable {
    public let endpoint: AgentEndpoint
    let token: String
    let http: HTTPClient

    public init(endpoint: AgentEndpoint, token: String) throws {
        self.endpoint = endpoint
        self.token = token
        var config = HTTPClient.Configuration()
        if endpoint.url.hasPrefix("https://") {
            config.tlsConfiguration = try AgentTLS.client(ca: endpoint.ca, certificate: endpoint.certificate, privateKey: endpoint.privateKey)
        }
        config.timeout = .init(connect: .seconds(10))
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }

    /// Reads the token from the endpoint's token file.
    public convenience init(endpoint: AgentEndpoint) throws {
        guard let data = FileManager.default.contents(atPath: endpoint.tokenFile) else { throw AgentError("cannot read token file \(endpoint.tokenFile)") }
        try self.init(endpoint: endpoint, token: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    public func shutdown() async throws { try await http.shutdown() }

    func request(_ method: HTTPMethod, _ path: String, body: Data? = nil, contentType: String = "application/json") -> HTTPClientRequest {
        var r = HTTPClientRequest(url: endpoint.url.trimmingSuffix("/") + path)
        r.method = method
        r.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            r.headers.add(name: "Content-Type", value: contentType)
            r.body = .bytes(ByteBuffer(bytes: body))
        }
        return r
    }

    /// Sends a request and returns status and body; 4xx/5xx become `AgentClientError` with the agent's message.
    public func send(_ method: String, _ path: String, body: Data? = nil, contentType: String = "application/json") async throws -> Data {
        let (response, bytes) = try await reaching {
            let response = try await http.execute(request(HTTPMethod(rawValue: method), path, body: body, contentType: contentType), timeout: .seconds(120))
            return (response, try await response.body.collect(upTo: 64 << 20))
        }
        let data = Data(bytes.readableBytesView)
        guard (200..<300).contains(Int(response.status.code)) else {
            struct E: Decodable { struct M: Decodable { var message: String }; var error: M }
            let message = (try? JSONDecoder().decode(E.self, from: data))?.error.message ?? String(decoding: data, as: UTF8.self)
            throw AgentClientError(status: Int(response.status.code), message: message)
        }
        return data
    }

    public func get<T: Decodable>(_ path: String, as: T.Type = T.self) async throws -> T {
        try decode(T.self, try await send("GET", path), answering: "GET \(path)")
    }

    public func post<T: Decodable>(_ path: String, json: (some Encodable)?, as: T.Type = T.self) async throws -> T {
        let body = try json.map { try JSONEncoder().encode($0) }
        return try decode(T.self, try await send("POST", path, body: body ?? Data()), answering: "POST \(path)")
    }

    /// The agent's answer as `T`; an answer of another shape is named by the field it stumbles on.
    func decode<T: Decodable>(_ type: T.Type, _ data: Data, answering request: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: data) } catch let error as DecodingError {
            throw AgentError("the agent \(endpoint.name) answered \(request) with JSON this cass2dynamo does not read (\(error.userMessage)); are both the same version?")
        }
    }

    /// Runs `body`; a connection that fails is an error naming the agent and why, in words.
    func reaching<R>(_ body: () async throws -> R) async throws -> R {
        do { return try await body() } catch let error as CancellationError { throw error } catch {
            throw AgentError("cannot reach the agent \(endpoint.name) at \(endpoint.url): \(TransportFailure.message(error))")
        }
    }

    /// Reads the task's event stream, calling `handle` for each event until it returns false or the stream ends.
    public func events(task id: String, _ handle: (ServerSentEvent) async throws -> Bool) async throws {
        let response = try await reaching { try await http.execute(request(.GET, "/v1/tasks/\(id)/events"), timeout: .hours(72)) }
        guard response.status == .ok else {
            let body = try await response.body.collect(upTo: 1 << 20)
            throw AgentClientError(status: Int(response.status.code), message: String(buffer: body))
        }
        var pending = ""
        for try await chunk in response.body {
            pending += String(buffer: chunk)
            while let range = pending.range(of: "\n\n") {
                let block = pending[..<range.lowerBound]
                pending.removeSubrange(..<range.upperBound)
                var event = "message", data: [Substring] = []
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) } else if line.hasPrefix("data: ") { data.append(line.dropFirst(6)) }
                }
                if try await !handle(ServerSentEvent(event: event, data: data.joined(separator: "\n"))) { return }
            }
        }
    }
}

extension String {
    func trimmingSuffix(_ s: String) -> String { hasSuffix(s) ? String(dropLast(s.count)) : self }
}

/// The controller's list of registered agents (`agents.json` in its config folder).
public struct ControllerConfig: Sendable {
    public let directory: String
    public var agents: [AgentEndpoint]

    /// `$CASS2DYNAMO_CONFIG_DIR`, else `$XDG_CONFIG_HOME/cass2dynamo`, else `~/.config/cass2dynamo`.
    public static var defaultDirectory: String {
        let env = ProcessInfo.processInfo.environment
        if let d = env["CASS2DYNAMO_CONFIG_DIR"] { return d }
        if let x = env["XDG_CONFIG_HOME"] { return x + "/cass2dynamo" }
        return NSHomeDirectory() + "/.config/cass2dynamo"
    }

    public static func load(directory: String = defaultDirectory) throws -> ControllerConfig {
        let path = directory + "/agents.json"
        guard let data = FileManager.default.contents(atPath: path) else { return ControllerConfig(directory: directory, agents: []) }
        return ControllerConfig(directory: directory, agents: try JSONDecoder().decode([AgentEndpoint].self, from: data))
    }

    public func save() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(Array(try e.encode(agents)), to: directory + "/agents.json", mode: 0o600)
    }

    public func agent(_ name: String) throws -> AgentEndpoint {
        guard let a = agents.first(where: { $0.name == name }) else {
            throw AgentError("no agent named \(name) (registered: \(agents.map(\.name).joined(separator: ", ")))")
        }
        return a
    }

    /// Registers (or replaces) an agent; the token is written to `tokens/NAME` with mode 0600.
    public mutating func register(name: String, url: String, ca: String?, certificate: String?, privateKey: String?, token: String) throws {
        guard url.hasPrefix("https://") || url.hasPrefix("http://127.") || url.hasPrefix("http://localhost") else {
            throw AgentError("the agent URL must be https:// (plain http only on loopback)")
        }
        let abs: (String?) -> String? = { $0.map { URL(fileURLWithPath: $0).standardizedFileURL.path } }
        try FileManager.default.createDirectory(atPath: directory + "/tokens", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let tokenFile = directory + "/tokens/" + name
        try AtomicFile.write(Array((token + "\n").utf8), to: tokenFile, mode: 0o600)
        let endpoint = AgentEndpoint(name: name, url: url, ca: abs(ca), certificate: abs(certificate), privateKey: abs(privateKey), tokenFile: tokenFile)
        agents.removeAll { $0.name == name }
        agents.append(endpoint)
    }

    public mutating func unregister(_ name: String) throws {
        let a = try agent(name)
        agents.removeAll { $0.name == name }
        unlink(a.tokenFile)
    }
}
