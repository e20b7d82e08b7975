import HexCoding
import JSONCoding
/// JSON → serialized values, as Cassandra's `AbstractType.fromJSONObject` reads `INSERT ... JSON`
/// values and `fromJson()` arguments; each type also reads what `appendJSON` writes.
///
/// Per type: numbers also as strings in Cassandra's `fromString` syntax; `""` is the empty value
/// for the types where empty is not a real value (as `fromString("")`), except `varint`, `decimal`
/// and `blob`, which refuse it, and `boolean`, where it is `false`. Deviations from Cassandra:
/// JSON numbers keep their source text (Cassandra reads fractions through a double first, so
/// `decimal` `1e2` is `1E+2` here, `100.0` there); `date` and `time` also take a JSON number
/// (Cassandra wants those in a string); timestamps without an offset are UTC, and `now` is
/// refused; `custom` types read `"0x…"` as `blob` does.
extension CQLType {
    /// The serialized bytes of `value` for this type; JSON `null` is refused (`null is not allowed`).
    public func serialized(fromJSON value: JSONValue) throws(CQLValueError) -> [UInt8] {
        if case .null = value { throw CQLValueError("null is not allowed for \(cqlName)") }
        switch self {
        case .reversed(let base):
            return try base.serialized(fromJSON: value)
        case .list(let element, _):
            return try Self.serializedList(value, element: element, as: self)
        case .set(let element, _):
            return try Self.serializedSet(value, element: element, as: self)
        case .map(let key, let valueType, _):
            return try Self.serializedMap(value, key: key, value: valueType, as: self)
        case .tuple(let types):
            return try Self.serializedTuple(value, types: types, as: self)
        case .udt(let userType, _):
            return try Self.serializedUDT(value, userType: userType, as: self)
        case .composite(let types):
            return try Self.serializedComposite(value, types: types, as: self)
        default:
            return try serializedScalar(value)
        }
    }

    /// `expected <what> but got <value>[ (<reason>)]`.
    func mismatch(_ value: JSONValue, _ reason: String? = nil) -> CQLValueError {
        var shown = value.description
        if shown.count > 80 { shown = String(shown.prefix(77)) + "..." }
        return CQLValueError("expected \(expectation) but got \(shown)" + (reason.map { " (\($0))" } ?? ""))
    }

    /// What a value of this type is, in words, for messages.
    var expectation: String {
        switch self {
        case .ascii: return "an ascii string"
        case .text: return "a text string"
        case .tinyint: return "a tinyint (8-bit)"
        case .smallint: return "a smallint (16-bit)"
        case .int: return "an int (32-bit)"
        case .bigint: return "a bigint (64-bit)"
        case .counter: return "a counter (64-bit)"
        case .varint: return "a varint (an integer)"
        case .decimal: return "a decimal (a number)"
        case .float: return "a float (a number)"
        case .double: return "a double (a number)"
        case .boolean: return "a boolean (true or false)"
        case .blob: return "a blob (a string of 0x and hex digits)"
        case .uuid: return "a uuid (a string like \"550e8400-e29b-41d4-a716-446655440000\")"
        case .timeuuid: return "a timeuuid (a version 1 uuid string)"
        case .inet: return "an inet (an IPv4 or IPv6 address string)"
        case .timestamp: return "a timestamp (milliseconds since 1970 or a string like \"2021-03-04 05:06:07.123Z\")"
        case .date: return "a date (a string like \"2021-03-04\")"
        case .time: return "a time (a string like \"05:06:07.123456789\")"
        case .duration: return "a duration (a string like \"1h30m\" or \"PT1H30M\")"
        case .empty: return "an empty value (\"\")"
        case .custom: return "a \(cqlName) value (a string of 0x and hex digits)"
        case .list, .set: return "a \(cqlName) (a JSON array)"
        case .map: return "a \(cqlName) (a JSON object)"
        case .tuple(let types): return "a \(cqlName) (a JSON array of \(types.count) items)"
        case .udt: return "a \(cqlName) (a JSON object of its fields)"
        case .composite(let types): return "a \(cqlName) (a JSON array of \(types.count) components)"
        case .reversed(let base): return base.expectation
        }
    }

