import CQL
import HexCoding

/// An order-preserving text encoding of clustering values: the UTF-8 byte order of the encoded
/// strings (DynamoDB's order of `S` sort keys) is Cassandra's clustering order, ASC and DESC.
///
/// Components are joined with `#`. Each ascending component uses characters from `$` (0x24)
/// upward, so a shorter component followed by `#` sorts before any longer one:
/// - text/ascii: the UTF-8 bytes, with bytes ≤ 0x24 written as `$` + (byte + 0x40);
/// - blob, inet, duration, custom: lowercase hex of the bytes;
/// - tinyint…bigint: `p` + zero-padded value when ≥ 0, `n` + zero-padded (value − min) when < 0;
/// - varint, decimal: `o` for zero; `p` + exponent + digits when positive; `n` + complemented
///   exponent and digits + `~` when negative (value = 0.d₁d₂… × 10^exponent, exponent biased by 5·10⁹);
/// - float/double: hex of the IEEE bits made sortable (sign flipped; negatives inverted);
/// - timestamp: ISO-8601 `YYYY-MM-DDTHH:MM:SS.fffZ` for years 0–9999, else `-`/`|` + biased digits;
/// - date: `YYYY-MM-DD` for years 0–9999, else `-`/`|` + the unsigned day number;
/// - time: `HH:MM:SS.fffffffff`;
/// - uuid: version digit, then time-ordered (version 1) or raw high half, then low half, in hex;
///   timeuuid: the 60-bit time, then the low half as Cassandra compares it (signed bytes), in hex;
/// - boolean: `0`/`1`;
/// - frozen list/set/map/tuple/UDT: `$`, then per element `%` (null) or `&` + its encoding, each
///   followed by a terminator below every value character: `"` one level down, `!` two, space three.
///
/// A `DESC` component is its ascending encoding reversed: fixed-width encodings have each
/// character mirrored in 0x24…0x7D (c → 0xA1 − c); variable-width ones become complemented hex
/// (digit d → 15 − d) ended by `~`. An empty value (Cassandra sorts it first) encodes as "" ASC
/// and `~` DESC.
public enum OrderedKeyEncoding {
    /// Joins components.
    public static let separator: UInt8 = 0x23  // '#'

