import HexCoding

/// Parses Cassandra marshal type strings (`AbstractType.toString()`, `TypeParser`), as stored in
/// 3.0+ SerializationHeaders and 2.x schema tables, e.g.
/// `org.apache.cassandra.db.marshal.MapType(org.apache.cassandra.db.marshal.UTF8Type,...)`.
public struct MarshalTypeParser {
    private let text: [UInt8]
    private var pos = 0

    /// Parses one complete marshal type string.
    public static func parse(_ string: String) throws(CQLSchemaError) -> CQLType {
        var parser = MarshalTypeParser(text: Array(string.utf8))
        let type = try parser.parseType()
        parser.skipSpaces()
        guard parser.pos == parser.text.count else { throw parser.error("unexpected text after the type") }
        return type
    }

    private init(text: [UInt8]) { self.text = text }

    private func error(_ message: String) -> CQLSchemaError {
        CQLSchemaError("marshal type '\(String(decoding: text, as: UTF8.self))': \(message) at character \(pos)")
    }

    private mutating func skipSpaces() {
        while pos < text.count, text[pos] == UInt8(ascii: " ") { pos += 1 }
    }

    private mutating func readName() -> String {
        skipSpaces()
        let start = pos
        while pos < text.count, !"(),:".utf8.contains(text[pos]) { pos += 1 }
        var end = pos
        while end > start, text[end - 1] == UInt8(ascii: " ") { end -= 1 }
        return String(decoding: text[start..<end], as: UTF8.self)
    }

    private mutating func consume(_ char: Character) -> Bool {
        skipSpaces()
        guard pos < text.count, text[pos] == char.asciiValue! else { return false }
        pos += 1
        return true
    }

    private mutating func expect(_ char: Character) throws(CQLSchemaError) {
        guard consume(char) else { throw error("expected '\(char)'") }
    }

    /// Type arguments in parentheses, or an empty list when there are none.
    private mutating func parseArguments() throws(CQLSchemaError) -> [CQLType] {
        guard consume("(") else { return [] }
        var args: [CQLType] = []
        if consume(")") { return args }
        repeat { args.append(try parseType()) } while consume(",")
        try expect(")")
        return args
    }

    private mutating func parseType() throws(CQLSchemaError) -> CQLType {
        let full = readName()
        guard !full.isEmpty else { throw error("expected a type name") }
        let name = full.hasPrefix("org.apache.cassandra.db.marshal.")
            ? String(full.dropFirst("org.apache.cassandra.db.marshal.".count)) : full
        if let simple = Self.simpleTypes[name] { return simple }
        switch name {
        case "ReversedType":
            return .reversed(try single(parseArguments(), name))
        case "FrozenType":
            return try single(parseArguments(), name).frozen
        case "ListType":
            return .list(try single(parseArguments(), name), frozen: false)
        case "SetType":
            return .set(try single(parseArguments(), name), frozen: false)
        case "MapType":
            let args = try parseArguments()
            guard args.count == 2 else { throw error("MapType takes 2 arguments") }
            return .map(args[0], args[1], frozen: false)
        case "TupleType":
            return .tuple(try parseArguments())
        case "CompositeType":
            return .composite(try parseArguments())
        case "UserType":
            return try parseUserType()
        case "ColumnToCollectionType":
            // 2.x comparator tail: hex column name → collection type. Keep the collections.
            try expect("(")
            var types: [CQLType] = []
            repeat {
                _ = readName()
                try expect(":")
                types.append(try parseType())
            } while consume(",")
            try expect(")")
            return .custom("ColumnToCollectionType(\(types.count))")
        default:
            _ = try parseArguments()
            return .custom(full)
        }
    }

    private func single(_ args: [CQLType], _ name: String) throws(CQLSchemaError) -> CQLType {
        guard args.count == 1 else { throw error("\(name) takes 1 argument") }
        return args[0]
    }

    /// `UserType(keyspace,hex(name),hex(field1):type1,...)`; non-frozen unless wrapped in FrozenType.
    private mutating func parseUserType() throws(CQLSchemaError) -> CQLType {
        try expect("(")
        let keyspace = readName()
        try expect(",")
        guard let name = Self.unhex(readName()) else { throw error("bad hex type name") }
        var fieldNames: [String] = []
        var fieldTypes: [CQLType] = []
        while consume(",") {
            guard let field = Self.unhex(readName()) else { throw error("bad hex field name") }
            try expect(":")
            fieldNames.append(field)
            fieldTypes.append(try parseType())
        }
        try expect(")")
        return .udt(UserType(keyspace: keyspace, name: name, fieldNames: fieldNames, fieldTypes: fieldTypes), frozen: false)
    }

    static func unhex(_ hex: String) -> String? {
        Hex.decode(Array(hex.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    private static let simpleTypes: [String: CQLType] = [
        "AsciiType": .ascii, "UTF8Type": .text, "ByteType": .tinyint, "ShortType": .smallint,
        "Int32Type": .int, "LongType": .bigint, "IntegerType": .varint, "DecimalType": .decimal,
        "FloatType": .float, "DoubleType": .double, "BooleanType": .boolean, "BytesType": .blob,
        "UUIDType": .uuid, "TimeUUIDType": .timeuuid, "LexicalUUIDType": .uuid, "InetAddressType": .inet,
        "TimestampType": .timestamp, "DateType": .timestamp, "SimpleDateType": .date, "TimeType": .time,
        "DurationType": .duration, "CounterColumnType": .counter, "EmptyType": .empty,
    ]
}
