/// Appends JSON text to a byte buffer without building intermediate objects: the project's one
/// JSON writer and string escaper.
public enum JSONWriter {
    /// Appends `string` as a JSON string literal (escaped as `escape(_:asciiOnly:into:)` says).
    public static func writeString(_ string: String, into out: inout [UInt8]) {
        var string = string
        string.withUTF8 { writeString(utf8: UnsafeRawBufferPointer($0), into: &out) }
    }

    /// Appends UTF-8 `bytes` as a JSON string literal.
    public static func writeString(utf8 bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        escape(bytes, into: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends a literal or a number's text unchanged.
    @inlinable
    public static func writeRaw(_ text: StaticString, into out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// Appends a number literal or other pre-validated text unchanged. (Labelled, so that a
    /// literal takes the `StaticString` form, which copies its bytes without making a `String`.)
    public static func writeRaw(string text: String, into out: inout [UInt8]) {
        out.append(contentsOf: text.utf8)
    }

    /// Appends an integer.
    public static func writeInt<I: BinaryInteger>(_ value: I, into out: inout [UInt8]) {
        out.append(contentsOf: String(value).utf8)
    }

    /// Appends a whole `JSONValue`, compact.
    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: writeRaw("null", into: &out)
        case .bool(let flag): writeRaw(flag ? "true" : "false", into: &out)
        case .number(let text): writeRaw(string: text, into: &out)
        case .string(let text): writeString(text, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(member.name, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
