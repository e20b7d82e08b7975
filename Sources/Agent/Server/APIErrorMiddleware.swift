import Hummingbird
import NIOCore
import OpenAPIRuntime

/// Between the bearer check and the routes: reads the request body (at most 1 MiB, else 413) and
/// answers every refusal with its status and the API's JSON error, `{"error":{"message":…}}`:
/// an `APIError` of a handler with its own status, a request the generated server could not read
/// (a field of the wrong type, an unknown field, malformed JSON, a wrong content type) with 400.
struct APIErrorMiddleware: RouterMiddleware {
    /// The largest request body the API reads.
    static let maxBody = 1 << 20

    func handle(_ request: Request, context: BasicRequestContext,
                next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
        var request = request
        do { _ = try await request.collectBody(upTo: Self.maxBody) } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "request body is larger than \(Self.maxBody >> 20) MiB")
        }
        do { return try await next(request, context) } catch let error as APIError {
            throw Self.httpError(error)
        } catch let error as ServerError {
            throw Self.httpError(error)
        }
    }

    static func httpError(_ error: APIError) -> HTTPError {
        HTTPError(HTTPResponse.Status(code: error.status), message: error.message)
    }

    static func httpError(_ error: ServerError) -> any Error {
        switch error.underlyingError {
        case let refusal as APIError:
            return httpError(refusal)
        case let decoding as DecodingError:
            // Where nothing is named, what failed is a query parameter of an operation without a body.
            if let query = error.request.path?.split(separator: "?", maxSplits: 1).dropFirst().first, [.get, .delete].contains(error.request.method),
               RequestFailure.isTopLevel(decoding) {
                return HTTPError(.badRequest, message: "the query \(query) does not fit docs/agent-openapi.yaml: a value must be \(RequestFailure.expected(decoding))")
            }
            return HTTPError(.badRequest, message: RequestFailure.message(decoding))
        case let http as HTTPError:
            return http
        default:
            // Without an input the generated server could not read the request (its description is the
            // runtime's sentence, e.g. "Missing required request body"); with one the handler failed.
            guard error.operationInput == nil else { return error.underlyingError }
            return HTTPError(.badRequest, message: "the request does not fit docs/agent-openapi.yaml: \(error.causeDescription)")
        }
    }
}
