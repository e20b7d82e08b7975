/// What to do with a row when a value cannot be stored as mapped.
public enum RowAction: String, Sendable, Hashable, Codable, ChoiceValue {
    /// Stop the migration with an error naming the row.
    case fail
    /// Leave the row out and log it (counted in the report).
    case skip
}

/// What to do with a number DynamoDB cannot hold (NaN/±Infinity, more than 38 significant
/// digits, or a magnitude outside 1E-130…9.99E+125).
public enum NumberAction: String, Sendable, Hashable, Codable, ChoiceValue {
    /// Store the number's text as `S` (e.g. `"NaN"`) and count it.
    case string
    /// Leave the attribute out of the item and count it.
    case omit
    case fail
    case skip
}

/// What to do with an empty set (DynamoDB sets must have at least one member).
public enum EmptySetAction: String, Sendable, Hashable, Codable, ChoiceValue {
    /// Leave the attribute out (Cassandra reads an empty non-frozen set as null anyway).
    case omit
    /// Store an empty list (`L: []`).
    case list
    case fail
    case skip
}

/// What to do with an empty-string map key (DynamoDB rejects an empty attribute name at any depth).
public enum EmptyMapKeyAction: String, Sendable, Hashable, Codable, ChoiceValue {
    /// Leave that entry out of the map and count it.
    case omit
    case fail
    case skip
}

/// What to do with an item over DynamoDB's 400 KB limit.
public enum OversizeAction: String, Sendable, Hashable, Codable, ChoiceValue {
    case fail
    case skip
    /// Move the largest non-key attributes to S3 objects and keep `S` pointers (`s3://bucket/key`)
    /// in the item, their names listed in the `_s3_attributes` string set.
    case s3
}

/// What to do with cells of a column the SSTables store but the schema neither has nor records
/// as dropped (Cassandra itself refuses to read such a file).
public enum UnknownColumnAction: String, Sendable, Hashable, Codable, ChoiceValue {
    /// Stop with an error naming the columns and the SSTables.
    case fail
    /// Leave those cells out (not the rows) and count them in the report.
    case skip
}

/// The explicit policies for what DynamoDB cannot hold.
public struct Policies: Sendable, Hashable, Codable {
    /// Empty string or binary in a key attribute, or a key over DynamoDB's size limit
    /// (2048 bytes partition key, 1024 bytes sort key).
    public var invalidKey: RowAction = .fail
    public var nonFiniteNumber: NumberAction = .string
    public var numberOutOfRange: NumberAction = .string
    public var emptySet: EmptySetAction = .omit
    public var emptyMapKey: EmptyMapKeyAction = .fail
    public var oversizedItem: OversizeAction = .fail
    /// Where `oversized_item: s3` puts the attributes: `s3://bucket/prefix`.
    public var s3Location: String?
    public var unknownColumn: UnknownColumnAction = .fail

    public init() {}

    enum CodingKeys: String, CodingKey {
        case invalidKey = "invalid_key", nonFiniteNumber = "non_finite_number", numberOutOfRange = "number_out_of_range"
        case emptySet = "empty_set", emptyMapKey = "empty_map_key", oversizedItem = "oversized_item", s3Location = "s3_location"
        case unknownColumn = "unknown_column"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Policies.defaultValue
        invalidKey = try c.decodeIfPresent(RowAction.self, forKey: .invalidKey) ?? d.invalidKey
        nonFiniteNumber = try c.decodeIfPresent(NumberAction.self, forKey: .nonFiniteNumber) ?? d.nonFiniteNumber
        numberOutOfRange = try c.decodeIfPresent(NumberAction.self, forKey: .numberOutOfRange) ?? d.numberOutOfRange
        emptySet = try c.decodeIfPresent(EmptySetAction.self, forKey: .emptySet) ?? d.emptySet
        emptyMapKey = try c.decodeIfPresent(EmptyMapKeyAction.self, forKey: .emptyMapKey) ?? d.emptyMapKey
        oversizedItem = try c.decodeIfPresent(OversizeAction.self, forKey: .oversizedItem) ?? d.oversizedItem
        s3Location = try c.decodeIfPresent(String.self, forKey: .s3Location)
        unknownColumn = try c.decodeIfPresent(UnknownColumnAction.self, forKey: .unknownColumn) ?? d.unknownColumn
    }

    static let defaultValue = Policies()
}

/// The kinds of conversion issue the converter counts and the report lists.
public enum IssueKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case emptyKey = "empty_key"
    case keyTooLong = "key_too_long"
    case nonFiniteNumber = "non_finite_number"
    case numberOutOfRange = "number_out_of_range"
    case emptySet = "empty_set"
    case emptyMapKey = "empty_map_key"
    case oversizedItem = "oversized_item"
    case offloadedToS3 = "offloaded_to_s3"
    case staticOnlyPartition = "static_only_partition"
    case invalidValue = "invalid_value"
    case unknownColumn = "unknown_column"

    public static func < (a: IssueKind, b: IssueKind) -> Bool { a.rawValue < b.rawValue }

    /// One-line explanation for reports.
    public var explanation: String {
        switch self {
        case .emptyKey: "empty string or blob in a key attribute (DynamoDB rejects empty keys)"
        case .keyTooLong: "key attribute over DynamoDB's limit (2048 bytes partition key, 1024 bytes sort key)"
        case .nonFiniteNumber: "NaN or ±Infinity (DynamoDB numbers must be finite)"
        case .numberOutOfRange: "number with more than 38 significant digits or outside 1E-130…9.99E+125"
        case .emptySet: "empty set (DynamoDB sets must have at least one member)"
        case .emptyMapKey: "empty string as a map key (DynamoDB rejects empty attribute names, nested ones too)"
        case .oversizedItem: "item over DynamoDB's 400 KB limit"
        case .offloadedToS3: "item over 400 KB: large attributes stored in S3 with a pointer"
        case .staticOnlyPartition: "partition with static values and no rows, but the sort key cannot hold the reserved static value"
        case .invalidValue: "value that does not decode as its CQL type"
        case .unknownColumn: "cells of a column the SSTables store but the schema has not (counted in cells, not rows)"
        }
    }
}

/// How serious an issue is for the migration.
public enum Severity: String, Sendable, Hashable, Codable, Comparable {
    case info, warning, error
    private var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One value or row the mapping could not carry over as is.
public struct ConversionIssue: Error, Sendable, Hashable, CustomStringConvertible {
    public var kind: IssueKind
    public var column: String?
    public var message: String
    /// What the policy did: `fail`, `skip`, `string`, `omit`, `list`, `s3`.
    public var action: String

    public init(kind: IssueKind, column: String?, message: String, action: String) {
        self.kind = kind
        self.column = column
        self.message = message
        self.action = action
    }

    /// Severity: rows lost or a stopped migration are errors; changed values are warnings.
    public var severity: Severity {
        switch action {
        case "fail", "skip": return .error
        case "s3", "list": return .info
        default: return .warning
        }
    }

    public var description: String { "\(kind.rawValue)\(column.map { " in column \($0)" } ?? ""): \(message) (\(action))" }
}
