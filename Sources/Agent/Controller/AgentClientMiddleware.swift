import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Sends the bearer token with every call, and turns an answer that is not 2xx into
/// `AgentClientError` with the agent's message (`{"error":{"message":…}}`, else the body's text).
struct AgentClientMiddleware: ClientMiddleware {
    let token: String

    func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        let (response, responseBody) = try await next(request, body, baseURL)
        guard response.status.kind != .successful else { return (response, responseBody) }
        var data = Data()
        if let responseBody { data = try await Data(collecting: responseBody, upTo: 1 << 20) }
        struct Refusal: Decodable { struct Message: Decodable { var message: String }; var error: Message }
        let message = (try? JSONDecoder().decode(Refusal.self, from: data))?.error.message ?? String(decoding: data, as: UTF8.self)
        throw AgentClientError(status: response.status.code, message: message)
    }
}
