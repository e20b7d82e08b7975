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
        case .counter(let total): return withInteger(total) { $0.attribute }
        case .value(let bytes): return try attribute(bytes, type: type.unreversed, column: column, nested: false)
        case .cells(let cells): return try attribute(cells, type: type.unreversed, column: column)
        }
    }

    /// The text form of a scalar (no quotes): numbers as decimal, uuid canonical, timestamp per
    /// the timestamp format, blob `0x…`, text as is. Used for map keys and composite keys.
    mutating func text(_ bytes: UnsafeRawBufferPointer, type: CQLType) throws -> String {
        try withText(bytes, type: type) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the text form of a scalar (`text(_:type:)`'s bytes).
    mutating func withText<R>(_ bytes: UnsafeRawBufferPointer, type: CQLType, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        switch type.unreversed {
        case .ascii, .text:
            return try body(bytes)
        case .timestamp where timestamps == .epochMillis && bytes.count == 8:
            scratch.removeAll(keepingCapacity: true)
            DecimalDigits.append(Int64(bitPattern: bytes.bigEndian(8)), to: &scratch)
            return try scratch.withUnsafeBytes(body)
        case .timestamp:
            scratch.removeAll(keepingCapacity: true)
            let ms = Int64(bitPattern: bytes.bigEndian(8))
            if ms >= CivilTime.minMillis, ms < CivilTime.maxMillis {
                CivilTime.appendISO(millis: ms, to: &scratch)
                return try scratch.withUnsafeBytes(body)
            }
            try? CQLType.timestamp.appendJSON(bytes, to: &scratch)
            return try withUnquotedScratch(body)
        default:
            scratch.removeAll(keepingCapacity: true)
            try type.unreversed.appendJSON(bytes, to: &scratch)
            return try withUnquotedScratch(body)
        }
    }

    /// Calls `body` with the scratch's text, without the quotes of a JSON string.
    private func withUnquotedScratch<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try scratch.withUnsafeBytes { raw in
            if raw.count >= 2, raw.first == UInt8(ascii: "\""), raw.last == UInt8(ascii: "\"") {
                return try body(UnsafeRawBufferPointer(rebasing: raw[1..<raw.count - 1]))
            }
            return try body(raw)
        }
    }

    /// Calls `body` with `value` as a number (counters, expiry and write times).
    mutating func withInteger<R>(_ value: Int64, _ body: (ScalarValue) throws -> R) rethrows -> R {
        scratch.removeAll(keepingCapacity: true)
        DecimalDigits.append(value, to: &scratch)
        return try scratch.withUnsafeBytes { try body(.number($0)) }
    }

    /// Calls `body` with the attribute value of a scalar type's value and returns its result; nil
    /// (without calling `body`) for empty bytes of a non-string type, which are no value. The
    /// numbers of types ``mayBeInvalidNumber`` may not be DynamoDB numbers.
    mutating func withScalar<R>(_ bytes: UnsafeRawBufferPointer, type: CQLType, _ body: (ScalarValue) throws -> R) throws -> R? {
        switch type {
        case .ascii, .text: return try body(.string(bytes))
        case .blob, .custom: return try body(.binary(bytes))
        default: break
        }
        if bytes.isEmpty { return nil }
        switch type {
        case .tinyint, .smallint, .int, .bigint, .counter, .varint, .decimal, .float, .double:
            scratch.removeAll(keepingCapacity: true)
            try type.appendJSON(bytes, to: &scratch)
            return try withUnquotedScratch { try body(.number($0)) }
        case .boolean:
            return try body(.bool(bytes[0] != 0))
        case .timestamp:
            guard bytes.count == 8 else { throw CQLValueError("timestamp value of \(bytes.count) bytes") }
            let number = timestamps == .epochMillis
            return try withText(bytes, type: type) { try body(number ? .number($0) : .string($0)) }
        default:
            // uuid, timeuuid, inet, date, time, duration, composite: their text.
            return try withText(bytes, type: type) { try body(.string($0)) }
        }
    }

    /// Types whose values may be numbers DynamoDB does not take (too many digits, out of range, NaN).
    static func mayBeInvalidNumber(_ type: CQLType) -> Bool {
        switch type {
        case .varint, .decimal, .float, .double: true
        default: false
        }
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
        case .empty:
            return nil
        case .list, .set, .map, .tuple, .udt, .reversed:
            // Empty bytes: no value (an empty frozen collection reads as null too).
            if bytes.isEmpty { return nested ? .null : nil }
            return try collection(bytes, type: type, column: column, nested: nested)
        default:
            // Empty bytes of a non-string type: no value (Cassandra's "empty" value).
            guard let value = try withScalar(bytes, type: type, { $0.attribute }) else { return nested ? .null : nil }
            if Self.mayBeInvalidNumber(type), case .n(let text) = value { return try number(text, column: column) }
            return value
        }
    }

    /// A frozen collection, tuple or UDT (or a reversed type) from its serialized value.
    private mutating func collection(_ bytes: UnsafeRawBufferPointer, type: CQLType, column: String, nested: Bool) throws -> AttributeValue? {
        switch type {
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
        default:
            throw CQLValueError("\(type.cqlName) is not a collection")
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
