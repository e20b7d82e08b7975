import JSONCoding
/// `SELECT JSON` of frozen collections, tuples, UDTs and composite keys.
extension CQLType {
    @inline(__always)
    private static func separator(_ spaced: Bool, to out: inout [UInt8]) {
        out.append(UInt8(ascii: ","))
        if spaced { out.append(UInt8(ascii: " ")) }
    }

    @inline(__always)
    private static func colon(_ spaced: Bool, to out: inout [UInt8]) {
        out.append(UInt8(ascii: ":"))
        if spaced { out.append(UInt8(ascii: " ")) }
    }

    private static func appendNull(to out: inout [UInt8]) {
        appendASCII("null", to: &out)
    }

    private static func appendElement(_ element: UnsafeRawBufferPointer?, _ type: CQLType, spaced: Bool, to out: inout [UInt8]) throws(CQLValueError) {
        if let element { try type.appendJSON(element, spaced: spaced, to: &out) } else { appendNull(to: &out) }
    }

    /// Frozen list or set: int32 count, then `int-bytes` elements → JSON array.
    static func appendList(_ value: UnsafeRawBufferPointer, element: CQLType, spaced: Bool, to out: inout [UInt8]) throws(CQLValueError) {
        guard !value.isEmpty else { appendNull(to: &out); return }
        var cursor = ElementCursor(value)
        let count = try cursor.readCount()
        out.append(UInt8(ascii: "["))
        for i in 0..<count {
            if i > 0 { separator(spaced, to: &out) }
            try appendElement(try cursor.readElement(), element, spaced: spaced, to: &out)
        }
        try cursor.expectEnd("list")
        out.append(UInt8(ascii: "]"))
    }

    /// Frozen map → JSON object. Keys are strings, as `MapType.toJSONString` makes them: a key whose
    /// JSON is already a string (text, uuid, timestamp…) is used as is; any other key's JSON text
    /// (in Cassandra's spacing) is escaped into a string: `{"1": …}`, `{"[1, 2]": …}`.
    static func appendMap(_ value: UnsafeRawBufferPointer, key: CQLType, value valueType: CQLType, spaced: Bool, to out: inout [UInt8]) throws(CQLValueError) {
        guard !value.isEmpty else { appendNull(to: &out); return }
        var cursor = ElementCursor(value)
        let count = try cursor.readCount()
        out.append(UInt8(ascii: "{"))
        for i in 0..<count {
            if i > 0 { separator(spaced, to: &out) }
            guard let k = try cursor.readElement() else { throw CQLValueError("null map key") }
            try appendKey(k, key, to: &out)
            colon(spaced, to: &out)
            try appendElement(try cursor.readElement(), valueType, spaced: spaced, to: &out)
        }
        try cursor.expectEnd("map")
        out.append(UInt8(ascii: "}"))
    }

    /// Appends one serialized map key of this (key) type as a JSON object key, as
    /// `MapType.toJSONString` does: for a non-frozen map's cell paths, then `:` and the value.
    public func appendJSONMapKey(_ key: UnsafeRawBufferPointer, to out: inout [UInt8]) throws(CQLValueError) {
        try Self.appendKey(key, self, to: &out)
    }

    private static func appendKey(_ key: UnsafeRawBufferPointer, _ type: CQLType, to out: inout [UInt8]) throws(CQLValueError) {
        let start = out.count
        try type.appendJSON(key, spaced: true, to: &out)
        if out[start] == UInt8(ascii: "\"") { return }
        if !out[start...].contains(where: JSONWriter.needsEscaping) {
            out.insert(UInt8(ascii: "\""), at: start)
            out.append(UInt8(ascii: "\""))
            return
        }
        let text = Array(out[start...])
        out.removeSubrange(start...)
        text.withUnsafeBytes { JSONWriter.writeString(utf8: $0, into: &out) }
    }

    /// Tuple → JSON array; a value that ends early leaves the remaining fields null.
    static func appendTuple(_ value: UnsafeRawBufferPointer, types: [CQLType], spaced: Bool, to out: inout [UInt8]) throws(CQLValueError) {
        var cursor = ElementCursor(value)
        out.append(UInt8(ascii: "["))
        for (i, type) in types.enumerated() {
            if i > 0 { separator(spaced, to: &out) }
            let field = cursor.isAtEnd ? nil : try cursor.readElement()
            try appendElement(field, type, spaced: spaced, to: &out)
        }
        try cursor.expectEnd("tuple")
        out.append(UInt8(ascii: "]"))
    }

    /// Frozen UDT → JSON object by field name (names with upper case quoted, as Cassandra does).
    static func appendUDT(_ value: UnsafeRawBufferPointer, userType: UserType, spaced: Bool, to out: inout [UInt8]) throws(CQLValueError) {
        var cursor = ElementCursor(value)
        out.append(UInt8(ascii: "{"))
        for (i, type) in userType.fieldTypes.enumerated() {
            if i > 0 { separator(spaced, to: &out) }
            appendJSONColumnName(i < userType.fieldNames.count ? userType.fieldNames[i] : "field\(i)", to: &out)
            colon(spaced, to: &out)
            let field = cursor.isAtEnd ? nil : try cursor.readElement()
            try appendElement(field, type, spaced: spaced, to: &out)
        }
        try cursor.expectEnd("user type")
        out.append(UInt8(ascii: "}"))
    }

    /// `CompositeType` (uint16 length, bytes, end-of-component byte per component) → JSON array.
    static func appendComposite(_ value: UnsafeRawBufferPointer, types: [CQLType], spaced: Bool, to out: inout [UInt8]) throws(CQLValueError) {
        out.append(UInt8(ascii: "["))
        var offset = 0
        var i = 0
        while offset < value.count {
            guard value.count - offset >= 2 else { throw CQLValueError("truncated composite component length") }
            let n = Int(value.beUInt16(at: offset))
            guard value.count - offset - 2 >= n + 1 else { throw CQLValueError("truncated composite component") }
            if i > 0 { separator(spaced, to: &out) }
            let type = i < types.count ? types[i] : .blob
            try type.appendJSON(value.slice(offset + 2, n), spaced: spaced, to: &out)
            offset += 3 + n
            i += 1
        }
        out.append(UInt8(ascii: "]"))
    }
}
