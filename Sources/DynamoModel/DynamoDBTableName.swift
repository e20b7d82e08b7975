/// DynamoDB's rule for table names: 3 to 255 characters, each a letter, a digit, `_`, `.` or `-`.
public enum DynamoDBTableName {
    /// How long a table name may be.
    public static let lengths = 3...255

    /// The rule, as the end of a sentence.
    public static let rule = "DynamoDB table names are 3 to 255 letters, digits, underscores (_), dots (.) and hyphens (-)"

    /// True for the bytes a table name may hold.
    public static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    /// True when `name` is a valid table name.
    public static func isValid(_ name: String) -> Bool {
        lengths.contains(name.utf8.count) && name.utf8.allSatisfy(isAllowed)
    }
}
