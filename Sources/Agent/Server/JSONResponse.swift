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

    /// The largest request body the API reads.
    static let maxBody = 1 << 20

    /// The request body; a larger one is a 413 with the usual error shape.
    static func body(_ request: Request) async throws -> ByteBuffer {
        do { return try await request.body.collect(upTo: maxBody) } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "request body is larger than \(maxBody >> 20) MiB")
        }
    }

    /// Decodes `body` as `T` after `fields` has checked it holds no unknown field: malformed JSON,
    /// a wrong type or an unknown field is a 400 naming the field.
    static func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer, fields: APIFields) throws -> T {
        let what = String(describing: T.self).hasPrefix("Array") ? "JSON array" : "JSON object"
        guard body.readableBytes > 0 else { throw HTTPError(.badRequest, message: "request body is empty; expected a \(what)") }
        let data = Data(body.readableBytesView)
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw HTTPError(.badRequest, message: "malformed JSON: \(error.localizedDescription)")
        }
        do throws(APIError) { try fields.check(parsed) } catch { throw HTTPError(.badRequest, message: error.message) }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, c) {
            throw HTTPError(.badRequest, message: "missing field \(path(c.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(expected, c) {
            throw HTTPError(.badRequest, message: "\(path(c.codingPath)) must be \(jsonType(expected))")
        } catch let DecodingError.valueNotFound(expected, c) {
            throw HTTPError(.badRequest, message: "\(path(c.codingPath)) must be \(jsonType(expected)), not null")
        } catch {
            throw HTTPError(.badRequest, message: "the body is not a valid \(what)")
        }
    }

    /// The JSON name of what a Swift type decodes from.
    static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        case is [Any].Type, is [String].Type: "an array"
        default: "an object"
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
