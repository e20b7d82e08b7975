import DynamoModel
import CQL
import SSTable

/// Converts serialized CQL values to DynamoDB attribute values under a design's options and
/// policies. Reuses one scratch buffer; numbers go straight from bytes to decimal text.
struct ValueConverter {
    var timestamps: TimestampFormat
    var sets: SetFormat
    var policies: Policies
    /// Issues of the current row (non-fatal: the value was changed or left out).
    var issues: [ConversionIssue] = []
    private var scratch: [UInt8] = []

    init(timestamps: TimestampFormat, sets: SetFormat, policies: Policies) {
        self.timestamps = timestamps
        self.sets = sets
        self.policies = policies
        scratch.reserveCapacity(64)
    }

    /// Thrown when a policy says `fail` or `skip` for the row.
    struct RowRejected: Error {
        var issue: ConversionIssue
    }

    /// The attribute for a column value; nil when the attribute is absent (null, or omitted by a policy).
    mutating func attribute(_ value: ColumnValue, type: CQLType, column: String) throws -> AttributeValue? {
        switch value {
        case .null: return nil
        case .counter(let total): return .n(String(total))
        case .value(let bytes): return try attribute(bytes, type: type.unreversed, column: column, nested: false)
        case .cells(let cells): return try attribute(cells, type: type.unreversed, column: column)
        }
    }

    /// The text form of a scalar (no quotes): numbers as decimal, uuid canonical, timestamp per
    /// the timestamp format, blob `0x…`, text as is. Used for map keys and composite keys.
    mutating func text(_ bytes: UnsafeRawBufferPointer, type: CQLType) throws -> String {
        switch type.unreversed {
        case .ascii, .text: return String(decoding: bytes, as: UTF8.self)
        case .timestamp where timestamps == .epochMillis && bytes.count == 8:
            return String(Int64(bitPattern: bytes.bigEndian(8)))
        case .timestamp:
            return isoTimestamp(bytes)
        default:
            scratch.removeAll(keepingCapacity: true)
            try type.unreversed.appendJSON(bytes, to: &scratch)
            return unquoted()
        }
    }

    private func unquoted() -> String {
        if scratch.count >= 2, scratch.first == UInt8(ascii: "\""), scratch.last == UInt8(ascii: "\"") {
            return String(decoding: scratch[1..<scratch.count - 1], as: UTF8.self)
        }
        return String(decoding: scratch, as: UTF8.self)
    }

    private mutating func isoTimestamp(_ bytes: UnsafeRawBufferPointer) -> String {
        scratch.removeAll(keepingCapacity: true)
        let ms = Int64(bitPattern: bytes.bigEndian(8))
        if ms >= CivilTime.minMillis, ms < CivilTime.maxMillis {
            CivilTime.appendISO(millis: ms, to: &scratch)
            return String(decoding: scratch, as: UTF8.self)
        }
        try? CQLType.timestamp.appendJSON(bytes, to: &scratch)
        return unquoted()
    }

    /// A number's text checked against DynamoDB's limits and the number policies.
    private mutating func number(_ text: String, column: String) throws -> AttributeValue? {
        if DynamoNumber.isValid(text) { return .n(text) }
        let nonFinite = text == "NaN" || text == "Infinity" || text == "-Infinity"
        let kind: IssueKind = nonFinite ? .nonFiniteNumber : .numberOutOfRange
        let action = nonFinite ? policies.nonFiniteNumber : policies.numberOutOfRange
        let issue = ConversionIssue(kind: kind, column: column, message: "\(text.prefix(60)) is not a DynamoDB number", action: action.rawValue)
        switch action {
        case .string:
            issues.append(issue)
            return .s(text)
        case .omit:
            issues.append(issue)
            return nil
        case .fail, .skip:
            throw RowRejected(issue: issue)
        }
    }

    mutating func attribute(_ bytes: UnsafeRawBufferPointer, type: CQLType, column: String, nested: Bool) throws -> AttributeValue? {
        switch type {
        case .ascii, .text:
            return .s(String(decoding: bytes, as: UTF8.self))
        case .blob, .custom:
            return .b(Array(bytes))
        case .empty:
            return nil
        default:
            break
        }
        // Empty bytes of a non-string type: no value (Cassandra's "empty" value; an empty frozen
        // collection reads as null too).
        if bytes.isEmpty { return nested ? .null : nil }
        switch type {
        case .tinyint, .smallint, .int, .bigint, .counter:
            scratch.removeAll(keepingCapacity: true)
            try type.appendJSON(bytes, to: &scratch)
            return .n(String(decoding: scratch, as: UTF8.self))
        case .varint, .decimal, .float, .double:
            scratch.removeAll(keepingCapacity: true)
            try type.appendJSON(bytes, to: &scratch)
            return try number(unquoted(), column: column)
        case .boolean:
            return .bool(bytes[0] != 0)
        case .timestamp:
            guard bytes.count == 8 else { throw CQLValueError("timestamp value of \(bytes.count) bytes") }
            return timestamps == .epochMillis ? .n(String(Int64(bitPattern: bytes.bigEndian(8)))) : .s(isoTimestamp(bytes))
        case .uuid, .timeuuid, .inet, .date, .time, .duration:
            return .s(try text(bytes, type: type))
        case .list(let element, _):
            return .l(try elements(bytes, type: element, column: column))
        case .set(let element, _):
            return try set(try elements(bytes, type: element, column: column), column: column)
        case .map(let keyType, let valueType, _):
            var r = ElementReader(bytes)
            let n = try r.readCount()
            var map: [String: AttributeValue] = [:]
            map.reserveCapacity(n)
            for _ in 0..<n {
                guard let k = try r.readElement() else { throw CQLValueError("null map key") }
                let v = try r.readElement()
                guard let key = try mapKey(try text(k, type: keyType), column: column) else { continue }
                map[key] = try v.flatMap { try attribute($0, type: valueType, column: column, nested: true) } ?? .null
            }
            return .m(map)
        case .tuple(let types):
            var r = ElementReader(bytes)
            var list: [AttributeValue] = []
            for t in types {
                let field = r.isAtEnd ? nil : try r.readElement()
                list.append(try field.flatMap { try attribute($0, type: t, column: column, nested: true) } ?? .null)
            }
            return .l(list)
        case .udt(let u, _):
            var r = ElementReader(bytes)
            var map: [String: AttributeValue] = [:]
            for (name, t) in zip(u.fieldNames, u.fieldTypes) {
                guard !r.isAtEnd else { break }
                if let field = try r.readElement(), let v = try attribute(field, type: t, column: column, nested: true) { map[name] = v }
            }
            return .m(map)
        case .reversed(let base):
            return try attribute(bytes, type: base, column: column, nested: nested)
        case .composite:
            return .s(try text(bytes, type: type))
        default:
            return .s(try text(bytes, type: type))
        }
    }

