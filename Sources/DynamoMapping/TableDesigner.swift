import CQL
import DynamoModel

/// Options for proposing designs (the defaults a DynamoDB expert would pick).
public struct DesignOptions: Sendable, Hashable {
    public var partitionKeyAttribute = "pk"
    public var sortKeyAttribute = "sk"
    public var ttlAttribute = "ttl"
    public var writetimeAttribute: String? = nil
    public var timestampFormat: TimestampFormat = .epochMillis
    public var setFormat: SetFormat = .set
    public var statics: StaticMode = .copy
    /// Prefix for DynamoDB table names (e.g. `prod_`); the target is `<prefix><table>`.
    public var tablePrefix = ""

    public init() {}
}

/// An error in a design or mapping file.
public struct MappingError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Proposes a `TableDesign` for a CQL table.
public enum TableDesigner {
    public static func propose(
        _ schema: TableSchema, indexes: [IndexSchema] = [], views: [ViewSchema] = [], options: DesignOptions = DesignOptions()
    ) -> TableDesign {
        var notes: [String] = []
        let ts = options.timestampFormat
        // Partition key.
        let pk: KeyDesign
        if schema.partitionKey.count == 1 {
            let c = schema.partitionKey[0]
            pk = KeyDesign(attribute: c.name, type: TypeMapping.keyKind(of: c.type, timestamps: ts), columns: [c.name], encoding: .native)
            if TypeMapping.keyKind(of: c.type, timestamps: ts) != TypeMapping.kind(of: c.type, timestamps: ts) {
                notes.append("Partition key \(c.name) (\(c.type.cqlName)) is stored as its text form (S): DynamoDB keys are S, N or B.")
            }
        } else {
            let names = schema.partitionKey.map(\.name)
            pk = KeyDesign(attribute: options.partitionKeyAttribute, type: .S, columns: names, encoding: .joined)
            notes.append("Composite partition key (\(names.joined(separator: ", "))) is joined into \(options.partitionKeyAttribute) with '#' ('\\' escapes); the columns stay as attributes.")
        }
        // Sort key.
        var sk: KeyDesign?
        var forward = true
        let itemStatics = options.statics == .item && !schema.staticColumns.isEmpty
        if schema.clustering.count == 1, !itemStatics, TypeMapping.nativeOrderMatches(schema.clustering[0].type, timestamps: ts) {
            let c = schema.clustering[0]
            sk = KeyDesign(attribute: c.name, type: TypeMapping.keyKind(of: c.type.unreversed, timestamps: ts), columns: [c.name], encoding: .native)
            if case .reversed = c.type {
                forward = false
                notes.append("Clustering column \(c.name) is DESC: Query with ScanIndexForward=false to read in Cassandra's order.")
            }
        } else if !schema.clustering.isEmpty {
            let names = schema.clustering.map(\.name)
            sk = KeyDesign(attribute: options.sortKeyAttribute, type: .S, columns: names, encoding: .ordered)
            let desc = schema.clustering.filter { if case .reversed = $0.type { return true } else { return false } }.map(\.name)
            notes.append(
                "Sort key \(options.sortKeyAttribute) encodes (\(names.joined(separator: ", "))) so DynamoDB's byte order is Cassandra's clustering order"
                    + (desc.isEmpty ? "" : " (DESC: \(desc.joined(separator: ", ")))") + "; the columns stay as attributes.")
        }
        // Columns.
        var attributes: [AttributeDesign] = []
        for c in schema.allColumns {
            let kind = TypeMapping.kind(of: c.type, timestamps: ts, sets: options.setFormat)
            attributes.append(AttributeDesign(column: c.name, attribute: c.name, type: kind, cqlType: c.type.unreversed.cqlName, include: kind != nil))
            if case .empty = c.type.unreversed { notes.append("Column \(c.name) holds no values (COMPACT STORAGE); left out.") }
        }
        for c in schema.allColumns where reserved(c.name, options) && !(pk.columns == [c.name] || sk?.columns == [c.name]) {
            notes.append("Column \(c.name) has the name of a generated attribute; rename it in attributes.")
        }
        if !schema.staticColumns.isEmpty {
            notes.append(options.statics == .copy
                ? "Static columns (\(schema.staticColumns.map(\.name).joined(separator: ", "))) are copied into every item of their partition."
                : "Static columns (\(schema.staticColumns.map(\.name).joined(separator: ", "))) go to one item per partition with sort key '!static'.")
        }
        if schema.isCounterTable {
            notes.append("Counter columns become plain numbers (N): DynamoDB has no counter type; use ADD updates after the move.")
        }
        var ttlEnabled = true
        if let d = schema.options["default_time_to_live"], let v = Int(d), v > 0 {
            notes.append("Table default TTL is \(v) s: every row gets a ttl attribute.")
        } else {
            ttlEnabled = true
        }
        // Indexes and views → GSIs.
        var gsis: [IndexDesign] = []
        for index in indexes where index.table == schema.name && index.keyspace == schema.keyspace {
            guard let column = schema.column(named: index.column) else { continue }
            if index.target != "regular" || column.type.isCollectionLike || index.customClass != nil {
                notes.append("Index \(index.name) (\(index.customClass ?? index.target) on \(index.column)) has no DynamoDB equivalent; no GSI proposed.")
                continue
            }
            if pk.columns == [column.name] {
                notes.append("Index \(index.name) is on the partition key; Query covers it, no GSI.")
                continue
            }
            let key = indexKey(columns: [column], attribute: "\(index.name)_pk", ordered: false, ts: ts)
            gsis.append(IndexDesign(name: index.name, partitionKey: key, sortKey: sk, projection: "ALL", source: "index \(index.name) on \(index.column)"))
        }
        for view in views where view.baseTable == schema.name && view.keyspace == schema.keyspace {
            let pkCols = view.partitionKey.compactMap { schema.column(named: $0) }
            let ckCols = view.clustering.compactMap { schema.column(named: $0) }
            guard !pkCols.isEmpty, pkCols.count == view.partitionKey.count else {
                notes.append("Materialized view \(view.name): key columns not in the table; no GSI proposed.")
                continue
            }
            let vpk = indexKey(columns: pkCols, attribute: "\(view.name)_pk", ordered: false, ts: ts)
            let vsk = ckCols.isEmpty ? nil : indexKey(columns: ckCols, attribute: "\(view.name)_sk", ordered: true, ts: ts)
            gsis.append(IndexDesign(name: view.name, partitionKey: vpk, sortKey: vsk, projection: "ALL", source: "materialized view \(view.name)"))
        }
        if !gsis.isEmpty {
            notes.append("GSIs are eventually consistent and add one write per item each; empty strings cannot be GSI key values.")
        }
        return TableDesign(
            source: "\(schema.keyspace).\(schema.name)", table: options.tablePrefix + schema.name, partitionKey: pk, sortKey: sk,
            scanIndexForward: forward, statics: options.statics, ttl: TTLDesign(attribute: options.ttlAttribute, enabled: ttlEnabled),
            writetimeAttribute: options.writetimeAttribute, timestampFormat: ts, setFormat: options.setFormat, attributes: attributes,
            indexes: gsis, notes: notes)
    }

