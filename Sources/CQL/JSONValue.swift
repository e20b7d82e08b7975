/// A JSON value (RFC 8259) as `JSONValue.parse` reads it. Numbers keep their source text, so
/// `varint`, `decimal` and `bigint` values lose no precision; object members keep their order
/// and duplicates (callers decide what a repeated name means).
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number exactly as written: `-12`, `1.50`, `2E+3`.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// Parses one JSON text (surrounding whitespace allowed, nothing else after the value).
    /// Errors say what was wrong and where: `invalid JSON at character 7: expected ':' after an object key`.
    public static func parse(_ text: String) throws(CQLValueError) -> JSONValue {
        let utf8 = Array(text.utf8)
        return try utf8.withUnsafeBufferPointer { bytes throws(CQLValueError) -> JSONValue in
            var parser = JSONParser(bytes: bytes)
            return try parser.parseDocument()
        }
    }
}

/// One `"name": value` member of a JSON object.
public struct JSONMember: Sendable, Hashable {
    public var name: String
    public var value: JSONValue

    public init(_ name: String, _ value: JSONValue) {
        self.name = name
        self.value = value
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text of the value (numbers as written), for messages.
    public var description: String {
        var out: [UInt8] = []
        append(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func append(to out: inout [UInt8]) {
        switch self {
        case .null: appendASCII("null", to: &out)
        case .bool(let b): appendASCII(b ? "true" : "false", to: &out)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .string(let s): appendJSONString(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, e) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                e.append(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, m) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                appendJSONString(m.name, to: &out)
                out.append(UInt8(ascii: ":"))
                m.value.append(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}

/// A recursive-descent reader over UTF-8 bytes (valid UTF-8: they come from a `String`).
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0
    var depth = 0

    /// Arrays and objects nested deeper than this are refused (no unbounded recursion).
    static let maxDepth = 256

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func parseDocument() throws(CQLValueError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard offset == bytes.count else { throw error("unexpected \(found) after the JSON value") }
        return value
    }

    /// `invalid JSON at character N` (counting Unicode characters from 1) and the reason.
    func error(_ reason: String) -> CQLValueError {
        var characters = 1
        for i in 0..<min(offset, bytes.count) where bytes[i] & 0xC0 != 0x80 { characters += 1 }
        if offset >= bytes.count { return CQLValueError("invalid JSON at character \(characters) (the end): \(reason)") }
        return CQLValueError("invalid JSON at character \(characters): \(reason)")
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

    mutating func parseValue() throws(CQLValueError) -> JSONValue {
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

    mutating func literal(_ word: StaticString) throws(CQLValueError) {
        let n = word.utf8CodeUnitCount
        let matches = bytes.count - offset >= n && (0..<n).allSatisfy { bytes[offset + $0] == word.utf8Start[$0] }
        guard matches else { throw error("expected a value but found \(found)") }
        offset += n
    }

    mutating func enter() throws(CQLValueError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw error("arrays and objects nested deeper than \(Self.maxDepth) levels") }
    }

    mutating func parseArray() throws(CQLValueError) -> JSONValue {
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

    mutating func parseObject() throws(CQLValueError) -> JSONValue {
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
    mutating func parseNumber() throws(CQLValueError) -> String {
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
    mutating func parseString() throws(CQLValueError) -> String {
        offset += 1
        var out: [UInt8] = []
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
    mutating func parseUnicodeEscape() throws(CQLValueError) -> UInt32 {
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

    mutating func hex4() throws(CQLValueError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard offset < bytes.count, let d = Self.hexDigit(bytes[offset]) else { throw error("expected 4 hex digits after \\u but found \(found)") }
            v = v << 4 | UInt32(d)
            offset += 1
        }
        return v
    }

    /// The value of one hex digit (either case), or nil.
    static func hexDigit(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
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