    private func serializedScalar(_ value: JSONValue) throws(CQLValueError) -> [UInt8] {
        switch self {
        case .ascii, .text:
            guard case .string(let s) = value else { throw mismatch(value) }
            if self == .ascii, let bad = s.unicodeScalars.first(where: { !$0.isASCII }) {
                throw mismatch(value, "U+\(String(bad.value, radix: 16, uppercase: true)) is not ASCII")
            }
            return Array(s.utf8)
        case .tinyint: return try fixedInteger(value, bytes: 1)
        case .smallint: return try fixedInteger(value, bytes: 2)
        case .int: return try fixedInteger(value, bytes: 4)
        case .bigint, .counter: return try fixedInteger(value, bytes: 8)
        case .varint:
            guard let text = value.numberOrString, let bytes = JavaNumberText.bigInteger(text) else { throw mismatch(value, "not an integer") }
            return bytes
        case .decimal:
            guard let text = value.numberOrString else { throw mismatch(value) }
            switch JavaNumberText.bigDecimal(text) {
            case .success(let bytes): return bytes
            case .failure(let reason): throw mismatch(value, reason.message)
            }
        case .float, .double:
            return try floatingPoint(value)
        case .boolean:
            switch value {
            case .bool(let b): return [b ? 1 : 0]
            case .string(let s) where s.isEmpty || s.lowercased() == "false": return [0]
            case .string(let s) where s.lowercased() == "true": return [1]
            default: throw mismatch(value)
            }
        case .blob, .custom:
            guard case .string(let s) = value, s.hasPrefix("0x") else { throw mismatch(value) }
            guard let bytes = Self.hexBytes(s.utf8.dropFirst(2)) else { throw mismatch(value, "an even number of hex digits must follow 0x") }
            return bytes
        case .empty:
            guard case .string(let s) = value, s.isEmpty else { throw mismatch(value) }
            return []
        case .uuid, .timeuuid:
            return try uuid(value)
        case .inet:
            guard case .string(let s) = value else { throw mismatch(value) }
            if s.isEmpty { return [] }
            guard let bytes = InetParsing.address(s) else { throw mismatch(value, "not an IP address (host names are not looked up)") }
            return bytes
        case .timestamp, .date, .time:
            return try temporal(value)
        case .duration:
            guard case .string(let s) = value else { throw mismatch(value) }
            if s.isEmpty { return [] }
            do {
                return try DurationParsing.serialized(s)
            } catch {
                throw mismatch(value, error.message)
            }
        default:
            throw mismatch(value)
        }
    }

    /// `tinyint`…`bigint`: a JSON integer or a `[+-]digits` string, in range; `""` is empty.
    private func fixedInteger(_ value: JSONValue, bytes width: Int) throws(CQLValueError) -> [UInt8] {
        guard let text = value.numberOrString else { throw mismatch(value) }
        if case .string = value, text.isEmpty { return [] }
        let bits = Int64(8 * width)
        let limit = bits == 64 ? Int64.max : (Int64(1) << (bits - 1)) - 1
        guard JavaNumberText.integerParts(text) != nil else { throw mismatch(value, "not an integer") }
        guard let v = JavaNumberText.int64(text), v >= -limit - 1, v <= limit else {
            throw mismatch(value, "out of range: \(-limit - 1) to \(limit)")
        }
        return (0..<width).map { UInt8(truncatingIfNeeded: v >> (8 * Int64(width - 1 - $0))) }
    }

    /// `float`/`double`: a JSON number (fractions through a double, as Jackson reads them, then
    /// to float), or a Java floating-point string such as `"NaN"`, `"-Infinity"`, `"1.5e3"`.
    private func floatingPoint(_ value: JSONValue) throws(CQLValueError) -> [UInt8] {
        let isFloat = self == .float
        let double: Double
        var float: Float?
        switch value {
        case .number(let text):
            let integral = !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
            // Jackson reads an integer as Integer/Long/BigInteger: -0 is 0, and float conversion is direct.
            let number = integral && text.allSatisfy { $0 == "0" || $0 == "-" } ? "0" : text
            guard let d = Double(number) else { throw mismatch(value) }
            double = d
            if integral && isFloat { float = Float(number) }
        case .string(let s):
            if s.isEmpty { return [] }
            guard let literal = JavaNumberText.floatLiteral(s), let d = Double(literal) else { throw mismatch(value, "not a number") }
            double = d
            if isFloat { float = Float(literal) }
        default:
            throw mismatch(value)
        }
        if isFloat {
            let f = float ?? Float(double)
            return Self.bigEndian(UInt64(f.bitPattern), width: 4)
        }
        return Self.bigEndian(double.bitPattern, width: 8)
    }

