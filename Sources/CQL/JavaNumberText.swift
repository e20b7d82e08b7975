import HexCoding
/// The number syntaxes Cassandra's `fromString` accepts, through Java's parsers: `Long.parseLong`
/// (`[+-]?digits`), `new BigInteger(s)` and `new BigDecimal(s)`, and `Double.parseDouble`. Values
/// come out as Cassandra serializes them (`BigInteger.toByteArray`, `DecimalSerializer`).
enum JavaNumberText {
    /// `[+-]?[0-9]+` as Java's `Long.parseLong`/`Integer.parseInt` read it: the sign and the
    /// digits, or nil when the text is not of that form.
    static func integerParts(_ text: String) -> (negative: Bool, digits: Substring.UTF8View)? {
        var digits = Substring(text).utf8
        var negative = false
        if let first = digits.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy(isDigit) else { return nil }
        return (negative, digits)
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// The value of `[+-]?digits` when it fits an `Int64`; nil for other text or a larger value.
    static func int64(_ text: String) -> Int64? {
        guard let (negative, digits) = integerParts(text) else { return nil }
        var magnitude: UInt64 = 0
        for d in digits {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d - UInt8(ascii: "0")))
            guard !o1 && !o2 else { return nil }
            magnitude = s
        }
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// `BigInteger.toByteArray()` of the decimal `digits` with a sign: the shortest big-endian
    /// two's-complement bytes (`[0x00]` for zero).
    static func twosComplement(digits: some Sequence<UInt8>, negative: Bool) -> [UInt8] {
        // Little-endian base-2^32 limbs of the magnitude, fed 9 decimal digits at a time.
        var limbs: [UInt32] = []
        func multiplyAdd(_ factor: UInt64, _ addend: UInt64) {
            var carry = addend
            for i in limbs.indices {
                let v = UInt64(limbs[i]) * factor + carry
                limbs[i] = UInt32(truncatingIfNeeded: v)
                carry = v >> 32
            }
            while carry != 0 {
                limbs.append(UInt32(truncatingIfNeeded: carry))
                carry >>= 32
            }
        }
        var chunk: UInt64 = 0, chunkDigits = 0, power: UInt64 = 1
        for d in digits {
            chunk = chunk * 10 + UInt64(d - UInt8(ascii: "0"))
            chunkDigits += 1
            power *= 10
            if chunkDigits == 9 {
                multiplyAdd(power, chunk)
                chunk = 0; chunkDigits = 0; power = 1
            }
        }
        if chunkDigits > 0 { multiplyAdd(power, chunk) }
        var magnitude: [UInt8] = []
        for limb in limbs.reversed() {
            for shift in stride(from: 24, through: 0, by: -8) { magnitude.append(UInt8(truncatingIfNeeded: limb >> UInt32(shift))) }
        }
        let firstNonZero = magnitude.firstIndex { $0 != 0 } ?? magnitude.count
        magnitude.removeFirst(firstNonZero)
        guard !magnitude.isEmpty else { return [0] }
        if !negative { return magnitude[0] & 0x80 != 0 ? [0] + magnitude : magnitude }
        // Two's complement: invert, add one. The result's top bit must be set (else one 0xFF byte).
        var carry: UInt16 = 1
        for i in magnitude.indices.reversed() {
            let v = UInt16(~magnitude[i]) + carry
            magnitude[i] = UInt8(truncatingIfNeeded: v)
            carry = v >> 8
        }
        return magnitude[0] & 0x80 == 0 ? [0xFF] + magnitude : magnitude
    }

    /// `new BigInteger(text)`'s value as `toByteArray()`, or nil when the text is not `[+-]?digits`.
    static func bigInteger(_ text: String) -> [UInt8]? {
        guard let (negative, digits) = integerParts(text) else { return nil }
        return twosComplement(digits: digits, negative: negative)
    }

