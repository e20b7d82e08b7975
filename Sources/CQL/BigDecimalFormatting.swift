/// `decimal` values printed as Java's `BigDecimal.toString()` prints them: plain notation when the
/// scale is non-negative and the adjusted exponent is at least −6 (`123.45`, `0.000123`), otherwise
/// scientific notation with one digit before the point (`1.2E+3`, `1.23E-8`).
enum BigDecimalFormatting {
    /// Appends `unscaled × 10^−scale`; `unscaled` is big-endian two's complement (non-empty).
    static func append(unscaled: UnsafeRawBufferPointer, scale: Int32, to out: inout [UInt8]) {
        if BigIntegerDigits.isNegative(unscaled) { out.append(UInt8(ascii: "-")) }
        let start = out.count
        let digitCount = BigIntegerDigits.appendMagnitude(unscaled, to: &out)
        let scale = Int64(scale)
        let adjusted = -scale + Int64(digitCount - 1)
        if scale == 0 { return }
        if scale > 0 && adjusted >= -6 {
            if Int64(digitCount) > scale {
                out.insert(UInt8(ascii: "."), at: out.count - Int(scale))
            } else {
                // 0.00ddd: "0." then (scale - digitCount) zeros before the digits.
                let zeros = Int(scale) - digitCount
                var prefix: [UInt8] = [UInt8(ascii: "0"), UInt8(ascii: ".")]
                prefix.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: zeros))
                out.insert(contentsOf: prefix, at: start)
            }
            return
        }
        if digitCount > 1 { out.insert(UInt8(ascii: "."), at: start + 1) }
        guard adjusted != 0 else { return }
        out.append(UInt8(ascii: "E"))
        if adjusted > 0 { out.append(UInt8(ascii: "+")) }
        DecimalDigits.append(adjusted, to: &out)
    }
}