    /// The encoded sort key of `values` (one per clustering column, `types` may be `.reversed`).
    public static func encode(_ values: [UnsafeRawBufferPointer], types: [CQLType]) throws(CQLValueError) -> String {
        var out: [UInt8] = []
        for (i, value) in values.enumerated() {
            if i > 0 { out.append(separator) }
            try appendComponent(value, type: types[i], to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one top-level component (ASC or DESC).
    public static func appendComponent(_ value: UnsafeRawBufferPointer, type: CQLType, to out: inout [UInt8]) throws(CQLValueError) {
        guard case .reversed = type else { return try appendAscending(value, type: type, depth: 0, to: &out) }
        let base = type.unreversed
        if value.isEmpty {
            out.append(UInt8(ascii: "~"))
            return
        }
        let start = out.count
        try appendAscending(value, type: base, depth: 0, to: &out)
        if isFixedWidth(base) {
            for i in start..<out.count { out[i] = 0xA1 &- out[i] }
        } else {
            let asc = Array(out[start...])
            out.removeSubrange(start...)
            for byte in asc {
                out.append(Hex.digit(15 - (byte >> 4)))
                out.append(Hex.digit(15 - (byte & 0xF)))
            }
            out.append(UInt8(ascii: "~"))
        }
    }

    /// Types whose ascending encodings have one length per leading character, all in 0x24…0x7D.
    static func isFixedWidth(_ type: CQLType) -> Bool {
        switch type {
        case .boolean, .tinyint, .smallint, .int, .bigint, .counter, .time, .timestamp, .date, .uuid, .timeuuid, .float, .double: return true
        default: return false
        }
    }

    static func appendDecimal(_ v: UInt64, digits: Int, to out: inout [UInt8]) {
        let start = out.count
        var v = v
        for _ in 0..<digits {
            out.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        }
        out[start...].reverse()
    }

    private static func expect(_ value: UnsafeRawBufferPointer, _ n: Int, _ type: CQLType) throws(CQLValueError) {
        guard value.count == n else { throw CQLValueError("\(type.cqlName) value of \(value.count) bytes (expected \(n))") }
    }

    /// The ascending encoding; `depth` is the nesting level inside frozen collections.
    static func appendAscending(_ value: UnsafeRawBufferPointer, type: CQLType, depth: Int, to out: inout [UInt8]) throws(CQLValueError) {
        if value.isEmpty { return }
        switch type {
        case .ascii, .text:
            for b in value {
                if b <= 0x24 {
                    out.append(0x24)
                    out.append(b + 0x40)
                } else {
                    out.append(b)
                }
            }
        case .blob, .inet, .duration, .custom, .empty, .composite:
            Hex.append(value, to: &out)
        case .boolean:
            out.append(value[0] == 0 ? UInt8(ascii: "0") : UInt8(ascii: "1"))
        case .tinyint, .smallint, .int, .bigint, .counter:
            let width = type == .tinyint ? 1 : type == .smallint ? 2 : type == .int ? 4 : 8
            try expect(value, width, type)
            let digits = width == 1 ? 3 : width == 2 ? 5 : width == 4 ? 10 : 19
            let raw = value.bigEndian(width)
            let bits = UInt64(width * 8)
            let negative = raw >> (bits - 1) & 1 == 1
            let magnitude = bits == 64 ? raw & ~(1 << 63) : raw & ((1 << (bits - 1)) - 1)
            // Negative: value − min = raw without its sign bit.
            out.append(negative ? UInt8(ascii: "n") : UInt8(ascii: "p"))
            appendDecimal(magnitude, digits: digits, to: &out)
        case .varint:
            try appendNumber(unscaled: value, scale: 0, to: &out)
        case .decimal:
            guard value.count > 4 else { throw CQLValueError("decimal value of \(value.count) bytes") }
            let scale = Int64(Int32(bitPattern: UInt32(value.bigEndian(4))))
            try appendNumber(unscaled: UnsafeRawBufferPointer(rebasing: value[4...]), scale: scale, to: &out)
        case .float:
            try expect(value, 4, type)
            var bits = UInt32(value.bigEndian(4))
            if Float(bitPattern: bits).isNaN { bits = 0x7FC0_0000 }
            bits = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
            Hex.append(UInt64(bits), digits: 8, to: &out)
        case .double:
            try expect(value, 8, type)
            var bits = value.bigEndian(8)
            if Double(bitPattern: bits).isNaN { bits = 0x7FF8_0000_0000_0000 }
            bits = bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
            Hex.append(bits, digits: 16, to: &out)
        case .timestamp:
            try expect(value, 8, type)
            let ms = Int64(bitPattern: value.bigEndian(8))
            if ms < CivilTime.minMillis {
                out.append(UInt8(ascii: "-"))
                appendDecimal(UInt64(bitPattern: ms) ^ (1 << 63), digits: 19, to: &out)
            } else if ms >= CivilTime.maxMillis {
                out.append(UInt8(ascii: "|"))
                appendDecimal(UInt64(ms), digits: 19, to: &out)
            } else {
                CivilTime.appendISO(millis: ms, to: &out)
            }
        case .date:
            try expect(value, 4, type)
            let u = value.bigEndian(4)
            let days = Int64(u) - (1 << 31)
            if days < CivilTime.minDay {
                out.append(UInt8(ascii: "-"))
                appendDecimal(u, digits: 10, to: &out)
            } else if days >= CivilTime.maxDay {
                out.append(UInt8(ascii: "|"))
                appendDecimal(u, digits: 10, to: &out)
            } else {
                CivilTime.appendDate(epochDay: days, to: &out)
            }
        case .time:
            try expect(value, 8, type)
            let nanos = Int64(bitPattern: value.bigEndian(8))
            guard nanos >= 0, nanos < 86_400_000_000_000 else { throw CQLValueError("time value \(nanos) is outside a day") }
            CivilTime.appendClock(nanos: nanos, to: &out)
        case .uuid:
            try expect(value, 16, type)
            let msb = value.bigEndian(8), lsb = value.bigEndian(8, at: 8)
            let version = (msb >> 12) & 0xF
            Hex.append(version, digits: 1, to: &out)
            Hex.append(version == 1 ? reorderTimestamp(msb) : msb, digits: 16, to: &out)
            Hex.append(lsb, digits: 16, to: &out)
        case .timeuuid:
            try expect(value, 16, type)
            let msb = value.bigEndian(8), lsb = value.bigEndian(8, at: 8)
            Hex.append(reorderTimestamp(msb) ^ (1 << 63), digits: 16, to: &out)
            Hex.append((lsb ^ 0x0080_8080_8080_8080) ^ (1 << 63), digits: 16, to: &out)
        case .list(let element, _), .set(let element, _):
            // A leading `$` keeps a present (even element-less) value above the empty value.
            out.append(0x24)
            var r = ElementReader(value)
            let n = try r.readCount()
            for _ in 0..<n { try appendElement(try r.readElement(), type: element, depth: depth, to: &out) }
        case .map(let keyType, let valueType, _):
            out.append(0x24)
            var r = ElementReader(value)
            let n = try r.readCount()
            for _ in 0..<n {
                try appendElement(try r.readElement(), type: keyType, depth: depth, to: &out)
                try appendElement(try r.readElement(), type: valueType, depth: depth, to: &out)
            }
        case .tuple(let types):
            out.append(0x24)
            try appendFields(value, types: types, depth: depth, to: &out)
        case .udt(let u, _):
            out.append(0x24)
            try appendFields(value, types: u.fieldTypes, depth: depth, to: &out)
        case .reversed(let base):
            // Reversed inside a value never happens in CQL; treat as the base order.
            try appendAscending(value, type: base, depth: depth, to: &out)
        }
    }

    /// `TimeUUIDType.reorderTimestampBytes`.
    static func reorderTimestamp(_ msb: UInt64) -> UInt64 {
        (msb << 48) | ((msb << 16) & 0xFFFF_0000_0000) | (msb >> 32)
    }

    private static func terminator(_ depth: Int) throws(CQLValueError) -> UInt8 {
        guard depth < 3 else { throw CQLValueError("frozen values nested more than 3 levels deep cannot be encoded in a sort key") }
        return separator - UInt8(depth + 1)
    }

    private static func appendElement(_ element: UnsafeRawBufferPointer?, type: CQLType, depth: Int, to out: inout [UInt8]) throws(CQLValueError) {
        let end = try terminator(depth)
        if let element {
            out.append(UInt8(ascii: "&"))
            try appendAscending(element, type: type, depth: depth + 1, to: &out)
        } else {
            out.append(UInt8(ascii: "%"))
        }
        out.append(end)
    }

    /// Tuple and UDT fields; trailing null or empty fields are left out (Cassandra ignores them).
    private static func appendFields(_ value: UnsafeRawBufferPointer, types: [CQLType], depth: Int, to out: inout [UInt8]) throws(CQLValueError) {
        var r = ElementReader(value)
        var fields: [UnsafeRawBufferPointer?] = []
        while !r.isAtEnd, fields.count < types.count { fields.append(try r.readElement()) }
        while let last = fields.last, last?.isEmpty ?? true { fields.removeLast() }
        for (i, f) in fields.enumerated() { try appendElement(f, type: types[i], depth: depth, to: &out) }
    }

    /// varint/decimal: sign class, exponent and significant digits (see the type comment).
    private static func appendNumber(unscaled: UnsafeRawBufferPointer, scale: Int64, to out: inout [UInt8]) throws(CQLValueError) {
        var text: [UInt8] = []
        try CQLType.varint.appendJSON(unscaled, to: &text)
        let negative = text.first == UInt8(ascii: "-")
        var digits = negative ? Array(text.dropFirst()) : text
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        let significantCount = Int64(negative ? text.count - 1 : text.count)
        if digits.isEmpty {
            out.append(UInt8(ascii: "o"))
            return
        }
        let exponent = significantCount - scale + 5_000_000_000
        guard exponent >= 0, exponent < 10_000_000_000 else { throw CQLValueError("decimal exponent out of range") }
        if negative {
            out.append(UInt8(ascii: "n"))
            appendDecimal(UInt64(9_999_999_999 - exponent), digits: 10, to: &out)
            for d in digits { out.append(UInt8(ascii: "9") - (d - UInt8(ascii: "0"))) }
            out.append(UInt8(ascii: "~"))
        } else {
            out.append(UInt8(ascii: "p"))
            appendDecimal(UInt64(exponent), digits: 10, to: &out)
            out.append(contentsOf: digits)
        }
    }
}
