/// Hexadecimal text of bytes: the project's one implementation. Every byte is exactly two digits,
/// so different byte strings never share a text (`0a 01` is `0a01`, `a1` is `a1`).
public enum Hex {
    /// Lower-case hex of `bytes`.
    public static func encode<Bytes: Sequence>(_ bytes: Bytes, uppercase: Bool = false) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        append(bytes, to: &out, uppercase: uppercase)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the hex of `bytes` to `out`.
    @inlinable
    public static func append<Bytes: Sequence>(_ bytes: Bytes, to out: inout [UInt8], uppercase: Bool = false) where Bytes.Element == UInt8 {
        for byte in bytes {
            out.append(digit(byte >> 4, uppercase: uppercase))
            out.append(digit(byte & 0x0F, uppercase: uppercase))
        }
    }

    /// Writes the `2 * bytes.count` digits of `bytes` at `out` (hot paths writing in place).
    @inlinable @inline(__always)
    public static func write(_ bytes: UnsafeRawBufferPointer, to out: UnsafeMutablePointer<UInt8>) {
        // A table lookup: 1.3 M (0.16%) fewer instructions than `digit` on `dump` of 300k UUID-keyed rows (callgrind).
        let digits: StaticString = "0123456789abcdef"
        let table = digits.utf8Start
        var i = 0
        for byte in bytes {
            out[i] = table[Int(byte >> 4)]
            out[i + 1] = table[Int(byte & 0x0F)]
            i += 2
        }
    }

    /// Appends `value` as exactly `digits` hex digits (the low `4 * digits` bits).
    @inlinable
    public static func append(_ value: UInt64, digits: Int, to out: inout [UInt8]) {
        for i in stride(from: digits - 1, through: 0, by: -1) { out.append(digit(UInt8((value >> (UInt64(i) * 4)) & 0xF))) }
    }

    /// The digit of a nibble (0...15).
    @inlinable @inline(__always)
    public static func digit(_ nibble: UInt8, uppercase: Bool = false) -> UInt8 {
        // A select, not a branch: nibbles of hashes and UUIDs are unpredictable.
        nibble &+ (nibble < 10 ? 48 : (uppercase ? 55 : 87))
    }

    /// The value of one hex digit (either case), nil for any other byte.
    @inlinable
    public static func value(ofDigit c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The bytes of an even-length hex text, nil when it has any other character.
    public static func decode<Text: Collection>(_ text: Text) -> [UInt8]? where Text.Element == UInt8 {
        guard text.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2)
        var i = text.startIndex
        while i != text.endIndex {
            let j = text.index(after: i)
            guard let high = value(ofDigit: text[i]), let low = value(ofDigit: text[j]) else { return nil }
            out.append(high << 4 | low)
            i = text.index(after: j)
        }
        return out
    }
}