    /// Why `new BigDecimal(text)` fails, or its serialized form: int32 scale, then the unscaled
    /// value as `toByteArray()`. Syntax: `[+-]?(digits[.digits?]|.digits)([eE][+-]?digits)?`;
    /// the exponent and the scale (fraction digits minus exponent) must fit 32 bits.
    static func bigDecimal(_ text: String) -> Result<[UInt8], CQLValueError> {
        var bytes = Substring(text).utf8
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        let mantissaEnd = bytes.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") } ?? bytes.endIndex
        let mantissa = bytes[..<mantissaEnd]
        var digits: [UInt8] = []
        var fractionDigits: Int64 = 0
        var seenPoint = false
        for b in mantissa {
            if b == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if isDigit(b) {
                digits.append(b)
                if seenPoint { fractionDigits += 1 }
            } else {
                return .failure(CQLValueError("not a decimal number"))
            }
        }
        guard !digits.isEmpty else { return .failure(CQLValueError("not a decimal number")) }
        var exponent: Int64 = 0
        if mantissaEnd != bytes.endIndex {
            guard let e = int64(String(decoding: bytes[bytes.index(after: mantissaEnd)...], as: UTF8.self)) else {
                return .failure(CQLValueError("not a decimal number"))
            }
            guard Int32(exactly: e) != nil else { return .failure(CQLValueError("its exponent is out of range")) }
            exponent = e
        }
        let (scale, overflow) = fractionDigits.subtractingReportingOverflow(exponent)
        guard !overflow, let scale32 = Int32(exactly: scale) else { return .failure(CQLValueError("its scale is out of range")) }
        let scaleBytes = (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: scale32) >> UInt32(24 - 8 * $0)) }
        return .success(scaleBytes + twosComplement(digits: digits, negative: negative))
    }

    /// A Java floating-point literal (`Double.parseDouble`/`Float.parseFloat`) rewritten for Swift's
    /// parsers, or nil when Java refuses it: surrounding characters up to U+0020 ignored, `[+-]?`,
    /// then `NaN`, `Infinity`, a decimal (`1`, `1.`, `.5`, `1e-3`) or hex (`0x1.8p1`) significand,
    /// and an optional `f`/`F`/`d`/`D` suffix.
    static func floatLiteral(_ text: String) -> String? {
        var bytes = Substring(text).utf8
        while let f = bytes.first, f <= 0x20 { bytes = bytes.dropFirst() }
        while let l = bytes.last, l <= 0x20 { bytes = bytes.dropLast() }
        var sign = ""
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            if first == UInt8(ascii: "-") { sign = "-" }
            bytes = bytes.dropFirst()
        }
        let body = String(decoding: bytes, as: UTF8.self)
        if body == "NaN" { return "nan" }
        if body == "Infinity" { return sign + "inf" }
        if let last = bytes.last, "fFdD".utf8.contains(last) { bytes = bytes.dropLast() }
        let isHex = bytes.count > 2 && bytes.first == UInt8(ascii: "0") && (bytes.dropFirst().first == UInt8(ascii: "x") || bytes.dropFirst().first == UInt8(ascii: "X"))
        if isHex { bytes = bytes.dropFirst(2) }
        let exponentMarks: [UInt8] = isHex ? [UInt8(ascii: "p"), UInt8(ascii: "P")] : [UInt8(ascii: "e"), UInt8(ascii: "E")]
        let exponentStart = bytes.firstIndex { exponentMarks.contains($0) }
        guard !isHex || exponentStart != nil else { return nil }
        let significand = bytes[..<(exponentStart ?? bytes.endIndex)]
        func isSignificandDigit(_ b: UInt8) -> Bool { isHex ? Hex.value(ofDigit: b) != nil : isDigit(b) }
        let parts = significand.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ $0.allSatisfy(isSignificandDigit) }), parts.contains(where: { !$0.isEmpty }) else { return nil }
        var normalized = sign + (isHex ? "0x" : "")
        normalized += parts[0].isEmpty ? "0" : String(decoding: parts[0], as: UTF8.self)
        if parts.count == 2 && !parts[1].isEmpty { normalized += "." + String(decoding: parts[1], as: UTF8.self) }
        if let exponentStart {
            let exponent = String(decoding: bytes[bytes.index(after: exponentStart)...], as: UTF8.self)
            guard integerParts(exponent) != nil else { return nil }
            normalized += (isHex ? "p" : "e") + exponent
        }
        return normalized
    }
}
