import DynamoModel

/// A scalar attribute value borrowed for the duration of a callback: what both the item
/// (``AttributeValue``) and the direct path (``ItemConverter/convertDirect(_:write:)``) are made from.
package enum ScalarValue {
    /// `S`: UTF-8 text (valid UTF-8 in the direct path).
    case string(UnsafeRawBufferPointer)
    /// `N`: decimal text (a valid DynamoDB number in the direct path).
    case number(UnsafeRawBufferPointer)
    /// `B`: raw bytes.
    case binary(UnsafeRawBufferPointer)
    /// `BOOL`.
    case bool(Bool)

    /// The attribute value, copied out of the borrowed bytes.
    var attribute: AttributeValue {
        switch self {
        case .string(let text): .s(String(decoding: text, as: UTF8.self))
        case .number(let text): .n(String(decoding: text, as: UTF8.self))
        case .binary(let bytes): .b(Array(bytes))
        case .bool(let flag): .bool(flag)
        }
    }
}

extension UnsafeRawBufferPointer {
    /// Whether the bytes are valid UTF-8, so that they are a `String`'s bytes as they are.
    var isValidUTF8: Bool {
        guard contains(where: { $0 >= 0x80 }) else { return true }
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = makeIterator()
        while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
