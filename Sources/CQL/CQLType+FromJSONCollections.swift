import JSONCoding
/// JSON → frozen collections, tuples, UDTs and composites, as `ListType`, `SetType`, `MapType`,
/// `TupleType` and `UserType.fromJSONObject` read them. Each also takes a JSON string holding
/// such JSON, which is how a map key of one of these types arrives (`{"[1, 2]": …}`).
extension CQLType {
    /// The value itself, or the JSON inside a string.
    private static func decoded(_ value: JSONValue) throws(CQLValueError) -> JSONValue {
        guard case .string(let text) = value else { return value }
        return try JSONValue.parseForCQL(text)
    }

    /// Runs `body`, prefixing any error with where it happened.
    private static func within<T>(_ place: @autoclosure () -> String, _ body: () throws(CQLValueError) -> T) throws(CQLValueError) -> T {
        do {
            return try body()
        } catch {
            throw CQLValueError("\(place()): \(error.message)")
        }
    }

    /// `int-bytes`: int32 length and the bytes, or length −1 for null.
    private static func appendElement(_ bytes: [UInt8]?, to out: inout [UInt8]) {
        guard let bytes else {
            out += bigEndian(UInt64(UInt32.max), width: 4)
            return
        }
        out += bigEndian(UInt64(bytes.count), width: 4)
        out += bytes
    }

    private static func collection(count: Int, _ elements: [[UInt8]]) -> [UInt8] {
        var out = bigEndian(UInt64(count), width: 4)
        for e in elements { appendElement(e, to: &out) }
        return out
    }

    private static func elements(_ value: JSONValue, as type: CQLType) throws(CQLValueError) -> [JSONValue] {
        let inner = try within("in the string given for \(type.cqlName)") { () throws(CQLValueError) in try decoded(value) }
        guard case .array(let items) = inner else { throw type.mismatch(value) }
        return items
    }

    /// A JSON array, in order; null elements are refused.
    static func serializedList(_ value: JSONValue, element: CQLType, as type: CQLType) throws(CQLValueError) -> [UInt8] {
        var out: [[UInt8]] = []
        for (i, item) in try elements(value, as: type).enumerated() {
            out.append(try within("list element \(i + 1)") { () throws(CQLValueError) in try element.serialized(fromJSON: item) })
        }
        return collection(count: out.count, out)
    }

    /// A JSON array, sorted by the element type's order; of equal elements the first is kept.
    static func serializedSet(_ value: JSONValue, element: CQLType, as type: CQLType) throws(CQLValueError) -> [UInt8] {
        var sorted: [[UInt8]] = []
        for (i, item) in try elements(value, as: type).enumerated() {
            let bytes = try within("set element \(i + 1)") { () throws(CQLValueError) in try element.serialized(fromJSON: item) }
            let (index, found) = position(of: bytes, in: sorted, type: element)
            if !found { sorted.insert(bytes, at: index) }
        }
        return collection(count: sorted.count, sorted)
    }

