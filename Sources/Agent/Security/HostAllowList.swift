import Foundation

/// The hosts the operator lets the agent reach over SSH (`nodes.allowed_hosts`): exact host
/// names (any case), IP addresses, CIDR blocks (`10.0.0.0/8`, `fd00::/8`) and `*.domain`
/// patterns. Names are compared as written, never resolved: a CIDR block matches addresses only.
struct HostAllowList: Sendable {
    let patterns: [String]

    func allows(_ host: String) -> Bool {
        let host = host.lowercased()
        return patterns.contains { raw in
            let p = raw.lowercased()
            if p.hasPrefix("*.") { return host.hasSuffix(p.dropFirst()) && host.count > p.count - 1 }
            if let slash = p.firstIndex(of: "/") { return Self.inBlock(host, network: String(p[..<slash]), bits: Int(p[p.index(after: slash)...])) }
            if let a = Self.address(host), let b = Self.address(p) { return a == b }
            return host == p
        }
    }

    /// Whether the address `host` lies in `network/bits`.
    static func inBlock(_ host: String, network: String, bits: Int?) -> Bool {
        guard let a = address(host), let n = address(network), a.count == n.count, let bits, (0...a.count * 8).contains(bits) else { return false }
        for i in 0..<a.count {
            let left = bits - i * 8
            if left <= 0 { break }
            let mask: UInt8 = left >= 8 ? 0xff : ~(0xff >> UInt8(left))
            if a[i] & mask != n[i] & mask { return false }
        }
        return true
    }

    /// The bytes of an IPv4 or IPv6 address, nil for a name.
    static func address(_ text: String) -> [UInt8]? {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
