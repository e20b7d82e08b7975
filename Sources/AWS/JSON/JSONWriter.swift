import HexCoding

/// Appends JSON text to a byte buffer without building intermediate objects.
package enum JSONWriter {

    /// Appends `string` as a quoted JSON string, escaping `"`, `\` and control characters.
    package static func writeString(_ string: String, into out: inout [UInt8]) {
        var string = string
        string.withUTF8 { writeString(utf8: UnsafeRawBufferPointer($0), into: &out) }
    }

    /// Appends valid UTF-8 text as a quoted JSON string (`writeString`'s escaping).
    package static func writeString(utf8: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") { continue }
            if runStart < index { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart..<index])) }
            appendEscape(byte, into: &out)
            runStart = index + 1
        }
        if runStart < utf8.count { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart..<utf8.count])) }
        out.append(UInt8(ascii: "\""))
    }

    static func appendEscape(_ byte: UInt8, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        default:
            out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), Hex.digit(byte >> 4), Hex.digit(byte & 0xF)])
        }
    }

    /// Appends raw ASCII/UTF-8 text (a literal, a number) unchanged.
    package static func writeRaw(_ text: StaticString, into out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// Appends a number literal or other pre-validated text unchanged. (Labelled, so that a
    /// literal takes the `StaticString` form, which copies its bytes without making a `String`.)
    package static func writeRaw(string text: String, into out: inout [UInt8]) {
        out.append(contentsOf: text.utf8)
    }

    /// Appends an integer.
    package static func writeInt<I: BinaryInteger>(_ value: I, into out: inout [UInt8]) {
        out.append(contentsOf: String(value).utf8)
    }

    /// Appends a whole `JSONValue` (used for small request bodies).
    package static func write(_ value: JSONValue, into out: inout [UInt8]) {
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
                writeString(member.0, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.1, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
