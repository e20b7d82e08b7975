/// One token of CQL text, with its 1-based line and column.
struct CQLToken: Sendable {
    enum Kind: Sendable, Equatable {
        /// An unquoted identifier or keyword; `text` is lower-cased, `raw` as written.
        case identifier
        /// A `"double-quoted"` identifier; `text` is the name with case kept and `""` undoubled.
        case quotedIdentifier
        /// A `'string'` or `$$string$$` literal; `text` is its content.
        case string
        /// A number, UUID, hex blob or other literal word starting with a digit.
        case number
        /// Punctuation: `( ) < > , ; . = { } [ ] : + - * ?` and so on; `text` is the character.
        case symbol
        case end
    }

    var kind: Kind
    var text: String
    var line: Int
    var column: Int

    /// True for an unquoted identifier equal to `keyword` (lower case).
    func isKeyword(_ keyword: String) -> Bool { kind == .identifier && text == keyword }

    func isSymbol(_ s: String) -> Bool { kind == .symbol && text == s }

    /// How the token is written back in CQL.
    var cqlText: String {
        switch kind {
        case .string: return "'" + text.replacingAll("'", with: "''") + "'"
        case .quotedIdentifier: return CQLIdentifier.quoted(text)
        case .end: return ""
        default: return text
        }
    }
}

/// Splits CQL text into tokens, skipping whitespace and `--`, `//` and `/* */` comments.
struct CQLLexer {
    private let bytes: [UInt8]
    private var pos = 0
    private var line = 1
    private var lineStart = 0

    static func tokenize(_ text: String) throws(CQLSchemaError) -> [CQLToken] {
        var lexer = CQLLexer(bytes: Array(text.utf8))
        var tokens: [CQLToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func error(_ message: String, line: Int, column: Int) -> CQLSchemaError {
        CQLSchemaError("line \(line), column \(column): \(message)")
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        pos + offset < bytes.count ? bytes[pos + offset] : nil
    }

    private mutating func advance() {
        if bytes[pos] == UInt8(ascii: "\n") {
            line += 1
            lineStart = pos + 1
        }
        pos += 1
    }

    private mutating func skipTrivia() throws(CQLSchemaError) {
        while let c = peek() {
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                advance()
            } else if (c == UInt8(ascii: "-") && peek(1) == UInt8(ascii: "-")) || (c == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/")) {
                while let d = peek(), d != 0x0A { advance() }
            } else if c == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                let (l, col) = (line, pos - lineStart + 1)
                advance(); advance()
                while true {
                    guard let d = peek() else { throw error("unterminated comment", line: l, column: col) }
                    if d == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") { advance(); advance(); break }
                    advance()
                }
            } else {
                return
            }
        }
    }

    private static func isWordByte(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_") || c >= 0x80
    }

    private mutating func next() throws(CQLSchemaError) -> CQLToken {
        try skipTrivia()
        let (l, col) = (line, pos - lineStart + 1)
        guard let c = peek() else { return CQLToken(kind: .end, text: "", line: l, column: col) }
        func token(_ kind: CQLToken.Kind, _ text: String) -> CQLToken { CQLToken(kind: kind, text: text, line: l, column: col) }
        let start = pos
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
            let quote = c
            advance()
            var content: [UInt8] = []
            while true {
                guard let d = peek() else {
                    throw error(quote == UInt8(ascii: "'") ? "unterminated string" : "unterminated quoted identifier", line: l, column: col)
                }
                advance()
                if d == quote {
                    if peek() == quote { advance(); content.append(quote); continue }
                    break
                }
                content.append(d)
            }
            return token(quote == UInt8(ascii: "'") ? .string : .quotedIdentifier, String(decoding: content, as: UTF8.self))
        }
        if c == UInt8(ascii: "$") && peek(1) == UInt8(ascii: "$") {
            advance(); advance()
            let contentStart = pos
            while true {
                guard peek() != nil else { throw error("unterminated $$ string", line: l, column: col) }
                if peek() == UInt8(ascii: "$") && peek(1) == UInt8(ascii: "$") { break }
                advance()
            }
            let content = String(decoding: bytes[contentStart..<pos], as: UTF8.self)
            advance(); advance()
            return token(.string, content)
        }
        if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
            // Numbers, UUIDs, 0x blobs, 1.5e10, durations like 1h30m: one word.
            while let d = peek(), Self.isWordByte(d) || d == UInt8(ascii: ".")
                || ((d == UInt8(ascii: "-") || d == UInt8(ascii: "+")) && (bytes[pos - 1] | 0x20 == UInt8(ascii: "e") || Self.isHexUUIDContext(bytes, start, pos))) {
                advance()
            }
            return token(.number, String(decoding: bytes[start..<pos], as: UTF8.self))
        }
        if Self.isWordByte(c) {
            while let d = peek(), Self.isWordByte(d) { advance() }
            return token(.identifier, String(decoding: bytes[start..<pos], as: UTF8.self).lowercased())
        }
        advance()
        return token(.symbol, String(decoding: [c], as: UTF8.self))
    }

    /// Inside a UUID literal (`8-4-4-4-12` hex), dashes belong to the word.
    private static func isHexUUIDContext(_ bytes: [UInt8], _ start: Int, _ pos: Int) -> Bool {
        let length = pos - start
        return [8, 13, 18, 23].contains(length) && pos + 1 < bytes.count && isWordByte(bytes[pos + 1])
    }
}

/// A cursor over tokens with `expect`/`accept` helpers and located errors.
struct CQLTokenStream {
    var tokens: [CQLToken]
    var index = 0

    init(_ tokens: [CQLToken]) { self.tokens = tokens }

    var current: CQLToken { tokens[index] }
    var atEnd: Bool { current.kind == .end }

    func peek(_ offset: Int) -> CQLToken { tokens[min(index + offset, tokens.count - 1)] }

    mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    func error(_ message: String, at token: CQLToken? = nil) -> CQLSchemaError {
        let t = token ?? current
        return CQLSchemaError("line \(t.line), column \(t.column): \(message)")
    }

    mutating func acceptKeyword(_ keyword: String) -> Bool {
        guard current.isKeyword(keyword) else { return false }
        advance()
        return true
    }

    mutating func acceptSymbol(_ s: String) -> Bool {
        guard current.isSymbol(s) else { return false }
        advance()
        return true
    }

    mutating func expectKeyword(_ keyword: String) throws(CQLSchemaError) {
        guard acceptKeyword(keyword) else { throw error("expected '\(keyword.uppercased())'\(found)") }
    }

    mutating func expectSymbol(_ s: String) throws(CQLSchemaError) {
        guard acceptSymbol(s) else { throw error("expected '\(s)'\(found)") }
    }

    /// `, found 'x'` for error messages.
    var found: String { atEnd ? ", found end of input" : ", found '\(current.cqlText)'" }

    /// An identifier: unquoted (lower-cased) or quoted (case kept).
    mutating func expectIdentifier(_ what: String) throws(CQLSchemaError) -> String {
        guard current.kind == .identifier || current.kind == .quotedIdentifier else { throw error("expected \(what)\(found)") }
        defer { advance() }
        return current.text
    }

    /// `name` or `keyspace.name`.
    mutating func expectQualifiedName(_ what: String) throws(CQLSchemaError) -> (keyspace: String?, name: String) {
        let first = try expectIdentifier(what)
        if acceptSymbol(".") { return (first, try expectIdentifier(what)) }
        return (nil, first)
    }

    /// Skips to just past the next `;` (or to the end).
    mutating func skipStatement() {
        while !atEnd && !current.isSymbol(";") { advance() }
        _ = acceptSymbol(";")
    }
}
