/// DynamoDB's item-size accounting, following the "Item sizes and formats" rules of the
/// DynamoDB developer guide. It is what capacity units and the 400 KB item limit are based on.
///
/// - String: UTF-8 bytes. Binary: raw bytes. BOOL and NULL: 1 byte.
/// - Number: 1 byte per two significant digits (rounded up) plus 1 byte.
/// - List and Map: 3 bytes plus, per element, its size and 1 byte (map elements add their name).
///   The per-element byte is conservative; AWS documents the 3-byte overhead only.
/// - Sets: the sum of their members' sizes.
public enum ItemSize {
    /// The largest item DynamoDB stores, names included (400 KB).
    public static let maximumItemBytes = 400 * 1024

    /// The size of `item` in bytes: the sum of each attribute's name length and value size.
    public static func of(_ item: DynamoItem) -> Int {
        var total = 0
        for (name, value) in item {
            total += name.utf8.count + of(value)
        }
        return total
    }

    /// The size of one value, without its attribute name.
    public static func of(_ value: AttributeValue) -> Int {
        switch value {
        case .s(let text): return text.utf8.count
        case .n(let text): return numberSize(text)
        case .b(let bytes): return bytes.count
        case .bool, .null: return 1
        case .ss(let members): return members.reduce(0) { $0 + $1.utf8.count }
        case .ns(let members): return members.reduce(0) { $0 + numberSize($1) }
        case .bs(let members): return members.reduce(0) { $0 + $1.count }
        case .l(let elements): return elements.reduce(3) { $0 + of($1) + 1 }
        case .m(let map): return map.reduce(3) { $0 + $1.key.utf8.count + of($1.value) + 1 }
        }
    }

    /// The size of a number: ceil(significant digits / 2) + 1. Text that is not a number is
    /// counted as if every character were a digit, so invalid input never looks smaller.
    public static func numberSize(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { numberSize(UnsafeRawBufferPointer($0)) }
    }

    /// `numberSize` of UTF-8 text, counted without allocating.
    public static func numberSize(_ text: UnsafeRawBufferPointer) -> Int {
        numberSize(digits: DynamoNumber.significantDigits(text) ?? text.count)
    }

    /// The size of a number DynamoDB accepts (`DynamoNumber.isValid`),
    /// from one reading of its UTF-8 text; nil for text DynamoDB does not accept.
    public static func validNumberSize(_ text: UnsafeRawBufferPointer) -> Int? {
        guard let parsed = DynamoNumber.parse(text), DynamoNumber.isValid(parsed) else { return nil }
        return numberSize(digits: parsed.digitCount)
    }

    private static func numberSize(digits: Int) -> Int { (max(digits, 1) + 1) / 2 + 1 }
}
