/// Parses CQL type strings as written in DDL and in `system_schema.columns.type`:
/// `int`, `varchar`, `frozen<map<text, frozen<list<int>>>>`, `tuple<int, text>`, `addr`, `"MyType"`,
/// `ks.addr`, `'org.example.CustomType'`. Keywords are case-insensitive.
public enum CQLTypeParser {
    /// Parses one complete type. UDT names are looked up in `userTypes` (keyed by type name, or by
    /// `keyspace.name`); errors say where: `line 1, column 11: expected '>'`.
    public static func parse(cql: String, userTypes: [String: UserType]) throws(CQLSchemaError) -> CQLType {
        var stream = CQLTokenStream(try CQLLexer.tokenize(cql))
        let type = try parseType(&stream) { keyspace, name in
            if let keyspace, let u = userTypes[keyspace + "." + name] { return u }
            return userTypes[name]
        }
        guard stream.atEnd else { throw stream.error("unexpected text after the type\(stream.found)") }
        return type
    }

    static let nativeTypes: [String: CQLType] = [
        "ascii": .ascii, "text": .text, "varchar": .text, "tinyint": .tinyint, "smallint": .smallint, "int": .int,
        "bigint": .bigint, "varint": .varint, "decimal": .decimal, "float": .float, "double": .double,
        "boolean": .boolean, "blob": .blob, "uuid": .uuid, "timeuuid": .timeuuid, "inet": .inet,
        "timestamp": .timestamp, "date": .date, "time": .time, "duration": .duration, "counter": .counter,
    ]

    /// Parses a type at the stream's position; `resolve(keyspace, name)` finds UDTs.
    static func parseType(
        _ s: inout CQLTokenStream, nested: Bool = false, resolve: (String?, String) -> UserType?
    ) throws(CQLSchemaError) -> CQLType {
        let token = s.current
        if token.kind == .string {
            s.advance()
            return (try? MarshalTypeParser.parse(token.text)) ?? .custom(token.text)
        }
        if token.kind == .identifier {
            if let native = nativeTypes[token.text] { s.advance(); return native }
            switch token.text {
            case "frozen":
                s.advance()
                try s.expectSymbol("<")
                let inner = try parseType(&s, nested: nested, resolve: resolve)
                try s.expectSymbol(">")
                return inner.frozen
            case "list", "set":
                guard s.peek(1).isSymbol("<") else { break }
                s.advance(); s.advance()
                let element = try parseType(&s, nested: true, resolve: resolve).frozen
                try s.expectSymbol(">")
                return token.text == "list" ? .list(element, frozen: nested) : .set(element, frozen: nested)
            case "map":
                guard s.peek(1).isSymbol("<") else { break }
                s.advance(); s.advance()
                let key = try parseType(&s, nested: true, resolve: resolve).frozen
                try s.expectSymbol(",")
                let value = try parseType(&s, nested: true, resolve: resolve).frozen
                try s.expectSymbol(">")
                return .map(key, value, frozen: nested)
            case "tuple":
                guard s.peek(1).isSymbol("<") else { break }
                s.advance(); s.advance()
                var types: [CQLType] = []
                repeat { types.append(try parseType(&s, nested: true, resolve: resolve).frozen) } while s.acceptSymbol(",")
                try s.expectSymbol(">")
                return .tuple(types)
            default:
                break
            }
        }
        guard token.kind == .identifier || token.kind == .quotedIdentifier else {
            throw s.error("expected a type\(s.found)")
        }
        let (keyspace, name) = try s.expectQualifiedName("a type")
        guard let userType = resolve(keyspace, name) else {
            throw s.error("unknown type '\(keyspace.map { $0 + "." } ?? "")\(name)'", at: token)
        }
        return .udt(userType, frozen: nested)
    }
}
