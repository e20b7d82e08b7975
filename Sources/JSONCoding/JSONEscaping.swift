import HexCoding

extension JSONWriter {
    /// Appends the escaped body of a JSON string (no quotes) as Cassandra writes JSON
    /// (`JsonUtils.quoteAsJsonString`, Jackson): `\"`, `\\`, `\b \t \n \f \r`, other control
    /// characters as `\u00XX`; other characters, including non-ASCII, pass through. Invalid UTF-8
    /// (or, with `asciiOnly`, any byte above 0x7F) becomes U+FFFD, as Java's decoder does.
    public static func escape(_ bytes: UnsafeRawBufferPointer, asciiOnly: Bool = false, into out: inout [UInt8]) {
        let n = bytes.count
        var i = 0
        var runStart = 0
        @inline(__always) func flush(_ end: Int) {
            if end > runStart { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<end])) }
        }
        while i < n {
            let b = bytes[i]
            if b >= 0x20 && b < 0x80 {
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                    flush(i)
                    out.append(UInt8(ascii: "\\"))
                    out.append(b)
                    i += 1
                    runStart = i
                } else {
                    i += 1
                }
                continue
            }
            if b < 0x20 {
                flush(i)
                appendControl(b, to: &out)
                i += 1
                runStart = i
                continue
            }
            // Non-ASCII: a valid UTF-8 sequence stays in the run; anything else becomes U+FFFD.
            let length = asciiOnly ? 0 : validSequenceLength(bytes, at: i)
            if length > 0 {
                i += length
            } else {
                flush(i)
                writeRaw("\u{FFFD}", into: &out)
                i += asciiOnly ? 1 : max(1, invalidPrefixLength(bytes, at: i))
                runStart = i
            }
        }
        flush(n)
    }

    /// Whether `b` cannot stand unescaped in a JSON string.
    @inline(__always)
    public static func needsEscaping(_ b: UInt8) -> Bool {
        b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\")
    }

    private static func appendControl(_ b: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        switch b {
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x09: out.append(UInt8(ascii: "t"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        default:
            writeRaw("u00", into: &out)
            out.append(Hex.digit(b >> 4, uppercase: true))
            out.append(Hex.digit(b & 0xF, uppercase: true))
        }
    }

    /// The allowed range of the second byte after lead byte `b`, and the sequence length; nil
    /// when `b` cannot start a sequence.
    @inline(__always)
    private static func secondByteRange(_ b: UInt8) -> (ClosedRange<UInt8>, Int)? {
        switch b {
        case 0xC2...0xDF: return (0x80...0xBF, 2)
        case 0xE0: return (0xA0...0xBF, 3)
        case 0xE1...0xEC, 0xEE...0xEF: return (0x80...0xBF, 3)
        case 0xED: return (0x80...0x9F, 3)
        case 0xF0: return (0x90...0xBF, 4)
        case 0xF1...0xF3: return (0x80...0xBF, 4)
        case 0xF4: return (0x80...0x8F, 4)
        default: return nil
        }
    }

    /// The length of the valid UTF-8 sequence starting at `i`, or 0.
    private static func validSequenceLength(_ bytes: UnsafeRawBufferPointer, at i: Int) -> Int {
        guard let (second, length) = secondByteRange(bytes[i]), bytes.count - i >= length else { return 0 }
        guard second.contains(bytes[i + 1]) else { return 0 }
        for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 { return 0 }
        return length
    }

    /// The maximal subpart of an invalid sequence at `i` (replaced by one U+FFFD).
    private static func invalidPrefixLength(_ bytes: UnsafeRawBufferPointer, at i: Int) -> Int {
        guard let (second, length) = secondByteRange(bytes[i]) else { return 1 }
        guard i + 1 < bytes.count, second.contains(bytes[i + 1]) else { return 1 }
        var k = 2
        while k < length, i + k < bytes.count, bytes[i + k] & 0xC0 == 0x80 { k += 1 }
        return k
    }
}