    private static func reserved(_ name: String, _ o: DesignOptions) -> Bool {
        [o.partitionKeyAttribute, o.sortKeyAttribute, o.ttlAttribute, "_s3_attributes"].contains(name) || name == o.writetimeAttribute
    }

    /// An index key over `columns`: the column itself when it has a key type (and, for sort keys,
    /// Cassandra's order), else a derived attribute.
    private static func indexKey(columns: [ColumnSchema], attribute: String, ordered: Bool, ts: TimestampFormat) -> KeyDesign {
        if columns.count == 1 {
            let c = columns[0]
            let kind = TypeMapping.kind(of: c.type, timestamps: ts)
            if let kind, kind.isKeyType, !ordered || TypeMapping.nativeOrderMatches(c.type, timestamps: ts) {
                return KeyDesign(attribute: c.name, type: kind, columns: [c.name], encoding: .native)
            }
        }
        return KeyDesign(attribute: attribute, type: .S, columns: columns.map(\.name), encoding: ordered ? .ordered : .joined)
    }

    /// Problems that make a design unusable with `schema`; empty when it is fine.
    public static func validate(_ design: TableDesign, against schema: TableSchema) -> [String] {
        var errors: [String] = []
        let keyColumns = Set((schema.partitionKey + schema.clustering).map(\.name))
        for key in design.allKeys {
            if !key.type.isKeyType { errors.append("key attribute \(key.attribute) has type \(key.type.rawValue); keys are S, N or B") }
            if key.columns.isEmpty { errors.append("key attribute \(key.attribute) names no columns") }
            for c in key.columns where schema.column(named: c) == nil { errors.append("key attribute \(key.attribute): no column \(c)") }
            if key.encoding == .native, key.columns.count != 1 { errors.append("key attribute \(key.attribute): native encoding takes one column") }
            if key.encoding != .native, key.type != .S { errors.append("key attribute \(key.attribute): \(key.encoding.rawValue) keys are S") }
        }
        if design.partitionKey.columns != schema.partitionKey.map(\.name) {
            errors.append("partition_key must cover the partition key columns \(schema.partitionKey.map(\.name)) in order")
        }
        if design.sortKey?.columns ?? [] != schema.clustering.map(\.name) {
            errors.append("sort_key must cover the clustering columns \(schema.clustering.map(\.name)) in order")
        }
        if let sk = design.sortKey, sk.encoding == .native, let c = schema.column(named: sk.columns[0]),
            !TypeMapping.nativeOrderMatches(c.type, timestamps: design.timestampFormat)
        {
            errors.append("sort key \(sk.attribute): \(c.type.unreversed.cqlName) does not keep Cassandra's order natively; use encoding: ordered")
        }
        if design.statics == .item, !schema.staticColumns.isEmpty, design.sortKey?.encoding != .ordered {
            errors.append("statics: item needs an ordered (S) sort key to hold the reserved static sort key")
        }
        var seen: [String: String] = [:]
        for a in design.attributes where a.include {
            guard schema.column(named: a.column) != nil else {
                errors.append("attributes: no column \(a.column)")
                continue
            }
            if let other = seen[a.attribute] { errors.append("attribute \(a.attribute) is used by columns \(other) and \(a.column)") }
            seen[a.attribute] = a.column
        }
        for a in design.attributes where !a.include && keyColumns.contains(a.column) && design.allKeys.contains(where: { $0.encoding == .native && $0.columns == [a.column] && $0.attribute == a.attribute }) {
            errors.append("attributes: key column \(a.column) cannot be excluded")
        }
        if design.policies.oversizedItem == .s3 {
            if let url = design.policies.s3Location {
                do { _ = try S3Location(url: url) } catch { errors.append("policies.s3_location \(error)") }
            } else {
                errors.append("policies.oversized_item is s3 but policies.s3_location is not set")
            }
        }
        if design.keyDelimiter.utf8.count != 1 { errors.append("key_delimiter must be one ASCII character") }
        switch design.billingMode {
        case "PAY_PER_REQUEST": break
        case "PROVISIONED":
            if (design.readCapacity ?? 0) < 1 || (design.writeCapacity ?? 0) < 1 {
                errors.append("billing_mode PROVISIONED needs read_capacity and write_capacity of at least 1")
            }
        default: errors.append("billing_mode is \(design.billingMode); it is PAY_PER_REQUEST or PROVISIONED")
        }
        for index in design.indexes where !["ALL", "KEYS_ONLY"].contains(index.projection) {
            errors.append("index \(index.name): projection is ALL or KEYS_ONLY")
        }
        return errors
    }
}
