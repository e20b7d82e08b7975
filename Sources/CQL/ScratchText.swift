import HexCoding

/// Short pieces of text (numbers, UUIDs, dates) built in stack memory and appended to an output
/// buffer in one copy, instead of one `append` (and one uniqueness check) per byte.
struct ScratchText {
    let base: UnsafeMutablePointer<UInt8>
    /// Bytes written so far.
    var count = 0

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        base[count] = b
        count += 1
    }

    /// `v` in decimal, left-padded with zeros to `minDigits` (at most 20 digits plus padding).
    @inline(__always)
    mutating func digits(_ v: UInt64, minDigits: Int = 1) {
        var n = 1, t = v
        while t >= 10 { t /= 10; n += 1 }
        n = max(n, minDigits)
        var v = v
        var i = count + n
        while i > count {
            i -= 1
            base[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
        }
        count += n
    }

    /// `v / 10^fractionDigits` in plain decimal: the integer part without leading zeros (`0` when
    /// zero), `.`, then exactly `fractionDigits` digits. Only divisions by 10, which compile to
    /// multiplications.
    @inline(__always)
    mutating func fixedPoint(_ v: UInt64, fractionDigits: Int) {
        var n = 1, t = v
        while t >= 10 { t /= 10; n += 1 }
        n = max(n, fractionDigits + 1)
        var v = v
        var i = count + n + 1
        for _ in 0..<fractionDigits {
            i -= 1
            base[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
        }
        i -= 1
        base[i] = UInt8(ascii: ".")
        while i > count {
            i -= 1
            base[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
        }
        count += n + 1
    }

    private static let hexDigits: StaticString = "0123456789abcdef"

    private static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// Two decimal digits of `v` (< 100), moved as one 2-byte piece.
    @inline(__always)
    mutating func pair(_ v: UInt64) {
        let digits = UnsafeRawPointer(Self.digitPairs.utf8Start + Int(v) * 2).loadUnaligned(as: UInt16.self)
        UnsafeMutableRawPointer(base + count).storeBytes(of: digits, as: UInt16.self)
        count += 2
    }

    /// Lowercase hex of `bytes`.
    @inline(__always)
    mutating func hex(_ bytes: UnsafeRawBufferPointer) {
        Hex.write(bytes, to: base + count)
        count += 2 * bytes.count
    }
}

extension Array where Element == UInt8 {
    /// Appends what `body` writes into `capacity` bytes of scratch memory (stack for small sizes).
    @inline(__always)
    mutating func appendScratch(capacity: Int, _ body: (inout ScratchText) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Swift.max(capacity, 1)) { buffer in
            var text = ScratchText(base: buffer.baseAddress!)
            body(&text)
            append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress!, count: text.count))
        }
    }
}
