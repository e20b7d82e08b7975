/// One DynamoDB attribute value, as in the `AttributeValue` shape of the DynamoDB API.
///
/// Numbers are kept as their decimal text so no precision is lost; binary values are raw bytes
/// (base64 only on the wire).
public enum AttributeValue: Sendable, Hashable {
    /// A string (`S`).
    case s(String)
    /// A number (`N`) as decimal text, e.g. `"12.5"` or `"-1E+3"`.
    case n(String)
    /// Binary (`B`).
    case b([UInt8])
    /// A boolean (`BOOL`).
    case bool(Bool)
    /// The null value (`NULL: true`).
    case null
    /// A map of named values (`M`).
    case m([String: AttributeValue])
    /// An ordered list of values (`L`).
    case l([AttributeValue])
    /// A string set (`SS`); must be non-empty with unique members.
    case ss([String])
    /// A number set (`NS`); must be non-empty with unique members.
    case ns([String])
    /// A binary set (`BS`); must be non-empty with unique members.
    case bs([[UInt8]])

    /// The DynamoDB type descriptor: `S`, `N`, `B`, `BOOL`, `NULL`, `M`, `L`, `SS`, `NS` or `BS`.
    public var typeDescriptor: String {
        switch self {
        case .s: "S"
        case .n: "N"
        case .b: "B"
        case .bool: "BOOL"
        case .null: "NULL"
        case .m: "M"
        case .l: "L"
        case .ss: "SS"
        case .ns: "NS"
        case .bs: "BS"
        }
    }

    /// A number value from an integer.
    public static func number<I: BinaryInteger>(_ value: I) -> AttributeValue {
        .n(String(value))
    }

    /// The same value with set members sorted, recursively; useful to compare values whose set
    /// order is not significant.
    public var withSortedSets: AttributeValue {
        switch self {
        case .ss(let members): .ss(members.sorted())
        case .ns(let members): .ns(members.sorted())
        case .bs(let members): .bs(members.sorted { $0.lexicographicallyPrecedes($1) })
        case .m(let map): .m(map.mapValues(\.withSortedSets))
        case .l(let list): .l(list.map(\.withSortedSets))
        default: self
        }
    }
}

/// A DynamoDB item: attribute names mapped to values.
public typealias DynamoItem = [String: AttributeValue]
