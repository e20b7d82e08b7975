@testable import Agent
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension AgentClient {
    /// Sends a request the typed calls cannot make (a malformed or oversized body, a dashboard
    /// file) on the client's connection, with its token; the answer's body, or `AgentClientError`
    /// with the agent's message for a 4xx or 5xx.
    func send(_ method: String, _ path: String, body: Data? = nil, contentType: String = "application/json",
              headers: [String: String] = [:]) async throws -> Data {
        var request = HTTPClientRequest(url: endpoint.url + path)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await http.execute(request, timeout: .seconds(120))
        let data = Data(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        guard (200..<300).contains(Int(response.status.code)) else {
            struct Refusal: Decodable { struct Message: Decodable { var message: String }; var error: Message }
            let message = (try? JSONDecoder().decode(Refusal.self, from: data))?.error.message ?? String(decoding: data, as: UTF8.self)
            throw AgentClientError(status: Int(response.status.code), message: message)
        }
        return data
    }
}
