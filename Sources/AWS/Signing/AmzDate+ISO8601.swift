extension AmzDate {
    /// Parses an ISO 8601 UTC time as AWS writes expirations: `yyyy-MM-dd'T'HH:mm:ss`, optional
    /// fractional seconds (dropped), then `Z` or `+00:00`; nil for anything else.
    public init?(iso8601 text: String) {
        var bytes = Array(text.utf8)
        if bytes.last == UInt8(ascii: "Z") {
            bytes.removeLast()
        } else if bytes.count > 6, String(decoding: bytes.suffix(6), as: UTF8.self) == "+00:00" {
            bytes.removeLast(6)
        } else {
            return nil
        }
        if bytes.count > 19, bytes[19] == UInt8(ascii: ".") {
            guard bytes[20...].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
            bytes.removeSubrange(19...)
        }
        guard bytes.count == 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":")
        else { return nil }
        var compact: [UInt8] = []
        for (index, byte) in bytes.enumerated() where ![4, 7, 13, 16].contains(index) {
            compact.append(byte)
        }
        compact.append(UInt8(ascii: "Z"))
        self.init(amzString: String(decoding: compact, as: UTF8.self))
    }
}
