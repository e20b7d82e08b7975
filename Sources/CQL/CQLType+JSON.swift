import JSONCoding
/// `SELECT JSON` encoding of serialized CQL values (native protocol v4 / cell value bytes).
///
/// Empty values (0 bytes) of types where empty is not a real value (numbers, boolean, uuid, inet,
/// timestamp, date, time, duration, counter) encode as `""`, as Cassandra 4+ does
/// (`Int32Type.toJSONString` → `Objects.toString(null, "\"\"")`; `EmptyType` → `""`). An empty
/// frozen list/set/map encodes as `null`; an empty tuple or UDT value has all fields null.
/// Deviation from Cassandra, by product contract: NaN/±Infinity are the strings `"NaN"`,
/// `"Infinity"`, `"-Infinity"` (Cassandra prints `null`), and `duration` is quoted.
extension CQLType {
    /// Appends the `SELECT JSON` encoding of one serialized value of this type to `out`.
    /// Throws `CQLValueError` when the bytes are not a valid value (e.g. 3 bytes for an `int`).
    public func appendJSON(_ value: UnsafeRawBufferPointer, to out: inout [UInt8]) throws(CQLValueError) {
        try appendJSON(value, spaced: false, to: &out)
    }

    /// The same with Cassandra's own separators (`", "`, `": "`) when `spaced`, used for the text
    /// of non-string map keys so it matches Cassandra character for character.
    func appendJSON(_ value: UnsafeRawBufferPointer, spaced: Bool, to out: inout [UInt8]) throws(CQLValueError) {
        switch self {
        case .ascii, .text:
            out.append(UInt8(ascii: "\""))
            JSONWriter.escape(value, asciiOnly: self == .ascii, into: &out)
            out.append(UInt8(ascii: "\""))
        case .blob, .custom:
            appendASCII("\"0x", to: &out)
            ScalarFormatting.appendHex(value, to: &out)
            out.append(UInt8(ascii: "\""))
        case .empty:
            Self.appendEmptyString(to: &out)
        case .reversed(let base):
            try base.appendJSON(value, spaced: spaced, to: &out)
        case .list(let element, _), .set(let element, _):
            try Self.appendList(value, element: element, spaced: spaced, to: &out)
        case .map(let key, let valueType, _):
            try Self.appendMap(value, key: key, value: valueType, spaced: spaced, to: &out)
        case .tuple(let types):
            try Self.appendTuple(value, types: types, spaced: spaced, to: &out)
        case .udt(let userType, _):
            try Self.appendUDT(value, userType: userType, spaced: spaced, to: &out)
        case .composite(let types):
            try Self.appendComposite(value, types: types, spaced: spaced, to: &out)
        default:
            if value.isEmpty {
                Self.appendEmptyString(to: &out)
            } else {
                try appendScalarJSON(value, to: &out)
            }
        }
    }

    private static func appendEmptyString(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: "\""))
    }

    private func expectLength(_ value: UnsafeRawBufferPointer, _ n: Int) throws(CQLValueError) {
        guard value.count == n else { throw CQLValueError("\(cqlName) value of \(value.count) bytes (expected \(n))") }
    }

    /// Non-empty values of the fixed-format scalar types.
    private func appendScalarJSON(_ value: UnsafeRawBufferPointer, to out: inout [UInt8]) throws(CQLValueError) {
        switch self {
        case .tinyint:
            try expectLength(value, 1)
            DecimalDigits.append(DecimalDigits.signExtend(value), to: &out)
        case .smallint:
            try expectLength(value, 2)
            DecimalDigits.append(DecimalDigits.signExtend(value), to: &out)
        case .int:
            try expectLength(value, 4)
            DecimalDigits.append(DecimalDigits.signExtend(value), to: &out)
        case .bigint, .counter:
            try expectLength(value, 8)
            DecimalDigits.append(DecimalDigits.signExtend(value), to: &out)
        case .varint:
            BigIntegerDigits.appendInteger(value, to: &out)
        case .decimal:
            guard value.count > 4 else { throw CQLValueError("decimal value of \(value.count) bytes (expected at least 5)") }
            let scale = Int32(bitPattern: value.beUInt32(at: 0))
            BigDecimalFormatting.append(unscaled: value.slice(4, value.count - 4), scale: scale, to: &out)
        case .float:
            try expectLength(value, 4)
            ScalarFormatting.appendFloat(Float(bitPattern: value.beUInt32(at: 0)), to: &out)
        case .double:
            try expectLength(value, 8)
            ScalarFormatting.appendDouble(Double(bitPattern: value.beUInt64(at: 0)), to: &out)
        case .boolean:
            try expectLength(value, 1)
            appendASCII(value[0] != 0 ? "true" : "false", to: &out)
        case .uuid, .timeuuid:
            try expectLength(value, 16)
            ScalarFormatting.appendUUID(value, quoted: true, to: &out)
        case .inet:
            out.append(UInt8(ascii: "\""))
            try ScalarFormatting.appendInet(value, to: &out)
            out.append(UInt8(ascii: "\""))
        case .timestamp:
            try expectLength(value, 8)
            TemporalFormatting.appendTimestamp(DecimalDigits.signExtend(value), quoted: true, to: &out)
        case .date:
            try expectLength(value, 4)
            out.append(UInt8(ascii: "\""))
            TemporalFormatting.appendDate(epochDay: Int64(value.beUInt32(at: 0)) - (1 << 31), to: &out)
            out.append(UInt8(ascii: "\""))
        case .time:
            try expectLength(value, 8)
            let nanos = DecimalDigits.signExtend(value)
            guard nanos >= 0 && nanos < 86_400_000_000_000 else { throw CQLValueError("time value \(nanos) ns is outside one day") }
            out.append(UInt8(ascii: "\""))
            TemporalFormatting.appendClock(UInt64(nanos), fractionDigits: 9, to: &out)
            out.append(UInt8(ascii: "\""))
        case .duration:
            out.append(UInt8(ascii: "\""))
            try DurationFormatting.append(value, to: &out)
            out.append(UInt8(ascii: "\""))
        default:
            throw CQLValueError("no JSON encoding for \(cqlName)")
        }
    }
}

