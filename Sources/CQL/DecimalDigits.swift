/// Appends a static string's UTF-8 bytes (no allocation).
@inline(__always)
func appendASCII(_ s: StaticString, to out: inout [UInt8]) {
    s.withUTF8Buffer { out.append(contentsOf: $0) }
}

/// Writes integers as ASCII decimal digits straight into an output buffer, without allocating.
package enum DecimalDigits {
    /// Appends `v` in decimal, left-padded with zeros to `minDigits`.
    static func append(_ v: UInt64, minDigits: Int = 1, to out: inout [UInt8]) {
        out.appendScratch(capacity: Swift.max(20, minDigits)) { $0.digits(v, minDigits: minDigits) }
    }

    /// Reverses `out[start...]` in place (swaps, so no slice copy).
    @inline(__always)
    static func reverseTail(_ out: inout [UInt8], from start: Int) {
        var i = start, j = out.count - 1
        while i < j {
            out.swapAt(i, j)
            i += 1
            j -= 1
        }
    }

    /// Appends `v` in decimal with a leading `-` when negative.
    package static func append(_ v: Int64, to out: inout [UInt8]) {
        out.appendScratch(capacity: 20) { text in
            if v < 0 { text.byte(UInt8(ascii: "-")) }
            text.digits(v.magnitude)
        }
    }

    /// Sign-extends a big-endian two's-complement value of 1...8 bytes.
    static func signExtend(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        var v: Int64 = bytes[0] & 0x80 != 0 ? -1 : 0
        for b in bytes { v = v << 8 | Int64(b) }
        return v
    }
}

/// Arbitrary-precision integers (`varint`, the unscaled part of `decimal`) turned into decimal
/// digits, with no dependencies: the magnitude is held as base-2^32 limbs in temporary storage.
enum BigIntegerDigits {
    /// True when the big-endian two's-complement value is negative.
    static func isNegative(_ bytes: UnsafeRawBufferPointer) -> Bool { bytes.count > 0 && bytes[0] & 0x80 != 0 }

    /// True when every byte is zero.
    static func isZero(_ bytes: UnsafeRawBufferPointer) -> Bool { !bytes.contains { $0 != 0 } }

    /// Appends the decimal digits of |value| (no sign) and returns how many were written.
    @discardableResult
    static func appendMagnitude(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) -> Int {
        let start = out.count
        if bytes.count <= 8 {
            guard bytes.count > 0 else { out.append(UInt8(ascii: "0")); return 1 }
            DecimalDigits.append(DecimalDigits.signExtend(bytes).magnitude, to: &out)
            return out.count - start
        }
        let negative = isNegative(bytes)
        let limbCount = (bytes.count + 3) / 4
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: limbCount) { limbs in
            // Little-endian limbs of the two's-complement bits, then negate to get the magnitude.
            for l in 0..<limbCount {
                var limb: UInt32 = 0
                for k in 0..<4 {
                    let byteIndex = bytes.count - 1 - (l * 4 + k)
                    let byte: UInt8 = byteIndex >= 0 ? bytes[byteIndex] : (negative ? 0xFF : 0)
                    limb |= UInt32(byte) << (8 * k)
                }
                limbs[l] = limb
            }
            if negative {
                var carry: UInt64 = 1
                for l in 0..<limbCount {
                    let sum = UInt64(~limbs[l]) + carry
                    limbs[l] = UInt32(truncatingIfNeeded: sum)
                    carry = sum >> 32
                }
            }
            var used = limbCount
            while used > 0 && limbs[used - 1] == 0 { used -= 1 }
            if used == 0 { out.append(UInt8(ascii: "0")); return }
            // Repeated division by 10^9; each remainder gives 9 digits, least significant first.
            while used > 0 {
                var remainder: UInt64 = 0
                var l = used - 1
                while l >= 0 {
                    let cur = remainder << 32 | UInt64(limbs[l])
                    limbs[l] = UInt32(cur / 1_000_000_000)
                    remainder = cur % 1_000_000_000
                    l -= 1
                }
                while used > 0 && limbs[used - 1] == 0 { used -= 1 }
                var r = remainder
                if used > 0 {
                    for _ in 0..<9 { out.append(UInt8(ascii: "0") &+ UInt8(r % 10)); r /= 10 }
                } else {
                    repeat { out.append(UInt8(ascii: "0") &+ UInt8(r % 10)); r /= 10 } while r != 0
                }
            }
            DecimalDigits.reverseTail(&out, from: start)
        }
        return out.count - start
    }

    /// Appends the value as a JSON number (`-123`).
    static func appendInteger(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        if bytes.count <= 8 {
            DecimalDigits.append(DecimalDigits.signExtend(bytes), to: &out)
            return
        }
        if isNegative(bytes) { out.append(UInt8(ascii: "-")) }
        appendMagnitude(bytes, to: &out)
    }
}
