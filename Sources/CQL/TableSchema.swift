/// The kind of a CQL column.
public enum ColumnKind: String, Sendable, Hashable {
    case partitionKey = "partition_key"
    case clustering
    case staticColumn = "static"
    case regular
}

/// One column of a CQL table. A `DESC` clustering column has a `.reversed` type.
public struct ColumnSchema: Sendable, Hashable {
    public var name: String
    public var type: CQLType
    public var kind: ColumnKind

    public init(name: String, type: CQLType, kind: ColumnKind) {
        self.name = name
        self.type = type
        self.kind = kind
    }
}

/// A CQL table: keys in order, then static and regular columns in declaration order.
public struct TableSchema: Sendable, Hashable {
    public var keyspace: String
    public var name: String
    public var partitionKey: [ColumnSchema]
    public var clustering: [ColumnSchema]
    public var staticColumns: [ColumnSchema]
    public var regularColumns: [ColumnSchema]
    /// Declared `WITH COMPACT STORAGE`.
    public var isCompactStorage: Bool
    /// Columns dropped from the table, with the drop time in microseconds: cells of such a column
    /// written at or before that time are ignored.
    public var droppedColumns: [String: Int64]
    /// Table options from `WITH name = value` (other than CLUSTERING ORDER and COMPACT STORAGE),
    /// each value as normalized CQL text, e.g. `"compaction": "{'class': 'LeveledCompactionStrategy'}"`.
    public var options: [String: String]

    public init(
        keyspace: String, name: String, partitionKey: [ColumnSchema], clustering: [ColumnSchema] = [],
        staticColumns: [ColumnSchema] = [], regularColumns: [ColumnSchema] = [], isCompactStorage: Bool = false,
        droppedColumns: [String: Int64] = [:], options: [String: String] = [:]
    ) {
        self.keyspace = keyspace
        self.name = name
        self.partitionKey = partitionKey
        self.clustering = clustering
        self.staticColumns = staticColumns
        self.regularColumns = regularColumns
        self.isCompactStorage = isCompactStorage
        self.droppedColumns = droppedColumns
        self.options = options
    }

    /// All columns in CQL order: partition key, clustering, then the others.
    public var allColumns: [ColumnSchema] { partitionKey + clustering + staticColumns + regularColumns }

    /// The column with this name, if any.
    public func column(named name: String) -> ColumnSchema? { allColumns.first { $0.name == name } }

    /// True when any regular or static column is a counter.
    public var isCounterTable: Bool { (staticColumns + regularColumns).contains { $0.type.isCounter } }
}
