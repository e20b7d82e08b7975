/// An HTTP(S) endpoint: scheme, host, port and an optional base path.
public struct AWSEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// Host name or IP literal (IPv6 without brackets).
    public var host: String
    /// Explicit port, or nil for the scheme's default.
    public var port: Int?
    /// Path prefix without a trailing slash (usually empty).
    public var basePath: String
    /// True when the endpoint was configured (not derived from the region); S3 then uses path-style addressing.
    public var isCustom: Bool

    /// Parses `scheme://host[:port][/path]`; nil if it is not an http(s) URL.
    public init?(url: String, isCustom: Bool = true) {
        let lower = url.lowercased()
        let scheme: String
        if lower.hasPrefix("https://") { scheme = "https" } else if lower.hasPrefix("http://") { scheme = "http" } else { return nil }
        var rest = Substring(url.dropFirst(scheme.count + 3))
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[slash...])
            rest = rest[..<slash]
        }
        while path.hasSuffix("/") { path.removeLast() }
        var host = String(rest)
        var port: Int?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let value = Int(after.dropFirst()) else { return nil }
                port = value
            } else if !after.isEmpty {
                return nil
            }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            guard let value = Int(host[host.index(after: colon)...]) else { return nil }
            port = value
            host = String(host[..<colon])
        }
        guard !host.isEmpty, port.map({ (1...65535).contains($0) }) ?? true else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = path
        self.isCustom = isCustom
    }

    /// The AWS endpoint of `service` in `region`.
    public static func aws(service: AWSService, region: String) -> AWSEndpoint {
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return AWSEndpoint(url: "https://\(service.rawValue).\(region).\(suffix)", isCustom: false)!
    }

    /// `host[:port]` as the `Host` header carries it (the port only when not the scheme's default).
    public var hostHeader: String {
        hostHeader(forHost: host)
    }

    func hostHeader(forHost name: String) -> String {
        let bracketed = name.contains(":") ? "[\(name)]" : name
        guard let port, port != (scheme == "https" ? 443 : 80) else { return bracketed }
        return "\(bracketed):\(port)"
    }

    /// `scheme://host[:port]` followed by the base path.
    public var description: String {
        "\(scheme)://\(hostHeader)\(basePath)"
    }
}

/// The AWS services this module talks to.
public enum AWSService: String, Sendable, CaseIterable {
    /// Amazon DynamoDB (signing name `dynamodb`).
    case dynamodb
    /// Amazon S3 (signing name `s3`).
    case s3
    /// AWS Security Token Service, for web identity credentials.
    case sts

    /// The suffix of the service-specific endpoint variable (`AWS_ENDPOINT_URL_<ID>`).
    var environmentID: String { rawValue.uppercased() }
}