    /// Where `bytes` goes in `sorted` (ascending by `type`), and whether an equal value is there.
    private static func position(of bytes: [UInt8], in sorted: [[UInt8]], type: CQLType) -> (Int, Bool) {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            let c = type.compareArrays(sorted[mid], bytes)
            if c == 0 { return (mid, true) }
            if c < 0 { low = mid + 1 } else { high = mid }
        }
        return (low, false)
    }

    /// A JSON object whose names are the keys' JSON (`"1"`, `"[1, 2]"`) or text; entries sorted
    /// by key. Of equal keys the first stays with the last value (a `TreeMap` fed in order).
    static func serializedMap(_ value: JSONValue, key: CQLType, value valueType: CQLType, as type: CQLType) throws(CQLValueError) -> [UInt8] {
        let inner = try within("in the string given for \(type.cqlName)") { () throws(CQLValueError) in try decoded(value) }
        guard case .object(let members) = inner else { throw type.mismatch(value) }
        var keys: [[UInt8]] = [], values: [[UInt8]] = []
        for member in members {
            let k = try within("map key \(JSONValue.string(member.name))") { () throws(CQLValueError) in
                try key.serialized(fromJSON: .string(member.name))
            }
            let v = try within("map value for key \(JSONValue.string(member.name))") { () throws(CQLValueError) in
                try valueType.serialized(fromJSON: member.value)
            }
            let (index, found) = position(of: k, in: keys, type: key)
            if found {
                values[index] = v
            } else {
                keys.insert(k, at: index)
                values.insert(v, at: index)
            }
        }
        var out = bigEndian(UInt64(keys.count), width: 4)
        for (k, v) in zip(keys, values) {
            appendElement(k, to: &out)
            appendElement(v, to: &out)
        }
        return out
    }

    /// A JSON array of exactly one item per field; null items are null fields.
    static func serializedTuple(_ value: JSONValue, types: [CQLType], as type: CQLType) throws(CQLValueError) -> [UInt8] {
        let items = try elements(value, as: type)
        guard items.count == types.count else {
            throw type.mismatch(value, "\(items.count) item\(items.count == 1 ? "" : "s") for \(types.count) fields")
        }
        var out: [UInt8] = []
        for (i, (item, fieldType)) in zip(items, types).enumerated() {
            let bytes = try within("tuple item \(i + 1)") { () throws(CQLValueError) in try fieldType.serializedOrNull(item) }
            appendElement(bytes, to: &out)
        }
        return out
    }

    /// A JSON object by field name (a name in double quotes matches exactly, any other name in
    /// lower case, as for columns); missing fields are null, unknown ones refused.
    static func serializedUDT(_ value: JSONValue, userType: UserType, as type: CQLType) throws(CQLValueError) -> [UInt8] {
        let inner = try within("in the string given for \(type.cqlName)") { () throws(CQLValueError) in try decoded(value) }
        guard case .object(let members) = inner else { throw type.mismatch(value) }
        var given: [String: JSONValue] = [:]
        for member in members {
            let name = CQLIdentifier.fromJSONKey(member.name)
            guard userType.fieldNames.contains(name) else {
                let fields = userType.fieldNames.map(CQLIdentifier.quoted).joined(separator: ", ")
                throw CQLValueError("unknown field \(JSONValue.string(member.name)) in a value of \(type.cqlName) (its fields: \(fields))")
            }
            given[name] = member.value
        }
        var out: [UInt8] = []
        for (i, fieldType) in userType.fieldTypes.enumerated() {
            let name = i < userType.fieldNames.count ? userType.fieldNames[i] : ""
            let bytes = try within("field \(CQLIdentifier.quoted(name))") { () throws(CQLValueError) in
                try given[name].flatMap { v throws(CQLValueError) in try fieldType.serializedOrNull(v) }
            }
            appendElement(bytes, to: &out)
        }
        return out
    }

    /// A JSON array of the components: per component uint16 length, the bytes and a 0 byte.
    static func serializedComposite(_ value: JSONValue, types: [CQLType], as type: CQLType) throws(CQLValueError) -> [UInt8] {
        let items = try elements(value, as: type)
        guard items.count == types.count else {
            throw type.mismatch(value, "\(items.count) item\(items.count == 1 ? "" : "s") for \(types.count) components")
        }
        var components: [[UInt8]] = []
        for (i, (item, componentType)) in zip(items, types).enumerated() {
            components.append(try within("component \(i + 1)") { () throws(CQLValueError) in try componentType.serialized(fromJSON: item) })
        }
        return try composite(components)
    }

    /// `CompositeType` bytes of the components (each at most 65535 bytes).
    static func composite(_ components: [[UInt8]]) throws(CQLValueError) -> [UInt8] {
        var out: [UInt8] = []
        for (i, c) in components.enumerated() {
            guard c.count <= 0xFFFF else { throw CQLValueError("component \(i + 1) is \(c.count) bytes; at most 65535 fit") }
            out += bigEndian(UInt64(c.count), width: 2)
            out += c
            out.append(0)
        }
        return out
    }

    /// Nil for JSON null (a null tuple item or UDT field), else `serialized(fromJSON:)`.
    private func serializedOrNull(_ value: JSONValue) throws(CQLValueError) -> [UInt8]? {
        if case .null = value { return nil }
        return try serialized(fromJSON: value)
    }

    /// `compare` over arrays.
    private func compareArrays(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in compare(pa, pb) } }
    }
}

extension CQLIdentifier {
    /// The column or field name a JSON key names, as Cassandra's `handleCaseSensitivity`: a key in
    /// double quotes is the exact name inside them; any other key is lower-cased.
    static func fromJSONKey(_ key: String) -> String {
        if key.count >= 2 && key.hasPrefix("\"") && key.hasSuffix("\"") { return String(key.dropFirst().dropLast()) }
        return key.lowercased()
    }
}
