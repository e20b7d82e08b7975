import CQL

/// A DynamoDB attribute type, as the mapping file names it.
public enum AttributeKind: String, Sendable, Hashable, Codable, CaseIterable {
    case S, N, B, BOOL, L, M, SS, NS, BS

    /// True for the types a key attribute may have (`S`, `N`, `B`).
    public var isKeyType: Bool { self == .S || self == .N || self == .B }
}

/// How `timestamp` values are stored.
public enum TimestampFormat: String, Sendable, Hashable, Codable, ChoiceValue {
    /// `N`: milliseconds since the epoch (sortable, usable as a key, compact).
    case epochMillis = "epoch_ms"
    /// `S`: ISO-8601 UTC, e.g. `2024-05-01T12:00:00.000Z`.
    case iso8601
}

/// How CQL sets are stored.
public enum SetFormat: String, Sendable, Hashable, Codable, ChoiceValue {
    /// `SS`/`NS`/`BS` when the element maps to `S`/`N`/`B`, else `L`.
    case set
    /// Always `L` (keeps element order; allows empty sets).
    case list
}

/// The default DynamoDB type of each CQL type.
public enum TypeMapping {
    /// The attribute type a value of `type` becomes; nil when the column holds no value (`empty`).
    public static func kind(of type: CQLType, timestamps: TimestampFormat = .epochMillis, sets: SetFormat = .set) -> AttributeKind? {
        switch type {
        case .ascii, .text, .uuid, .timeuuid, .inet, .date, .time, .duration: return .S
        case .tinyint, .smallint, .int, .bigint, .varint, .decimal, .float, .double, .counter: return .N
        case .blob, .custom: return .B
        case .boolean: return .BOOL
        case .timestamp: return timestamps == .epochMillis ? .N : .S
        case .empty: return nil
        case .list, .tuple: return .L
        case .set(let element, _):
            guard sets == .set else { return .L }
            switch kind(of: element, timestamps: timestamps, sets: sets) {
            case .S?: return .SS
            case .N?: return .NS
            case .B?: return .BS
            default: return .L
            }
        case .map, .udt: return .M
        case .reversed(let base): return kind(of: base, timestamps: timestamps, sets: sets)
        case .composite: return .S
        }
    }

    /// The type of a key attribute holding one column of `type`: its own type when that is `S`,
    /// `N` or `B`, else `S` (the value's text form).
    public static func keyKind(of type: CQLType, timestamps: TimestampFormat = .epochMillis) -> AttributeKind {
        let k = kind(of: type, timestamps: timestamps, sets: .set) ?? .S
        return k.isKeyType ? k : .S
    }

    /// True when DynamoDB's order of the single-column key attribute (`keyKind`) is Cassandra's
    /// order of `type` (ascending), so a lone clustering column can keep its own type.
    public static func nativeOrderMatches(_ type: CQLType, timestamps: TimestampFormat = .epochMillis) -> Bool {
        switch type.unreversed {
        case .ascii, .text, .tinyint, .smallint, .int, .bigint, .varint, .decimal, .blob: return true
        case .timestamp: return timestamps == .epochMillis
        default: return false
        }
    }
}
