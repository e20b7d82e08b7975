import CQL

/// How a table's CQL columns map onto the columns its SSTables store.
///
/// Every non-key column of the effective schema is a *slot*; each SSTable maps its header's
/// static and regular columns onto slots by name (a column an SSTable has but the schema has
/// not — dropped, or unknown — maps to no slot and is skipped).
struct TableLayout {
    struct Slot {
        var name: String
        /// The type values are decoded as: the first header's that has the column, as
        /// `HeaderCheck.layoutHeader` gives it (the schema's type wherever Cassandra reads the
        /// written values through it); the schema's if no header has the column.
        var type: CQLType
        /// True if the SSTables store the column in the static row.
        var isStatic: Bool
        var isComplex: Bool { type.isMultiCell }
        var isCounter: Bool { type.isCounter }
        /// Cells written at or before this time (µs) belong to a dropped incarnation of the column.
        var droppedAt: Int64
        /// The order of cell paths in a complex column.
        var pathType: CQLType {
            switch type.unreversed {
            case .list: return .timeuuid
            case .set(let e, _): return e
            case .map(let k, _, _): return k
            default: return .blob  // UDT field index, 2 bytes big-endian
            }
        }
    }

    let schema: TableSchema
    var slots: [Slot]
    /// True when output rows come from static rows alone (COMPACT STORAGE without clustering).
    let staticDriven: Bool
    /// Slots in CQL `SELECT *` order: static columns, then regular ones, each sorted by name.
    let outputOrder: [Int]
    /// Columns in output order: partition key, clustering, then slots in `outputOrder`.
    let outputColumns: [ColumnSchema]
    /// `"name":` as JSON, for each output column.
    let outputNames: [[UInt8]]

    init(schema: TableSchema, headers: [SerializationHeader]) {
        self.schema = schema
        var slots: [Slot] = []
        for column in schema.staticColumns + schema.regularColumns {
            var type = column.type
            var isStatic = column.kind == .staticColumn
            for header in headers {
                if let c = header.staticColumns.first(where: { $0.name == column.name }) {
                    type = c.type
                    isStatic = true
                    break
                }
                if let c = header.regularColumns.first(where: { $0.name == column.name }) {
                    type = c.type
                    isStatic = false
                    break
                }
            }
            slots.append(Slot(name: column.name, type: type, isStatic: isStatic, droppedAt: schema.droppedColumns[column.name] ?? .min))
        }
        self.slots = slots
        staticDriven = schema.clustering.isEmpty && !slots.isEmpty && slots.allSatisfy(\.isStatic)
        func jsonKey(_ name: String) -> [UInt8] {
            var bytes: [UInt8] = []
            JSONText.appendKey(name, to: &bytes)
            return bytes
        }
        let statics = Set(schema.staticColumns.map(\.name))
        let order = slots.indices.sorted { a, b in
            let sa = statics.contains(slots[a].name), sb = statics.contains(slots[b].name)
            if sa != sb { return sa }
            return Array(slots[a].name.utf8).lexicographicallyPrecedes(Array(slots[b].name.utf8))
        }
        outputOrder = order
        let kinds = Dictionary((schema.staticColumns + schema.regularColumns).map { ($0.name, $0.kind) }, uniquingKeysWith: { a, _ in a })
        // Slot columns carry the type their values are decoded as.
        outputColumns = schema.partitionKey + schema.clustering
            + order.map { ColumnSchema(name: slots[$0].name, type: slots[$0].type, kind: kinds[slots[$0].name] ?? .regular) }
        outputNames = outputColumns.map { jsonKey($0.name) }
    }

    /// For one header: static and regular header column index → slot; ``notRead`` for a
    /// dropped column, ``unknown`` for one the schema neither has nor records as dropped.
    func slotMaps(for header: SerializationHeader) -> (statics: [Int32], regulars: [Int32]) {
        func map(_ columns: [SerializationHeader.Column], isStatic: Bool) -> [Int32] {
            columns.map { c in
                guard let i = slots.firstIndex(where: { $0.name == c.name && $0.isStatic == isStatic }) else {
                    return isUnknown(c.name) ? Self.unknown : Self.notRead
                }
                return Int32(i)
            }
        }
        return (map(header.staticColumns, isStatic: true), map(header.regularColumns, isStatic: false))
    }

    static let notRead: Int32 = -1
    static let unknown: Int32 = -2

    /// A column name the schema neither has nor records as dropped.
    func isUnknown(_ name: String) -> Bool {
        !name.isEmpty && schema.droppedColumns[name] == nil && !(schema.staticColumns + schema.regularColumns).contains { $0.name == name }
    }

    /// The schema a header implies when no CQL schema is given, with Cassandra's default names
    /// for columns the SSTable does not name (`key`, `column1`, …).
    static func inferredSchema(keyspace: String?, table: String, header: SerializationHeader) -> TableSchema {
        let keyTypes = header.keyTypes
        let partitionKey = keyTypes.enumerated().map { i, t in
            ColumnSchema(name: i == 0 ? "key" : "key\(i + 1)", type: t, kind: .partitionKey)
        }
        // COMPACT STORAGE without clustering: one hidden clustering column, the columns static.
        let staticCompact = header.clusteringTypes.count == 1 && header.regularColumns.isEmpty && !header.staticColumns.isEmpty
        let clustering = staticCompact ? [] : header.clusteringTypes.enumerated().map { i, t in
            ColumnSchema(name: "column\(i + 1)", type: t, kind: .clustering)
        }
        let statics = header.staticColumns.map { ColumnSchema(name: $0.name, type: $0.type, kind: staticCompact ? .regular : .staticColumn) }
        let regulars = header.regularColumns.map { ColumnSchema(name: $0.name, type: $0.type, kind: .regular) }
        return TableSchema(
            keyspace: keyspace ?? "", name: table, partitionKey: partitionKey, clustering: clustering,
            staticColumns: staticCompact ? [] : statics, regularColumns: staticCompact ? statics : regulars,
            isCompactStorage: staticCompact)
    }
}
