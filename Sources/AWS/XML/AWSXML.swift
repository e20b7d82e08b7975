import Foundation
import XMLCoder

/// AWS's XML bodies, read and written with XMLCoder: element names are the capitalized property
/// names (`isTruncated` ↔ `IsTruncated`), repeated elements are arrays, the root's name is not checked.
enum AWSXML {
    /// Decodes a body. Text is kept as sent: S3 keys may start or end with spaces.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        let decoder = XMLDecoder(trimValueWhitespaces: false, removeWhitespaceElements: true)
        decoder.keyDecodingStrategy = .convertFromCapitalized
        return try decoder.decode(type, from: Data(bytes))
    }

    /// Encodes a body under the root element `root` with the namespace `xmlns`. A carriage return
    /// is written as `&#13;`, else XML's line-end normalisation would read it as a line feed.
    static func encode(_ value: some Encodable, root: String, xmlns: String) throws -> String {
        let encoder = XMLEncoder()
        encoder.keyEncodingStrategy = .capitalized
        encoder.charactersEscapedInElements.append(("\r", "&#13;"))
        let data = try encoder.encode(value, withRootKey: root, rootAttributes: ["xmlns": xmlns])
        return String(decoding: data, as: UTF8.self)
    }

    /// An error body, wherever its fields sit: S3's `<Error>`, the query protocol's
    /// `<ErrorResponse><Error>`, or `<ErrorResponse><Errors><Error>` (moto's signature errors).
    struct ErrorBody: Decodable {
        var code: String?
        var message: String?
        var requestId: String?
        var requestID: String?
        var error: [ErrorBody]?
        var errors: [ErrorBody]?

        private var nested: [ErrorBody] { (error ?? []) + (errors ?? []) }

        /// The first element, depth first, that has a `Code`: the error itself; nil for a body that is no error.
        var innermost: ErrorBody? { code != nil ? self : nested.lazy.compactMap(\.innermost).first }

        /// `RequestId` or `RequestID`, at the root or nested.
        var anyRequestID: String? { requestId ?? requestID ?? nested.lazy.compactMap(\.anyRequestID).first }
    }
}
