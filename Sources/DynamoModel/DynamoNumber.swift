/// Validation and digit accounting for DynamoDB numbers.
///
/// DynamoDB numbers have at most 38 significant digits and a magnitude from 1E-130 to
/// 9.9999999999999999999999999999999999999E+125 (or zero); NaN and Infinity are invalid.
public enum DynamoNumber {
    /// The parts of a decimal literal.
    struct Parsed {
        var negative: Bool
        /// Significant digits with leading and trailing zeros removed (empty for zero).
        var digits: [UInt8]
        /// Decimal exponent of the first significant digit: value = 0.d1d2d3… × 10^(exponent).
        var exponent: Int
    }

    /// Parses `[-+]?digits[.digits][(e|E)[-+]?digits]`; nil for anything else.
    static func parse(_ text: String) -> Parsed? {
        var bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty else { return nil }
        var negative = false
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
            negative = bytes.first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var mantissa: [UInt8] = []
        var pointPosition: Int?
        var sawDigit = false
        while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            if byte == UInt8(ascii: ".") {
                guard pointPosition == nil else { return nil }
                pointPosition = mantissa.count
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                mantissa.append(byte - UInt8(ascii: "0"))
                sawDigit = true
            } else {
                return nil
            }
            bytes = bytes.dropFirst()
        }
        guard sawDigit else { return nil }
        var exponentPart = 0
        if !bytes.isEmpty {
            bytes = bytes.dropFirst()
            var expNegative = false
            if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
                expNegative = bytes.first == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
            for byte in bytes {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                exponentPart = exponentPart * 10 + Int(byte - UInt8(ascii: "0"))
            }
            if expNegative { exponentPart = -exponentPart }
        }
        let integerDigits = pointPosition ?? mantissa.count
        guard let firstNonZero = mantissa.firstIndex(where: { $0 != 0 }) else {
            return Parsed(negative: negative, digits: [], exponent: 0)
        }
        let lastNonZero = mantissa.lastIndex(where: { $0 != 0 })!
        let digits = Array(mantissa[firstNonZero...lastNonZero])
        let exponent = integerDigits - firstNonZero + exponentPart
        return Parsed(negative: negative, digits: digits, exponent: exponent)
    }

    /// True when `text` is a number DynamoDB accepts.
    public static func isValid(_ text: String) -> Bool {
        guard let parsed = parse(text) else { return false }
        if parsed.digits.isEmpty { return true }
        guard parsed.digits.count <= 38 else { return false }
        // value = 0.d × 10^exponent; smallest allowed 1E-130 → exponent ≥ -129; largest < 1E126 → exponent ≤ 126.
        return parsed.exponent >= -129 && parsed.exponent <= 126
    }

    /// The number of significant digits (leading and trailing zeros removed); 0 for zero, nil if not a number.
    public static func significantDigits(_ text: String) -> Int? {
        parse(text)?.digits.count
    }
}
