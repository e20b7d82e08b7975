/// How a key attribute is made from its columns.
public enum KeyEncoding: String, Sendable, Hashable, Codable, ChoiceValue {
    /// One column, its own value (type `S`, `N` or `B`).
    case native
    /// Several columns' text forms joined with the table's key delimiter (`\` escapes the
    /// delimiter and itself); type `S`.
    case joined
    /// The order-preserving encoding of `OrderedKeyEncoding`; type `S`.
    case ordered
}

/// A key attribute (HASH or RANGE) of a table or index.
public struct KeyDesign: Sendable, Hashable, Codable {
    public var attribute: String
    public var type: AttributeKind
    public var columns: [String]
    public var encoding: KeyEncoding

    public init(attribute: String, type: AttributeKind, columns: [String], encoding: KeyEncoding) {
        self.attribute = attribute
        self.type = type
        self.columns = columns
        self.encoding = encoding
    }
}

/// One CQL column's attribute: its name in DynamoDB, its type, whether it is copied.
public struct AttributeDesign: Sendable, Hashable, Codable {
    public var column: String
    public var attribute: String
    /// The DynamoDB type the column's values get (informational; derived from the CQL type and options).
    public var type: AttributeKind?
    public var cqlType: String
    public var include: Bool

    public init(column: String, attribute: String, type: AttributeKind?, cqlType: String, include: Bool = true) {
        self.column = column
        self.attribute = attribute
        self.type = type
        self.cqlType = cqlType
        self.include = include
    }

    enum CodingKeys: String, CodingKey { case column, attribute, type, cqlType = "cql_type", include }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        column = try c.decode(String.self, forKey: .column)
        attribute = try c.decodeIfPresent(String.self, forKey: .attribute) ?? column
        type = try c.decodeIfPresent(AttributeKind.self, forKey: .type)
        cqlType = try c.decodeIfPresent(String.self, forKey: .cqlType) ?? ""
        include = try c.decodeIfPresent(Bool.self, forKey: .include) ?? true
    }
}

/// A proposed global secondary index.
public struct IndexDesign: Sendable, Hashable, Codable {
    public var name: String
    public var partitionKey: KeyDesign
    public var sortKey: KeyDesign?
    /// `ALL`, `KEYS_ONLY` or `INCLUDE`.
    public var projection: String
    /// What it replaces, e.g. `index users_by_email` or `materialized view users_by_city`.
    public var source: String

    public init(name: String, partitionKey: KeyDesign, sortKey: KeyDesign?, projection: String = "ALL", source: String) {
        self.name = name
        self.partitionKey = partitionKey
        self.sortKey = sortKey
        self.projection = projection
        self.source = source
    }

    enum CodingKeys: String, CodingKey { case name, partitionKey = "partition_key", sortKey = "sort_key", projection, source }
}

/// Where static columns go.
public enum StaticMode: String, Sendable, Hashable, Codable, ChoiceValue {
    /// Copied into every item of the partition.
    case copy
    /// One extra item per partition under the reserved sort key `static_sort_key`.
    case item
}

/// The DynamoDB TTL attribute: the row's expiry from its cells' TTLs, epoch seconds.
public struct TTLDesign: Sendable, Hashable, Codable {
    public var attribute: String
    /// Plan `UpdateTimeToLive` on this attribute.
    public var enabled: Bool

    public init(attribute: String, enabled: Bool) {
        self.attribute = attribute
        self.enabled = enabled
    }
}

