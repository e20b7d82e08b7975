import Foundation
import Hummingbird
import NIOCore

/// JSON bodies in and out, and `APIError` as an HTTP error with a message.
enum JSON {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        var data = try e.encode(value)
        data.append(0x0a)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ text: String, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: .ok, headers: [.contentType: contentType, .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Decodes the request body; malformed JSON is a 400 with the decoder's reason.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let body = try await request.body.collect(upTo: 1 << 20)
        guard body.readableBytes > 0 else { throw HTTPError(.badRequest, message: "request body is empty; expected a JSON \(T.self)") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
        } catch let DecodingError.dataCorrupted(c) {
            throw HTTPError(.badRequest, message: "malformed JSON: \(c.underlyingError.map { "\($0.localizedDescription)" } ?? c.debugDescription)")
        } catch let DecodingError.keyNotFound(key, c) {
            throw HTTPError(.badRequest, message: "invalid \(T.self): missing \(path(c.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(_, c) {
            throw HTTPError(.badRequest, message: "invalid \(T.self): wrong type at \(path(c.codingPath)): \(c.debugDescription)")
        } catch let DecodingError.valueNotFound(_, c) {
            throw HTTPError(.badRequest, message: "invalid \(T.self): null at \(path(c.codingPath))")
        } catch {
            throw HTTPError(.badRequest, message: "invalid \(T.self): \(error)")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// Runs a handler, turning `APIError` into an HTTP error with its status and message.
    static func api(_ body: () async throws -> Response) async throws -> Response {
        do { return try await body() } catch let e as APIError {
            throw HTTPError(HTTPResponse.Status(code: e.status), message: e.message)
        }
    }
}
