/// S3's rule for bucket names (general purpose buckets): 3 to 63 lowercase letters, digits, dots
/// and hyphens, starting and ending with a letter or digit, no two dots in a row, not an IPv4 address.
public enum S3BucketName {
    /// The rule, as the end of a sentence.
    public static let rule = "S3 bucket names are 3 to 63 lowercase letters, digits, dots (.) and hyphens (-), "
        + "start and end with a letter or digit, have no two dots in a row and are not an IP address"

    /// True when `name` is a valid bucket name.
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        func isAlphanumeric(_ b: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b)
        }
        guard (3...63).contains(bytes.count), isAlphanumeric(bytes.first!), isAlphanumeric(bytes.last!),
            bytes.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }),
            !name.contains("..")
        else { return false }
        return !isIPv4Address(name)
    }

    /// Four dot-separated decimal numbers, e.g. `192.168.5.4`.
    private static func isIPv4Address(_ name: String) -> Bool {
        let fields = name.split(separator: ".", omittingEmptySubsequences: false)
        return fields.count == 4 && fields.allSatisfy { field in !field.isEmpty && field.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }
    }
}
