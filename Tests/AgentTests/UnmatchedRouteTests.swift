@testable import Agent
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

/// Requests no route answers get the API's JSON error: 405 with `Allow` on a path that exists,
/// 404 on one that does not.
@Suite("Agent unmatched routes")
struct UnmatchedRouteTests {
    struct Answer { var status: UInt; var allow: String?; var message: String? }

    /// Sends `method path` with the token; the status, `Allow` and the JSON error's message.
    static func send(_ agent: RunningAgent, _ method: String, _ path: String, token: Bool = true) async throws -> Answer {
        var config = HTTPClient.Configuration()
        config.tlsConfiguration = try AgentTLS.client(ca: agent.dir.path + "/tls/ca.pem", certificate: agent.dir.path + "/tls/client.pem",
                                                      privateKey: agent.dir.path + "/tls/client-key.pem")
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        var answer: Answer?
        try await finally({ try await http.shutdown() }) { () async throws in
            var r = HTTPClientRequest(url: agent.url + path)
            r.method = .init(rawValue: method)
            if token { r.headers.add(name: "Authorization", value: "Bearer \(agent.token)") }
            let response = try await http.execute(r, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            struct E: Decodable { struct M: Decodable { var message: String }; var error: M }
            answer = Answer(status: response.status.code, allow: response.headers.first(name: "Allow"),
                            message: try? JSONDecoder().decode(E.self, from: Data(body.readableBytesView)).error.message)
        }
        return try #require(answer)
    }

    @Test func anUnsupportedMethodIs405WithAllowAndTheErrorShape() async throws {
        let agent = try await RunningAgent(dataDirectories: [])
        try await finally({ await agent.stop() }) { () async throws in
            for (method, path, allow) in [("TRACE", "/v1/health", "GET"), ("PUT", "/v1/nodes", "GET, POST"), ("OPTIONS", "/v1/tasks", "GET, POST"),
                                          ("PATCH", "/v1/tasks/t-1", "GET, DELETE"), ("GET", "/v1/tasks/t-1/start", "POST"),
                                          ("GET", "/v1/nodes/import", "POST"), ("DELETE", "/dashboard/app.js", "GET")] {
                let a = try await Self.send(agent, method, path)
                #expect(a.status == 405 && a.allow == allow, "\(method) \(path): \(a)")
                #expect(a.message == "\(path) accepts \(allow), not \(method)", "\(method) \(path): \(a)")
            }
            // The token is checked first: without it a /v1/ route answers 401 whatever the method.
            #expect(try await Self.send(agent, "TRACE", "/v1/health", token: false).status == 401)
        }
    }

    @Test func anUnknownRouteIs404WithTheErrorShape() async throws {
        let agent = try await RunningAgent(dataDirectories: [])
        try await finally({ await agent.stop() }) { () async throws in
            for path in ["/v1/nope", "/v1/tasks/t-1/nope", "/v2/health", "/nope"] {
                let a = try await Self.send(agent, "GET", path)
                #expect(a.status == 404 && a.allow == nil, "\(path): \(a)")
                #expect(a.message?.hasPrefix("there is no \(path) on this agent") == true, "\(path): \(a)")
            }
            // A route's own 404 keeps its message.
            let a = try await Self.send(agent, "GET", "/v1/tasks/t-nothere")
            #expect(a.status == 404 && a.message?.contains("no task") == true, "\(a)")
        }
    }
}
