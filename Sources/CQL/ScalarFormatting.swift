import JSONCoding
import HexCoding

/// Small writers for `blob`, `uuid`, `inet` and floating-point values.
enum ScalarFormatting {
    private static let hexDigits: StaticString = "0123456789abcdef"

    /// Appends lowercase hex of `bytes`.
    static func appendHex(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        Hex.append(bytes, to: &out)
    }

    /// Appends `v` in lowercase hex without leading zeros (`0` for zero).
    static func appendHexNumber(_ v: UInt16, to out: inout [UInt8]) {
        hexDigits.withUTF8Buffer { h in
            var started = false
            for shift in stride(from: 12, through: 0, by: -4) {
                let d = Int((v >> UInt16(shift)) & 0xF)
                if d != 0 || started || shift == 0 {
                    out.append(h[d])
                    started = true
                }
            }
        }
    }

    /// Appends a 16-byte UUID in canonical form: `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, in
    /// double quotes when `quoted`.
    static func appendUUID(_ bytes: UnsafeRawBufferPointer, quoted: Bool = false, to out: inout [UInt8]) {
        out.appendScratch(capacity: 38) { writeUUID(bytes, quoted: quoted, to: &$0) }
    }

    /// Writes what `appendUUID` appends (38 bytes at most).
    @inline(__always)
    static func writeUUID(_ bytes: UnsafeRawBufferPointer, quoted: Bool, to text: inout ScratchText) {
        if quoted { text.byte(UInt8(ascii: "\"")) }
        text.hex(bytes.slice(0, 4))
        for start in stride(from: 4, through: 8, by: 2) {
            text.byte(UInt8(ascii: "-"))
            text.hex(bytes.slice(start, 2))
        }
        text.byte(UInt8(ascii: "-"))
        text.hex(bytes.slice(10, 6))
        if quoted { text.byte(UInt8(ascii: "\"")) }
    }