    private mutating func elements(_ bytes: UnsafeRawBufferPointer, type: CQLType, column: String) throws -> [AttributeValue] {
        if bytes.isEmpty { return [] }
        var r = ElementReader(bytes)
        let n = try r.readCount()
        var out: [AttributeValue] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            let e = try r.readElement()
            out.append(try e.flatMap { try attribute($0, type: type, column: column, nested: true) } ?? .null)
        }
        return out
    }

    /// A map key checked by the empty-map-key policy; nil leaves the entry out.
    private mutating func mapKey(_ key: String, column: String) throws -> String? {
        guard key.isEmpty else { return key }
        let issue = ConversionIssue(kind: .emptyMapKey, column: column, message: "map key is the empty string", action: policies.emptyMapKey.rawValue)
        switch policies.emptyMapKey {
        case .omit:
            issues.append(issue)
            return nil
        case .fail, .skip:
            throw RowRejected(issue: issue)
        }
    }

    /// A set's members as `SS`/`NS`/`BS` when they all have the element type, else `L`.
    private mutating func set(_ members: [AttributeValue], column: String) throws -> AttributeValue? {
        if members.isEmpty {
            let issue = ConversionIssue(kind: .emptySet, column: column, message: "empty set", action: policies.emptySet.rawValue)
            switch policies.emptySet {
            case .omit:
                issues.append(issue)
                return nil
            case .list:
                issues.append(issue)
                return .l([])
            case .fail, .skip:
                throw RowRejected(issue: issue)
            }
        }
        guard sets == .set else { return .l(members) }
        switch members[0] {
        case .s:
            var out: [String] = []
            out.reserveCapacity(members.count)
            for m in members { guard case .s(let v) = m else { return .l(members) }; out.append(v) }
            return .ss(out)
        case .n:
            var out: [String] = []
            out.reserveCapacity(members.count)
            for m in members { guard case .n(let v) = m else { return .l(members) }; out.append(v) }
            return .ns(out)
        case .b:
            var out: [[UInt8]] = []
            out.reserveCapacity(members.count)
            for m in members { guard case .b(let v) = m else { return .l(members) }; out.append(v) }
            return .bs(out)
        default:
            return .l(members)
        }
    }

    /// A non-frozen collection or UDT from its live cells.
    private mutating func attribute(_ cells: ComplexCells, type: CQLType, column: String) throws -> AttributeValue? {
        switch type {
        case .list(let element, _):
            var out: [AttributeValue] = []
            out.reserveCapacity(cells.count)
            try cells.forEach { _, value in out.append(try attribute(value, type: element, column: column, nested: true) ?? .null) }
            return .l(out)
        case .set(let element, _):
            var out: [AttributeValue] = []
            out.reserveCapacity(cells.count)
            try cells.forEach { path, _ in if let v = try attribute(path, type: element, column: column, nested: true) { out.append(v) } }
            return try set(out, column: column)
        case .map(let keyType, let valueType, _):
            var map: [String: AttributeValue] = [:]
            map.reserveCapacity(cells.count)
            try cells.forEach { path, value in
                guard let key = try mapKey(try text(path, type: keyType), column: column) else { return }
                map[key] = try attribute(value, type: valueType, column: column, nested: true) ?? .null
            }
            return .m(map)
        case .udt(let u, _):
            var map: [String: AttributeValue] = [:]
            try cells.forEach { path, value in
                let f = path.count == 2 ? Int(path[0]) << 8 | Int(path[1]) : -1
                guard u.fieldTypes.indices.contains(f) else { throw CQLValueError("UDT field index \(f) is out of range") }
                if let v = try attribute(value, type: u.fieldTypes[f], column: column, nested: true) { map[u.fieldNames[f]] = v }
            }
            return .m(map)
        default:
            throw CQLValueError("cells of type \(type.cqlName) are not a collection")
        }
    }
}

extension CQLType {
    /// Lists, sets, maps, tuples and UDTs.
    var isCollectionLike: Bool {
        switch self {
        case .list, .set, .map, .tuple, .udt: return true
        case .reversed(let b): return b.isCollectionLike
        default: return false
        }
    }
}
