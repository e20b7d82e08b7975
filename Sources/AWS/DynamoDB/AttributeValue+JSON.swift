import JSONCoding
import DynamoModel
import ExtrasBase64

/// Thrown when DynamoDB JSON does not describe a valid attribute value.
public struct AttributeValueDecodingError: Error, Sendable, CustomStringConvertible {
    /// Where in the document the problem is, e.g. `pk.M.city`.
    public var path: String
    /// What was wrong.
    public var reason: String
    /// A one-line summary.
    public var description: String { "invalid DynamoDB JSON at \(path.isEmpty ? "<root>" : path): \(reason)" }
}

extension AttributeValue {
    /// Appends this value's DynamoDB JSON (e.g. `{"S":"x"}`) to `out`.
    ///
    /// Writes bytes directly, without intermediate objects; set `sortedKeys` for a deterministic map order.
    public func writeJSON(into out: inout [UInt8], sortedKeys: Bool = false) {
        switch self {
        case .s(var text):
            text.withUTF8 { Self.writeS(utf8: UnsafeRawBufferPointer($0), into: &out) }
            return
        case .n(var text):
            text.withUTF8 { Self.writeN(text: UnsafeRawBufferPointer($0), into: &out) }
            return
        case .b(let bytes):
            bytes.withUnsafeBytes { Self.writeB($0, into: &out) }
            return
        case .bool(let flag):
            Self.writeBool(flag, into: &out)
            return
        case .null:
            JSONWriter.writeRaw("{\"NULL\":true", into: &out)
        case .m(let map):
            JSONWriter.writeRaw("{\"M\":", into: &out)
            Self.writeItem(map, into: &out, sortedKeys: sortedKeys)
        case .l(let list):
            JSONWriter.writeRaw("{\"L\":[", into: &out)
            var first = true
            for element in list {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                element.writeJSON(into: &out, sortedKeys: sortedKeys)
            }
            out.append(UInt8(ascii: "]"))
        case .ss(let members), .ns(let members):
            JSONWriter.writeRaw(self.typeDescriptor == "SS" ? "{\"SS\":[" : "{\"NS\":[", into: &out)
            var first = true
            for member in members {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONWriter.writeString(member, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .bs(let members):
            JSONWriter.writeRaw("{\"BS\":[", into: &out)
            var first = true
            for member in members {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                out.append(UInt8(ascii: "\""))
                member.withUnsafeBytes { Self.appendBase64($0, into: &out) }
                out.append(UInt8(ascii: "\""))
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Appends `{"S":…}` of valid UTF-8 text.
    package static func writeS(utf8 text: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        JSONWriter.writeRaw("{\"S\":", into: &out)
        JSONWriter.writeString(utf8: text, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// Appends `{"N":…}` of a number's text.
    package static func writeN(text: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        JSONWriter.writeRaw("{\"N\":", into: &out)
        JSONWriter.writeString(utf8: text, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// Appends `{"B":…}` of raw bytes (base64).
    package static func writeB(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        JSONWriter.writeRaw("{\"B\":\"", into: &out)
        appendBase64(bytes, into: &out)
        JSONWriter.writeRaw("\"}", into: &out)
    }

    /// Appends the base64 of `bytes`, written in place.
    private static func appendBase64(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        let span = bytes.assumingMemoryBound(to: UInt8.self).span
        out.append(addingCapacity: Base64.encodedLength(bytesCount: bytes.count)) { Base64.encode(bytes: span, into: &$0) }
    }

    /// Appends `{"BOOL":…}`.
    package static func writeBool(_ flag: Bool, into out: inout [UInt8]) {
        JSONWriter.writeRaw(flag ? "{\"BOOL\":true}" : "{\"BOOL\":false}", into: &out)
    }

    /// Appends an item (a map of attribute names to values) as a DynamoDB JSON object to `out`.
    public static func writeItem(_ item: DynamoItem, into out: inout [UInt8], sortedKeys: Bool = false) {
        out.append(UInt8(ascii: "{"))
        var first = true
        func member(_ name: String, _ value: AttributeValue) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSONWriter.writeString(name, into: &out)
            out.append(UInt8(ascii: ":"))
            value.writeJSON(into: &out, sortedKeys: sortedKeys)
        }
        if sortedKeys {
            for name in item.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                member(name, item[name]!)
            }
        } else {
            for (name, value) in item { member(name, value) }
        }
        out.append(UInt8(ascii: "}"))
    }

    /// This value's DynamoDB JSON as a string.
    public func jsonString(sortedKeys: Bool = true) -> String {
        var out: [UInt8] = []
        writeJSON(into: &out, sortedKeys: sortedKeys)
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes a value from DynamoDB JSON bytes such as `{"N":"1"}`.
    public init<Bytes: Collection>(jsonBytes: Bytes) throws where Bytes.Element == UInt8 {
        let json: JSONValue
        do { json = try JSONValue.parse(jsonBytes) } catch {
            throw AttributeValueDecodingError(path: "", reason: error.description)
        }
        self = try AttributeValue(json: json, path: "")
    }

    /// Decodes an item from a DynamoDB JSON object such as `{"pk":{"S":"a"}}`.
    public static func decodeItem<Bytes: Collection>(jsonBytes: Bytes) throws -> DynamoItem where Bytes.Element == UInt8 {
        let json: JSONValue
        do { json = try JSONValue.parse(jsonBytes) } catch {
            throw AttributeValueDecodingError(path: "", reason: error.description)
        }
        return try item(json: json, path: "")
    }

    package static func item(json: JSONValue, path: String = "") throws(AttributeValueDecodingError) -> DynamoItem {
        guard case .object(let members) = json else {
            throw AttributeValueDecodingError(path: path, reason: "an item must be a JSON object")
        }
        var item = DynamoItem(minimumCapacity: members.count)
        for member in members {
            let (name, value) = (member.name, member.value)
            item[name] = try AttributeValue(json: value, path: path.isEmpty ? name : path + "." + name)
        }
        return item
    }

    package init(json: JSONValue, path: String = "") throws(AttributeValueDecodingError) {
        guard case .object(let members) = json, members.count == 1 else {
            throw AttributeValueDecodingError(path: path, reason: "expected an object with exactly one type key")
        }
        let (type, payload) = (members[0].name, members[0].value)
        func fail(_ reason: String) -> AttributeValueDecodingError {
            AttributeValueDecodingError(path: path, reason: "\(type): \(reason)")
        }
        func strings() throws(AttributeValueDecodingError) -> [String] {
            guard case .array(let elements) = payload, !elements.isEmpty else { throw fail("expected a non-empty array") }
            var out: [String] = []
            out.reserveCapacity(elements.count)
            for element in elements {
                guard case .string(let text) = element else { throw fail("expected strings") }
                out.append(text)
            }
            return out
        }
        switch type {
        case "S":
            guard case .string(let text) = payload else { throw fail("expected a string") }
            self = .s(text)
        case "N":
            guard case .string(let text) = payload else { throw fail("expected a string") }
            self = .n(text)
        case "B":
            guard case .string(let text) = payload, let bytes = try? Base64.decode(string: text) else { throw fail("expected base64") }
            self = .b(bytes)
        case "BOOL":
            guard case .bool(let flag) = payload else { throw fail("expected true or false") }
            self = .bool(flag)
        case "NULL":
            guard case .bool(true) = payload else { throw fail("expected true") }
            self = .null
        case "M":
            self = .m(try Self.item(json: payload, path: path + ".M"))
        case "L":
            guard case .array(let elements) = payload else { throw fail("expected an array") }
            var list: [AttributeValue] = []
            list.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                list.append(try AttributeValue(json: element, path: "\(path).L[\(index)]"))
            }
            self = .l(list)
        case "SS":
            self = .ss(try strings())
        case "NS":
            self = .ns(try strings())
        case "BS":
            var members: [[UInt8]] = []
            for text in try strings() {
                guard let bytes = try? Base64.decode(string: text) else { throw fail("expected base64") }
                members.append(bytes)
            }
            self = .bs(members)
        default:
            throw fail("unknown type descriptor")
        }
    }
}
