import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

@testable import AWS

/// Connection failures read as words, never as a Swift type's dump.
struct TransportFailureTests {
    @Test func errorsReadAsWords() {
        #expect(TransportFailure.message(IOError(errnoCode: ECONNREFUSED, reason: "connect")) == "connection refused")
        #expect(TransportFailure.message(IOError(errnoCode: ECONNRESET, reason: "read")) == "connection reset by peer")
        #expect(TransportFailure.message(HTTPClientError.readTimeout) == "no answer within the read timeout")
        #expect(TransportFailure.message(HTTPClientError.connectTimeout) == "the connection timed out")
        #expect(TransportFailure.message(HTTPClientError.bodyLengthMismatch) == "the connection failed (body length mismatch)")
    }
}