/// The DynamoDB design of one CQL table: every choice the migration makes, editable in mapping.yaml.
public struct TableDesign: Sendable, Hashable, Codable {
    /// `keyspace.table`.
    public var source: String
    /// The DynamoDB table name.
    public var table: String
    /// `PAY_PER_REQUEST` (on-demand) or `PROVISIONED`.
    public var billingMode: String
    /// Read and write capacity units of a `PROVISIONED` table (and each of its indexes).
    public var readCapacity: Int?
    public var writeCapacity: Int?
    public var partitionKey: KeyDesign
    public var sortKey: KeyDesign?
    /// False when a lone `DESC` clustering column keeps its type: Query with `ScanIndexForward=false`.
    public var scanIndexForward: Bool
    public var statics: StaticMode
    public var staticSortKey: String
    /// Delimiter of joined keys.
    public var keyDelimiter: String
    public var ttl: TTLDesign?
    /// Attribute for the row's write time (max live cell timestamp, µs since the epoch); nil for none.
    public var writetimeAttribute: String?
    public var timestampFormat: TimestampFormat
    public var setFormat: SetFormat
    public var attributes: [AttributeDesign]
    public var indexes: [IndexDesign]
    public var policies: Policies
    /// Why the design is what it is, and what the user should know.
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case source, table, billingMode = "billing_mode", readCapacity = "read_capacity", writeCapacity = "write_capacity", partitionKey = "partition_key", sortKey = "sort_key"
        case scanIndexForward = "scan_index_forward", statics, staticSortKey = "static_sort_key", keyDelimiter = "key_delimiter"
        case ttl, writetimeAttribute = "writetime_attribute", timestampFormat = "timestamp_format", setFormat = "set_format"
        case attributes, indexes, policies, notes
    }

    public init(
        source: String, table: String, billingMode: String = "PAY_PER_REQUEST", partitionKey: KeyDesign, sortKey: KeyDesign?,
        scanIndexForward: Bool = true, statics: StaticMode = .copy, staticSortKey: String = "!static", keyDelimiter: String = "#",
        ttl: TTLDesign?, writetimeAttribute: String? = nil, timestampFormat: TimestampFormat = .epochMillis,
        setFormat: SetFormat = .set, attributes: [AttributeDesign], indexes: [IndexDesign] = [], policies: Policies = Policies(),
        notes: [String] = []
    ) {
        self.source = source
        self.table = table
        self.billingMode = billingMode
        self.partitionKey = partitionKey
        self.sortKey = sortKey
        self.scanIndexForward = scanIndexForward
        self.statics = statics
        self.staticSortKey = staticSortKey
        self.keyDelimiter = keyDelimiter
        self.ttl = ttl
        self.writetimeAttribute = writetimeAttribute
        self.timestampFormat = timestampFormat
        self.setFormat = setFormat
        self.attributes = attributes
        self.indexes = indexes
        self.policies = policies
        self.notes = notes
    }

    /// Missing optional fields take their defaults, so a hand-written mapping can be short.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        source = try c.decode(String.self, forKey: .source)
        table = try c.decodeIfPresent(String.self, forKey: .table) ?? String(source.split(separator: ".").last ?? "")
        billingMode = try c.decodeIfPresent(String.self, forKey: .billingMode) ?? "PAY_PER_REQUEST"
        readCapacity = try c.decodeIfPresent(Int.self, forKey: .readCapacity)
        writeCapacity = try c.decodeIfPresent(Int.self, forKey: .writeCapacity)
        partitionKey = try c.decode(KeyDesign.self, forKey: .partitionKey)
        sortKey = try c.decodeIfPresent(KeyDesign.self, forKey: .sortKey)
        scanIndexForward = try c.decodeIfPresent(Bool.self, forKey: .scanIndexForward) ?? true
        statics = try c.decodeIfPresent(StaticMode.self, forKey: .statics) ?? .copy
        staticSortKey = try c.decodeIfPresent(String.self, forKey: .staticSortKey) ?? "!static"
        keyDelimiter = try c.decodeIfPresent(String.self, forKey: .keyDelimiter) ?? "#"
        ttl = try c.decodeIfPresent(TTLDesign.self, forKey: .ttl)
        writetimeAttribute = try c.decodeIfPresent(String.self, forKey: .writetimeAttribute)
        timestampFormat = try c.decodeIfPresent(TimestampFormat.self, forKey: .timestampFormat) ?? .epochMillis
        setFormat = try c.decodeIfPresent(SetFormat.self, forKey: .setFormat) ?? .set
        attributes = try c.decodeIfPresent([AttributeDesign].self, forKey: .attributes) ?? []
        indexes = try c.decodeIfPresent([IndexDesign].self, forKey: .indexes) ?? []
        policies = try c.decodeIfPresent(Policies.self, forKey: .policies) ?? Policies()
        notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
    }

    /// The attribute a column is stored under (its own name unless renamed).
    public func attributeName(ofColumn column: String) -> String {
        attributes.first { $0.column == column }?.attribute ?? column
    }

    /// Every key attribute of the table and its indexes.
    public var allKeys: [KeyDesign] {
        [partitionKey] + (sortKey.map { [$0] } ?? []) + indexes.flatMap { [$0.partitionKey] + ($0.sortKey.map { [$0] } ?? []) }
    }
}

/// A whole `mapping.yaml`: one design per table.
public struct MappingFile: Sendable, Hashable, Codable {
    public var version: Int
    public var tables: [TableDesign]

    public init(version: Int = 1, tables: [TableDesign]) {
        self.version = version
        self.tables = tables
    }

    /// The design of `keyspace.table`.
    public func design(for source: String) -> TableDesign? { tables.first { $0.source == source } }
}
