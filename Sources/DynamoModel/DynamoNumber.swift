/// Validation and digit accounting for DynamoDB numbers.
///
/// DynamoDB numbers have at most 38 significant digits and a magnitude from 1E-130 to
/// 9.9999999999999999999999999999999999999E+125 (or zero); NaN and Infinity are invalid.
public enum DynamoNumber {
    /// The parts of a decimal literal.
    struct Parsed {
        var negative: Bool
        /// Significant digits, leading and trailing zeros removed (0 for zero).
        var digitCount: Int
        /// Decimal exponent of the first significant digit: value = 0.d1d2d3… × 10^(exponent).
        var exponent: Int
    }

    /// Parses `[-+]?digits[.digits][(e|E)[-+]?digits]` from its UTF-8 bytes, without allocating;
    /// nil for anything else.
    static func parse(_ text: UnsafeRawBufferPointer) -> Parsed? {
        let n = text.count
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if text[0] == UInt8(ascii: "-") || text[0] == UInt8(ascii: "+") {
            negative = text[0] == UInt8(ascii: "-")
            i = 1
        }
        // Positions count mantissa digits only (the point is not one).
        var mantissaDigits = 0
        var pointPosition: Int?
        var firstNonZero: Int?
        var lastNonZero = 0
        while i < n, text[i] != UInt8(ascii: "e"), text[i] != UInt8(ascii: "E") {
            let byte = text[i]
            if byte == UInt8(ascii: ".") {
                guard pointPosition == nil else { return nil }
                pointPosition = mantissaDigits
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if byte != UInt8(ascii: "0") {
                    if firstNonZero == nil { firstNonZero = mantissaDigits }
                    lastNonZero = mantissaDigits
                }
                mantissaDigits += 1
            } else {
                return nil
            }
            i += 1
        }
        guard mantissaDigits > 0 else { return nil }
        var exponentPart = 0
        if i < n {
            i += 1
            var expNegative = false
            if i < n, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
                expNegative = text[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < n, n - i <= 9 else { return nil }
            while i < n {
                let byte = text[i]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                exponentPart = exponentPart * 10 + Int(byte - UInt8(ascii: "0"))
                i += 1
            }
            if expNegative { exponentPart = -exponentPart }
        }
        guard let firstNonZero else { return Parsed(negative: negative, digitCount: 0, exponent: 0) }
        let integerDigits = pointPosition ?? mantissaDigits
        return Parsed(negative: negative, digitCount: lastNonZero - firstNonZero + 1, exponent: integerDigits - firstNonZero + exponentPart)
    }

    /// True when `text` is a number DynamoDB accepts.
    public static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isValid(UnsafeRawBufferPointer($0)) }
    }

    /// True when the UTF-8 `text` is a number DynamoDB accepts.
    public static func isValid(_ text: UnsafeRawBufferPointer) -> Bool {
        parse(text).map(isValid) ?? false
    }

    /// True when a parsed literal is a number DynamoDB accepts.
    static func isValid(_ parsed: Parsed) -> Bool {
        if parsed.digitCount == 0 { return true }
        guard parsed.digitCount <= 38 else { return false }
        // value = 0.d × 10^exponent; smallest allowed 1E-130 → exponent ≥ -129; largest < 1E126 → exponent ≤ 126.
        return parsed.exponent >= -129 && parsed.exponent <= 126
    }

    /// The number of significant digits (leading and trailing zeros removed); 0 for zero, nil if not a number.
    public static func significantDigits(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { significantDigits(UnsafeRawBufferPointer($0)) }
    }

    /// `significantDigits` of UTF-8 text.
    public static func significantDigits(_ text: UnsafeRawBufferPointer) -> Int? {
        parse(text)?.digitCount
    }
}
