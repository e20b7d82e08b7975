import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// What went wrong on the way to an endpoint, in words: "connection refused", "the host name x
/// does not resolve", "no answer within the read timeout". The operating system's own text for
/// socket errors; never a Swift type's dump.
public enum TransportFailure {
    public static func message(_ error: any Error) -> String {
        switch error {
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        case let error as NIOConnectionError:
            if let failure = error.connectionErrors.first { return message(failure.error) }
            return "the host name \(error.host) does not resolve"
        case let error as SocketAddressError.UnknownHost:
            return "the host name \(error.host) does not resolve (\(error.errorDescription.lowercased()))"
        case let error as HTTPClientError:
            return message(error)
        default:
            return (error as? any LocalizedError)?.errorDescription ?? "the connection failed (\(words(String(describing: error))))"
        }
    }

    static func message(_ error: HTTPClientError) -> String {
        switch error {
        case .connectTimeout, .getConnectionFromPoolTimeout: "the connection timed out"
        case .tlsHandshakeTimeout: "the TLS handshake timed out"
        case .readTimeout: "no answer within the read timeout"
        case .writeTimeout: "the request could not be sent within the write timeout"
        case .deadlineExceeded: "no answer within the request's deadline"
        case .remoteConnectionClosed: "the server closed the connection before it answered"
        case .uncleanShutdown: "the connection was cut off"
        case .invalidURL, .emptyHost, .emptyScheme: "the endpoint is not a valid URL"
        default: "the connection failed (\(words(error.description)))"
        }
    }

    /// `HTTPClientError.bodyLengthMismatch` → `body length mismatch`: the name of what failed, as words.
    static func words(_ text: String) -> String {
        let name = text.split(separator: ".").last.map(String.init) ?? text
        var out = ""
        for c in name where c.isLetter || c.isNumber || c == " " {
            if c.isUppercase, let last = out.last, last.isLowercase { out += " " }
            out += c.lowercased()
        }
        return out
    }
}