/// The types whose values `ShortJSONKind.write` encodes, by kind: chosen once per column, so the
/// per-value switch is over a byte rather than over `CQLType`, whose payloads are copied.
package enum ShortJSONKind: UInt8, Sendable {
    /// No short form: `appendJSON` encodes every value.
    case none
    case text, tinyint, smallint, int, bigint, uuid, timestamp, date, float, double, boolean
}

extension CQLType {
    /// How `ShortJSONKind.write` encodes this type's values.
    package var shortJSONKind: ShortJSONKind {
        switch self {
        case .text, .ascii: return .text
        case .tinyint: return .tinyint
        case .smallint: return .smallint
        case .int: return .int
        case .bigint, .counter: return .bigint
        case .uuid, .timeuuid: return .uuid
        case .timestamp: return .timestamp
        case .date: return .date
        case .float: return .float
        case .double: return .double
        case .boolean: return .boolean
        default: return .none
        }
    }
}

extension ShortJSONKind {
    /// The most bytes `write` writes.
    package static let capacity = 64

    /// Writes the `SELECT JSON` encoding of `value` to `base` (room for `capacity` bytes) and
    /// returns its length when it is short and simple to produce: integers, booleans, uuids,
    /// timestamps and dates from 1970 to 9999, finite floats and doubles, and text of plain
    /// printable ASCII up to 62 bytes. Nil otherwise (also for values of the wrong length):
    /// then the type's `appendJSON` gives the encoding or the error. The bytes are exactly
    /// `appendJSON`'s.
    /// `date` holds the day of the column's last timestamp or date (see `TemporalFormatting.DateMemory`).
    @inline(__always)
    package func write(
        _ value: UnsafeRawBufferPointer, to base: UnsafeMutablePointer<UInt8>, date: inout TemporalFormatting.DateMemory
    ) -> Int? {
        var text = ScratchText(base: base)
        switch self {
        case .text:
            let n = value.count
            guard n <= Self.capacity - 2 else { return nil }
            for b in value where b < 0x20 || b >= 0x80 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return nil }
            text.byte(UInt8(ascii: "\""))
            if n > 0 { (base + 1).update(from: value.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n) }
            text.count += n
            text.byte(UInt8(ascii: "\""))
        case .int where value.count == 4, .bigint where value.count == 8, .smallint where value.count == 2,
             .tinyint where value.count == 1:
            let v = DecimalDigits.signExtend(value)
            if v < 0 { text.byte(UInt8(ascii: "-")) }
            text.digits(v.magnitude)
        case .uuid where value.count == 16:
            ScalarFormatting.writeUUID(value, quoted: true, to: &text)
        case .timestamp where value.count == 8:
            let millis = DecimalDigits.signExtend(value)
            guard millis >= 0 && millis < TemporalFormatting.maxFastMillis else { return nil }
            TemporalFormatting.writeModernTimestamp(UInt64(millis), quoted: true, date: &date, to: &text)
        case .date where value.count == 4:
            let day = Int64(value.beUInt32(at: 0)) - (1 << 31)
            guard day >= 0 && day < TemporalFormatting.maxFastDays else { return nil }
            TemporalFormatting.writeModernDate(UInt64(day), date: &date, to: &text)
        case .float where value.count == 4:
            let v = Float(bitPattern: value.beUInt32(at: 0))
            guard v.isFinite else { return nil }
            // Below 2^24: integral exactly when its truncation is itself.
            if v.magnitude < 16_777_216, Float(Int32(v)) == v {
                if v.sign == .minus { text.byte(UInt8(ascii: "-")) }
                text.digits(UInt64(Int32(v).magnitude))
                text.byte(UInt8(ascii: "."))
                text.byte(UInt8(ascii: "0"))
            } else {
                ScalarFormatting.writeDescription(v, to: &text)
            }
        case .double where value.count == 8:
            let v = Double(bitPattern: value.beUInt64(at: 0))
            guard v.isFinite else { return nil }
            // Below 2^53: integral exactly when its truncation is itself. Otherwise short plain
            // decimals, and `description` (what `appendJSON` ends with) for the rest.
            let whole = v.magnitude < 9_007_199_254_740_992 ? Int64(v) : nil
            if let whole, Double(whole) == v {
                if v.sign == .minus { text.byte(UInt8(ascii: "-")) }
                text.digits(whole.magnitude)
                text.byte(UInt8(ascii: "."))
                text.byte(UInt8(ascii: "0"))
            } else if !ScalarFormatting.writeShortFixed(v, to: &text) {
                ScalarFormatting.writeDescription(v, to: &text)
            }
        case .boolean where value.count == 1:
            for b in (value[0] != 0 ? "true" : "false").utf8 { text.byte(b) }
        default:
            return nil
        }
        return text.count
    }
}