    private func uuid(_ value: JSONValue) throws(CQLValueError) -> [UInt8] {
        guard case .string(let s) = value else { throw mismatch(value) }
        if s.isEmpty { return [] }
        let utf8 = Array(s.utf8)
        let dashes = [8, 13, 18, 23]
        guard utf8.count == 36, dashes.allSatisfy({ utf8[$0] == UInt8(ascii: "-") }),
              let bytes = Self.hexBytes(utf8.enumerated().filter { !dashes.contains($0.offset) }.map(\.element)) else {
            throw mismatch(value, "not of the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx in hex")
        }
        if self == .timeuuid && bytes[6] >> 4 != 1 {
            throw mismatch(value, "version \(bytes[6] >> 4), not 1")
        }
        return bytes
    }

    /// `timestamp` (ms), `date` (unsigned days, epoch at 2^31) and `time` (ns of the day): a JSON
    /// integer or a string of digits is the raw value, other strings are parsed as date or time.
    private func temporal(_ value: JSONValue) throws(CQLValueError) -> [UInt8] {
        let text: String
        var isNumber = false
        switch value {
        case .number(let n): text = n; isNumber = true
        case .string(let s): text = s
        default: throw mismatch(value)
        }
        if text.isEmpty { return [] }
        let raw = JavaNumberText.integerParts(text).flatMap { text.first == "+" ? nil : $0 }
        if isNumber && raw == nil { throw mismatch(value, "not an integer") }
        switch self {
        case .timestamp:
            if raw != nil {
                guard let ms = JavaNumberText.int64(text) else { throw mismatch(value, "out of range for 64 bits") }
                return Self.bigEndian(UInt64(bitPattern: ms), width: 8)
            }
            guard let ms = TemporalParsing.timestampMillis(text) else { throw mismatch(value, "not a date-time Cassandra reads") }
            return Self.bigEndian(UInt64(bitPattern: ms), width: 8)
        case .date:
            if raw != nil {
                guard let days = JavaNumberText.int64(text), days >= 0, days <= Int64(UInt32.max) else {
                    throw mismatch(value, "a day number must be from 0 to 4294967295, the epoch being 2147483648")
                }
                return Self.bigEndian(UInt64(days), width: 4)
            }
            guard let day = TemporalParsing.dateEpochDay(text) else { throw mismatch(value, "not a date of the form yyyy-mm-dd") }
            guard let shifted = UInt32(exactly: day + (1 << 31)) else { throw mismatch(value, "out of the date range") }
            return Self.bigEndian(UInt64(shifted), width: 4)
        default:
            let nanos: Int64?
            if raw != nil {
                nanos = JavaNumberText.int64(text).flatMap { (0..<86_400_000_000_000).contains($0) ? $0 : nil }
                guard nanos != nil else { throw mismatch(value, "nanoseconds must be from 0 to 86399999999999") }
            } else {
                nanos = TemporalParsing.timeNanos(text)
            }
            guard let nanos else { throw mismatch(value, "not a time of the form hh:mm:ss[.fffffffff]") }
            return Self.bigEndian(UInt64(nanos), width: 8)
        }
    }

    static func bigEndian(_ v: UInt64, width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: v >> UInt64(8 * (width - 1 - $0))) }
    }

    /// Bytes of an even number of hex digits (either case), or nil.
    static func hexBytes(_ digits: some Collection<UInt8>) -> [UInt8]? {
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var high: UInt8?
        for d in digits {
            guard let v = Hex.value(ofDigit: d) else { return nil }
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return out
    }
}

extension JSONValue {
    /// The text of a number or a string (the forms Cassandra reads numbers from), else nil.
    var numberOrString: String? {
        switch self {
        case .number(let text), .string(let text): return text
        default: return nil
        }
    }
}
