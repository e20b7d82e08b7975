import HexCoding
/// `inet` address literals as `InetAddress.getByName` reads them (no host name lookup): IPv4
/// dotted quads (4 bytes) and IPv6 text with `::` and a trailing dotted quad, optionally in
/// brackets (16 bytes). An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) becomes its 4 IPv4 bytes,
/// as Java returns an `Inet4Address` for it.
enum InetParsing {
    static func address(_ text: String) -> [UInt8]? {
        var s = Substring(text)
        if s.hasPrefix("[") && s.hasSuffix("]") && s.count >= 2 { s = s.dropFirst().dropLast() }
        if let v4 = ipv4(s) { return v4 }
        guard let v6 = ipv6(s) else { return nil }
        let mapped = v6[0..<10].allSatisfy { $0 == 0 } && v6[10] == 0xFF && v6[11] == 0xFF
        return mapped ? Array(v6[12...]) : v6
    }

    /// `a.b.c.d`, each 0–255 in 1–3 decimal digits.
    static func ipv4(_ s: Substring) -> [UInt8]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for p in parts {
            guard (1...3).contains(p.utf8.count), p.utf8.allSatisfy(JavaNumberText.isDigit), let v = UInt8(p) else { return nil }
            out.append(v)
        }
        return out
    }

    /// Eight groups of 1–4 hex digits, `::` standing for one or more zero groups, and the last
    /// two groups optionally written as a dotted quad.
    static func ipv6(_ s: Substring) -> [UInt8]? {
        let halves = s.split(separator: "::", maxSplits: 2, omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return nil }
        guard let head = groups(halves[0], last: halves.count == 1) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1], last: true), head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    /// The bytes of colon-separated groups (empty text: none); a dotted quad may end the `last` part.
    private static func groups(_ s: Substring, last: Bool) -> [UInt8]? {
        guard !s.isEmpty else { return [] }
        var out: [UInt8] = []
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        for (i, p) in parts.enumerated() {
            if last && i == parts.count - 1 && p.contains(".") {
                guard let v4 = ipv4(p) else { return nil }
                out += v4
                continue
            }
            guard (1...4).contains(p.utf8.count), let v = UInt16(p, radix: 16), p.utf8.allSatisfy({ Hex.value(ofDigit: $0) != nil }) else { return nil }
            out += [UInt8(v >> 8), UInt8(v & 0xFF)]
        }
        return out
    }
}
