import Foundation

/// Moves values between the agent's own types and the API's generated ones (AgentAPI's
/// `Components.Schemas`), for the server and the client. Both are Codable with the JSON of
/// docs/agent-openapi.yaml, so a value goes through that JSON: what the spec does not describe
/// does not reach the wire.
enum APIModel {
    /// `value` as `T`, through its JSON.
    static func convert<T: Decodable>(_ value: some Encodable) throws -> T {
        try JSONDecoder().decode(T.self, from: try JSONEncoder().encode(value))
    }

    /// A request's value as the agent's type; a value the agent's type refuses is a 400 naming the field.
    static func request<T: Decodable>(_ value: some Encodable, as type: T.Type) throws -> T {
        do { return try convert(value) } catch let error as DecodingError {
            throw APIError.badRequest(RequestFailure.message(error))
        }
    }

    /// An answer as the API's type.
    static func answer<T: Decodable>(_ value: some Encodable) throws -> T {
        do { return try convert(value) } catch let error as DecodingError {
            throw APIError(500, "the agent's answer does not fit docs/agent-openapi.yaml: \(RequestFailure.message(error))")
        }
    }
}
