/// A CQL data type, as Cassandra's marshal classes (`org.apache.cassandra.db.marshal.*`) and
/// CQL type strings describe it.
public indirect enum CQLType: Sendable, Hashable {
    case ascii, text, tinyint, smallint, int, bigint, varint, decimal, float, double, boolean
    case blob, uuid, timeuuid, inet, timestamp, date, time, duration, counter
    /// `EmptyType`: the hidden, always-empty value column of some COMPACT STORAGE tables.
    case empty
    case list(CQLType, frozen: Bool)
    case set(CQLType, frozen: Bool)
    case map(CQLType, CQLType, frozen: Bool)
    /// Tuples are always frozen.
    case tuple([CQLType])
    case udt(UserType, frozen: Bool)
    /// A clustering column declared `DESC`: values sort in the reverse order of the base type.
    case reversed(CQLType)
    /// `CompositeType(...)`: a multi-column partition key (or a 2.x cell-name comparator).
    case composite([CQLType])
    /// A marshal class this reader does not know; its values are opaque bytes.
    case custom(String)

    /// The type without a `reversed` wrapper.
    public var unreversed: CQLType {
        if case .reversed(let base) = self { return base.unreversed }
        return self
    }

    /// True for non-frozen collections and UDTs, which Cassandra stores one cell per element.
    public var isMultiCell: Bool {
        switch self {
        case .list(_, let frozen), .set(_, let frozen), .map(_, _, let frozen), .udt(_, let frozen): return !frozen
        case .reversed(let base): return base.isMultiCell
        default: return false
        }
    }

    /// The same type with `frozen` set at the top level (nested types are always frozen).
    public var frozen: CQLType {
        switch self {
        case .list(let e, _): return .list(e, frozen: true)
        case .set(let e, _): return .set(e, frozen: true)
        case .map(let k, let v, _): return .map(k, v, frozen: true)
        case .udt(let u, _): return .udt(u, frozen: true)
        default: return self
        }
    }

    /// The serialized width when the type is written without a length prefix in 3.0+ SSTables
    /// (`AbstractType.valueLengthIfFixed`); nil when values carry a length.
    public var fixedLength: Int? {
        switch self {
        case .boolean: return 1
        case .int, .float: return 4
        case .bigint, .double, .timestamp: return 8
        case .uuid, .timeuuid: return 16
        case .empty: return 0
        case .reversed(let base): return base.fixedLength
        default: return nil
        }
    }

    /// True for `counter` columns.
    public var isCounter: Bool { unreversed == .counter }
}

/// A user-defined type: its keyspace, name and fields in declaration order.
public struct UserType: Sendable, Hashable {
    public var keyspace: String
    public var name: String
    public var fieldNames: [String]
    public var fieldTypes: [CQLType]

    public init(keyspace: String, name: String, fieldNames: [String], fieldTypes: [CQLType]) {
        self.keyspace = keyspace
        self.name = name
        self.fieldNames = fieldNames
        self.fieldTypes = fieldTypes
    }
}
