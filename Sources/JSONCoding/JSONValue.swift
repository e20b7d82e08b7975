/// A JSON value (RFC 8259), the project's one JSON model: CQL's `SELECT JSON` values, AWS request
/// and response bodies, staged DynamoDB JSON lines. Numbers keep their source text, so `varint`,
/// `decimal` and DynamoDB numbers lose no precision; object members keep their order and
/// duplicates (callers decide what a repeated name means).
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number exactly as written: `-12`, `1.50`, `2E+3`.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// The first member named `name` of an object, or nil.
    public subscript(name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.name == name }?.value
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: [JSONMember]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// An integral number (or one written with a fraction or exponent, truncated).
    public var int64Value: Int64? {
        if case .number(let text) = self { return Int64(text) ?? Double(text).map { Int64($0) } }
        return nil
    }

    public var doubleValue: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
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
    /// Compact JSON text of the value (numbers as written).
    public var description: String {
        var out: [UInt8] = []
        JSONWriter.write(self, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
