import HexCoding

/// Malformed JSON: where (counting Unicode characters from 1) and what was wrong.
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The character the parser stopped at, counting from 1.
    public var character: Int
    /// Whether the text ended there.
    public var atEnd: Bool
    public var reason: String

    /// `invalid JSON at character 7: expected ':' after an object key but found '}'`.
    public var description: String {
        "invalid JSON at character \(character)\(atEnd ? " (the end)" : ""): \(reason)"
    }
}

extension JSONValue {
    /// Parses one JSON text (surrounding whitespace allowed, nothing else after the value).
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try parse(text.utf8)
    }

    /// Parses one JSON text given as UTF-8 bytes (invalid UTF-8 inside strings becomes U+FFFD).
    public static func parse<Bytes: Collection>(_ bytes: Bytes) throws(JSONSyntaxError) -> JSONValue where Bytes.Element == UInt8 {
        let result = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONSyntaxError) in try parse(bytes: buffer) }
        }
        if let result { return try result.get() }
        return try Array(bytes).withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in try parse(bytes: buffer) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument()
    }
}

/// A strict recursive-descent reader (RFC 8259) over UTF-8 bytes.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0
    var depth = 0

    /// Arrays and objects nested deeper than this are refused (no unbounded recursion).
    static let maxDepth = 256

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard offset == bytes.count else { throw error("unexpected \(found) after the JSON value") }
        return value
    }

    func error(_ reason: String) -> JSONSyntaxError {
        var characters = 1
        for i in 0..<min(offset, bytes.count) where bytes[i] & 0xC0 != 0x80 { characters += 1 }
        return JSONSyntaxError(character: characters, atEnd: offset >= bytes.count, reason: reason)
    }

    /// What is at the current position, in words.
    var found: String {
        guard offset < bytes.count else { return "end of text" }
        let b = bytes[offset]
        if b < 0x20 { return "control character U+00\(b < 0x10 ? "0" : "")\(String(b, radix: 16, uppercase: true))" }
        var end = offset + 1
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "'" + String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<end]), as: UTF8.self) + "'"
    }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        guard offset < bytes.count else { throw error("expected a value but the text ended") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("expected a value but found \(found)")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        let matches = bytes.count - offset >= n && (0..<n).allSatisfy { bytes[offset + $0] == word.utf8Start[$0] }
        guard matches else { throw error("expected a value but found \(found)") }
        offset += n
    }

    mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw error("arrays and objects nested deeper than \(Self.maxDepth) levels") }
    }

    mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        offset += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if offset < bytes.count && bytes[offset] == UInt8(ascii: "]") {
            offset += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard offset < bytes.count else { throw error("expected ',' or ']' in an array but the text ended") }
            if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
            if bytes[offset] == UInt8(ascii: "]") { offset += 1; break }
            throw error("expected ',' or ']' in an array but found \(found)")
        }
        depth -= 1
        return .array(elements)
    }

    mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        offset += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if offset < bytes.count && bytes[offset] == UInt8(ascii: "}") {
            offset += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
                throw error("expected an object key (a string in double quotes) but found \(found)")
            }
            let name = try parseString()
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else {
                throw error("expected ':' after an object key but found \(found)")
            }
            offset += 1
            skipWhitespace()
            members.append(JSONMember(name, try parseValue()))
            skipWhitespace()
            guard offset < bytes.count else { throw error("expected ',' or '}' in an object but the text ended") }
            if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
            if bytes[offset] == UInt8(ascii: "}") { offset += 1; break }
            throw error("expected ',' or '}' in an object but found \(found)")
        }
        depth -= 1
        return .object(members)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, returned as written.
    mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = offset
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        guard offset < bytes.count, isDigit(bytes[offset]) else { throw error("expected a digit in a number but found \(found)") }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
            if offset < bytes.count && isDigit(bytes[offset]) { throw error("a number may not have leading zeros") }
        } else {
            skipDigits()
        }
        if offset < bytes.count && bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard offset < bytes.count, isDigit(bytes[offset]) else { throw error("expected a digit after the decimal point but found \(found)") }
            skipDigits()
        }
        if offset < bytes.count && (bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E")) {
            offset += 1
            if offset < bytes.count && (bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-")) { offset += 1 }
            guard offset < bytes.count, isDigit(bytes[offset]) else { throw error("expected a digit in the exponent but found \(found)") }
            skipDigits()
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    }

    @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    mutating func skipDigits() {
        while offset < bytes.count && isDigit(bytes[offset]) { offset += 1 }
    }

    /// A string literal from its opening quote; escapes decoded, surrogate pairs joined.
    mutating func parseString() throws(JSONSyntaxError) -> String {
        offset += 1
        // Most strings have no escapes: decoded straight from the input.
        let start = offset
        while offset < bytes.count {
            let b = bytes[offset]
            if b == UInt8(ascii: "\"") {
                defer { offset += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") || b < 0x20 { break }
            offset += 1
        }
        var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<offset]))
        var runStart = offset
        while true {
            guard offset < bytes.count else { throw error("a string is not closed (missing '\"')") }
            let b = bytes[offset]
            if b == UInt8(ascii: "\"") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<offset]))
                offset += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { throw error("\(found) must be escaped inside a string") }
            if b != UInt8(ascii: "\\") { offset += 1; continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<offset]))
            offset += 1
            guard offset < bytes.count else { throw error("a string is not closed (missing '\"')") }
            let escape = bytes[offset]
            offset += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"): appendScalar(try parseUnicodeEscape(), to: &out)
            default:
                offset -= 1
                throw error("\(found) is not a JSON escape (after '\\' come \" \\ / b f n r t or u and 4 hex digits)")
            }
            runStart = offset
        }
    }

    /// The scalar of `\uXXXX` (the `\u` already read), or of a `\uD8xx\uDCxx` surrogate pair.
    mutating func parseUnicodeEscape() throws(JSONSyntaxError) -> UInt32 {
        let first = try hex4()
        switch first {
        case 0xD800...0xDBFF:
            guard bytes.count - offset >= 2, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
                throw error("\\u\(String(first, radix: 16)) (a high surrogate) must be followed by a \\u escape of a low surrogate")
            }
            offset += 2
            let second = try hex4()
            guard (0xDC00...0xDFFF).contains(second) else {
                throw error("\\u\(String(first, radix: 16)) (a high surrogate) must be followed by a low surrogate, not \\u\(String(second, radix: 16))")
            }
            return 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        case 0xDC00...0xDFFF:
            throw error("\\u\(String(first, radix: 16)) is a low surrogate without a high surrogate before it")
        default:
            return first
        }
    }

    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard offset < bytes.count, let d = Hex.value(ofDigit: bytes[offset]) else { throw error("expected 4 hex digits after \\u but found \(found)") }
            v = v << 4 | UInt32(d)
            offset += 1
        }
        return v
    }

    func appendScalar(_ v: UInt32, to out: inout [UInt8]) {
        switch v {
        case 0..<0x80:
            out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | v >> 6)); out.append(UInt8(0x80 | v & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | v >> 12)); out.append(UInt8(0x80 | v >> 6 & 0x3F)); out.append(UInt8(0x80 | v & 0x3F))
        default:
            out.append(UInt8(0xF0 | v >> 18)); out.append(UInt8(0x80 | v >> 12 & 0x3F))
            out.append(UInt8(0x80 | v >> 6 & 0x3F)); out.append(UInt8(0x80 | v & 0x3F))
        }
    }
}
