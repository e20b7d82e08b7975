/// Parses a small XML document into an ``XMLNode`` tree.
package struct MiniXMLParser {
    /// Thrown for malformed XML.
    package struct SyntaxError: Error, CustomStringConvertible {
        package var offset: Int
        package var reason: String
        package var description: String { "invalid XML at byte \(offset): \(reason)" }
    }

    private let bytes: [UInt8]
    private var index = 0

    /// Parses a document and returns its root element.
    package static func parse<Bytes: Collection>(_ bytes: Bytes) throws(SyntaxError) -> XMLNode where Bytes.Element == UInt8 {
        var parser = MiniXMLParser(bytes: Array(bytes))
        try parser.skipProlog()
        guard parser.index < parser.bytes.count else { throw parser.error("no root element") }
        return try parser.parseElement(depth: 0)
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private func error(_ reason: String) -> SyntaxError {
        SyntaxError(offset: index, reason: reason)
    }

    private func peek(_ literal: String) -> Bool {
        let pattern = Array(literal.utf8)
        guard index + pattern.count <= bytes.count else { return false }
        return bytes[index..<index + pattern.count].elementsEqual(pattern)
    }

    private mutating func skip(until literal: String) throws(SyntaxError) {
        while index < bytes.count {
            if peek(literal) {
                index += literal.utf8.count
                return
            }
            index += 1
        }
        throw error("unterminated construct, expected \(literal)")
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func skipProlog() throws(SyntaxError) {
        if peek("\u{FEFF}") { index += 3 }
        while true {
            skipWhitespace()
            if peek("<?") {
                try skip(until: "?>")
            } else if peek("<!--") {
                try skip(until: "-->")
            } else if peek("<!") {
                try skip(until: ">")
            } else {
                return
            }
        }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        !(byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "<"))
    }

    private mutating func parseName() throws(SyntaxError) -> String {
        let start = index
        while index < bytes.count, Self.isNameByte(bytes[index]) { index += 1 }
        guard index > start else { throw error("expected a name") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func parseElement(depth: Int) throws(SyntaxError) -> XMLNode {
        guard depth < 256 else { throw error("nesting too deep") }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "<") else { throw error("expected '<'") }
        index += 1
        let name = try parseName()
        var attributes: [(String, String)] = []
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end in tag") }
            if peek("/>") {
                index += 2
                return XMLNode(name: name, attributes: attributes, children: [], text: "")
            }
            if bytes[index] == UInt8(ascii: ">") {
                index += 1
                break
            }
            let attributeName = try parseName()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { throw error("expected '='") }
            index += 1
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                throw error("expected a quoted attribute value")
            }
            let quote = bytes[index]
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != quote { index += 1 }
            guard index < bytes.count else { throw error("unterminated attribute value") }
            attributes.append((attributeName, Self.decodeEntities(bytes[start..<index])))
            index += 1
        }
        var children: [XMLNode] = []
        var text: [UInt8] = []
        while true {
            guard index < bytes.count else { throw error("unexpected end inside <\(name)>") }
            if peek("</") {
                index += 2
                let closing = try parseName()
                guard closing == name else { throw error("mismatched </\(closing)>, expected </\(name)>") }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { throw error("expected '>'") }
                index += 1
                return XMLNode(name: name, attributes: attributes, children: children,
                               text: children.isEmpty ? String(decoding: text, as: UTF8.self) : Self.trimmed(text))
            } else if peek("<!--") {
                try skip(until: "-->")
            } else if peek("<![CDATA[") {
                index += 9
                let start = index
                try skip(until: "]]>")
                text.append(contentsOf: bytes[start..<index - 3])
            } else if peek("<?") {
                try skip(until: "?>")
            } else if bytes[index] == UInt8(ascii: "<") {
                children.append(try parseElement(depth: depth + 1))
            } else {
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
                text.append(contentsOf: Array(Self.decodeEntities(bytes[start..<index]).utf8))
            }
        }
    }

    private static func trimmed(_ text: [UInt8]) -> String {
        String(decoding: text, as: UTF8.self).filter { !$0.isWhitespace }.isEmpty ? "" : String(decoding: text, as: UTF8.self)
    }

    /// Decodes `&amp; &lt; &gt; &quot; &apos; &#N; &#xN;`.
    static func decodeEntities(_ slice: ArraySlice<UInt8>) -> String {
        guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        var index = slice.startIndex
        while index < slice.endIndex {
            let byte = slice[index]
            if byte == UInt8(ascii: "&"), let semicolon = slice[index...].firstIndex(of: UInt8(ascii: ";")), semicolon - index <= 10 {
                let entity = String(decoding: slice[(index + 1)..<semicolon], as: UTF8.self)
                var replacement: String?
                switch entity {
                case "amp": replacement = "&"
                case "lt": replacement = "<"
                case "gt": replacement = ">"
                case "quot": replacement = "\""
                case "apos": replacement = "'"
                default:
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                        replacement = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                    } else if entity.hasPrefix("#") {
                        replacement = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                    }
                }
                if let replacement {
                    out.append(contentsOf: replacement.utf8)
                    index = semicolon + 1
                    continue
                }
            }
            out.append(byte)
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Escapes text for XML content or attribute values.
package enum XMLEscape {
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