    /// Appends an address as Java's `InetAddress.getByAddress(bytes).getHostAddress()`: IPv4 dotted;
    /// IPv6 as eight lowercase hex groups without `::` compression; an IPv4-mapped IPv6 address
    /// (`::ffff:a.b.c.d`) becomes IPv4, as Java returns an `Inet4Address` for it.
    static func appendInet(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) throws(CQLValueError) {
        switch bytes.count {
        case 4:
            appendIPv4(bytes, to: &out)
        case 16:
            let mapped = (0..<10).allSatisfy { bytes[$0] == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
            if mapped {
                appendIPv4(bytes.slice(12, 4), to: &out)
                return
            }
            for g in 0..<8 {
                if g > 0 { out.append(UInt8(ascii: ":")) }
                appendHexNumber(bytes.beUInt16(at: g * 2), to: &out)
            }
        default:
            throw CQLValueError("inet value of \(bytes.count) bytes (expected 4 or 16)")
        }
    }

    private static func appendIPv4(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        for i in 0..<4 {
            if i > 0 { out.append(UInt8(ascii: ".")) }
            DecimalDigits.append(UInt64(bytes[i]), to: &out)
        }
    }

    /// Appends a finite double as a JSON number that parses back to the same value; NaN and
    /// ±Infinity as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
    static func appendDouble(_ v: Double, to out: inout [UInt8]) {
        if appendNonFinite(v.isNaN, v.isInfinite, v < 0, to: &out) { return }
        // Integral values within ±2^53 print exactly as integers with ".0", without allocating.
        if v == v.rounded(.towardZero), v.magnitude < 9_007_199_254_740_992 {
            if v.sign == .minus { out.append(UInt8(ascii: "-")) }
            DecimalDigits.append(UInt64(v.magnitude), to: &out)
            appendASCII(".0", to: &out)
            return
        }
        if appendShortFixed(v, to: &out) { return }
        appendDescription(v.description, to: &out)
    }

    /// Appends `v` (not integral) as `Double.description` would when that is plain decimal
    /// notation of at most 15 significant digits and at most `maxFractionDigits` fraction
    /// digits: the fewest fraction digits `k` whose decimal `m / 10^k` rounds back to `v` (the
    /// division is exact IEEE arithmetic, so the test is exact, and at 15 digits or fewer only
    /// one such decimal exists). False (nothing appended) outside that range, where
    /// `description` is the answer.
    static func appendShortFixed(_ v: Double, to out: inout [UInt8]) -> Bool {
        var written = false
        out.appendScratch(capacity: 40) { written = writeShortFixed(v, to: &$0) }
        return written
    }

    /// Writes what `appendShortFixed` appends (at most 40 bytes); false, with nothing written,
    /// where it appends nothing.
    static func writeShortFixed(_ v: Double, to text: inout ScratchText) -> Bool {
        let magnitude = v.magnitude
        guard magnitude >= 1e-4, magnitude < 1e15 else { return false }
        /// `m` with `k` fraction digits, when it is the one: written without trailing zeros.
        @inline(__always) func write(_ m: Int64, _ k: Int) {
            var trimmed = UInt64(m)
            var digits = k
            while trimmed % 10 == 0 && digits > 1 { trimmed /= 10; digits -= 1 }
            if v < 0 { text.byte(UInt8(ascii: "-")) }
            text.fixedPoint(trimmed, fractionDigits: digits)
        }
        // Candidates k and k + 1 are worked out together, so that their divisions overlap, then
        // judged in order. 10^k is exact in a double for k ≤ 22.
        var power = 1.0
        var k = 1
        while k <= maxFractionDigits {
            let power1 = power * 10, power2 = power * 100
            let scaled1 = magnitude * power1, scaled2 = magnitude * power2
            guard scaled1 < 1e15 else { return false }
            let m1 = roundedHalfAway(scaled1), m2 = roundedHalfAway(scaled2)
            let exact1 = Double(m1) / power1 == magnitude, exact2 = Double(m2) / power2 == magnitude
            if exact1 {
                write(m1, k)
                return true
            }
            guard k < maxFractionDigits, scaled2 < 1e15 else { return false }
            if exact2 {
                write(m2, k + 1)
                return true
            }
            power = power2
            k += 2
        }
        return false
    }

    /// Beyond this many fraction digits a double is mostly a raw measurement of 15–17
    /// significant digits, which no short decimal gives back: `description` is tried at once
    /// (each candidate costs a division).
    static let maxFractionDigits = 6

    /// Writes the `description` of a finite double or float (at most 24 bytes).
    @inline(__always)
    static func writeDescription(_ v: some BinaryFloatingPoint & CustomStringConvertible, to text: inout ScratchText) {
        var s = v.description
        s.withUTF8 { utf8 in
            (text.base + text.count).update(from: utf8.baseAddress!, count: utf8.count)
            text.count += utf8.count
        }
    }

    /// `x.rounded()` (ties away from zero) for 0 ≤ x < 10^16, without a libm call: there the
    /// truncation and the fraction left over are exact. Signed conversions are one instruction
    /// each, unsigned ones several.
    @inline(__always)
    private static func roundedHalfAway(_ x: Double) -> Int64 {
        let whole = Int64(x)
        return x - Double(whole) >= 0.5 ? whole + 1 : whole
    }

    /// Appends a finite float (shortest digits that round-trip to the same `Float`).
    static func appendFloat(_ v: Float, to out: inout [UInt8]) {
        if appendNonFinite(v.isNaN, v.isInfinite, v < 0, to: &out) { return }
        if v == v.rounded(.towardZero), v.magnitude < 16_777_216 {
            if v.sign == .minus { out.append(UInt8(ascii: "-")) }
            DecimalDigits.append(UInt64(v.magnitude), to: &out)
            appendASCII(".0", to: &out)
            return
        }
        appendDescription(v.description, to: &out)
    }

    private static func appendNonFinite(_ nan: Bool, _ infinite: Bool, _ negative: Bool, to out: inout [UInt8]) -> Bool {
        if nan {
            JSONWriter.writeString("NaN", into: &out)
        } else if infinite {
            JSONWriter.writeString(negative ? "-Infinity" : "Infinity", into: &out)
        } else {
            return false
        }
        return true
    }

    /// Swift's shortest round-trip description (`1e-05`, `1.5e+300`, `0.1`) is already a valid JSON number.
    private static func appendDescription(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { out.append(contentsOf: $0) }
    }
}
