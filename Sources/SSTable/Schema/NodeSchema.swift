import CQL

/// The schema a Cassandra 3.0+ node keeps in its own `system_schema` keyspace, read from its
/// data directory with our own SSTable reader: keyspaces, user types, tables, columns, dropped
/// columns, indexes and views.
public enum NodeSchema {
    /// Keyspaces Cassandra owns; they are not user data.
    public static let systemKeyspaces: Set<String> = [
        "system", "system_schema", "system_auth", "system_distributed", "system_traces",
        "system_views", "system_virtual_schema", "dse_system", "dse_security", "dse_perf", "solr_admin",
    ]

    /// True if `dataDirectory` holds schema tables: `system_schema` (3.0+) or the 2.x
    /// `system.schema_*` tables.
    public static func isPresent(in dataDirectory: String) -> Bool {
        SSTableStorage.isDirectory(dataDirectory + "/system_schema") || LegacyNodeSchema.isPresent(in: dataDirectory)
    }

    /// Reads the node's schema under `dataDirectory` (the `data_file_directories` root): from
    /// `system_schema` (3.0+), else from the 2.x `system.schema_*` tables. Schema rows are merged
    /// and reconciled like any table, so the newest definition wins.
    public static func read(dataDirectory: String, now: Int64) throws -> CQLSchema {
        guard SSTableStorage.isDirectory(dataDirectory + "/system_schema") else {
            return try LegacyNodeSchema.read(dataDirectory: dataDirectory, now: now)
        }
        let folder = dataDirectory + "/system_schema"
        var locations: [String: TableLocation] = [:]
        for location in try SSTableDiscovery.folderTables(at: folder) { locations[location.table] = location }
        func rows(_ table: String) throws -> [RowValues] {
            guard let location = locations[table] else { return [] }
            let reader = try TableReader(location: location, schema: nil, now: now)
            var out: [RowValues] = []
            try reader.forEachRow { out.append(try RowValues($0)) }
            return out
        }
        // Key columns are not named in SSTables: `key` is keyspace_name, `column1`/`column2`
        // the clustering columns of each system_schema table.
        var keyspaces: [String] = []
        for row in try rows("keyspaces") {
            if let ks = row.text("key"), !systemKeyspaces.contains(ks) { keyspaces.append(ks) }
        }
        let userKeyspaces = Set(keyspaces)

        var typesByKeyspace: [String: [String: UserType]] = [:]
        var pendingTypes = try rows("types").filter { userKeyspaces.contains($0.text("key") ?? "") }
        // A type may use another type: resolve until nothing more resolves.
        while !pendingTypes.isEmpty {
            var unresolved: [RowValues] = []
            var lastError: (any Error)?
            for row in pendingTypes {
                let ks = row.text("key")!, name = row.text("column1") ?? ""
                let fieldNames = row.texts("field_names") ?? []
                do {
                    let fieldTypes = try (row.texts("field_types") ?? []).map {
                        try CQLTypeParser.parse(cql: $0, userTypes: typesByKeyspace[ks] ?? [:])
                    }
                    typesByKeyspace[ks, default: [:]][name] = UserType(keyspace: ks, name: name, fieldNames: fieldNames, fieldTypes: fieldTypes)
                } catch {
                    unresolved.append(row)
                    lastError = error
                }
            }
            if unresolved.count == pendingTypes.count {
                throw SSTableError(path: folder + "/types", "cannot resolve user types: \(lastError.map { "\($0)" } ?? "")")
            }
            pendingTypes = unresolved
        }

        var dropped: [String: [String: Int64]] = [:]
        for row in try rows("dropped_columns") {
            guard let ks = row.text("key"), let table = row.text("column1"), let column = row.text("column2"), let millis = row.long("dropped_time") else { continue }
            dropped["\(ks).\(table)", default: [:]][column] = millis * 1000
        }

        var columnsByTable: [String: [RowValues]] = [:]
        for row in try rows("columns") {
            guard let ks = row.text("key"), userKeyspaces.contains(ks), let table = row.text("column1") else { continue }
            columnsByTable["\(ks).\(table)", default: []].append(row)
        }

        var tables: [TableSchema] = []
        for row in try rows("tables") {
            guard let ks = row.text("key"), userKeyspaces.contains(ks), let name = row.text("column1") else { continue }
            let flags = Set(row.texts("flags") ?? [])
            let compact = flags.contains("dense") || flags.contains("super") || !flags.contains("compound")
            let table = try tableSchema(
                keyspace: ks, name: name, columns: columnsByTable["\(ks).\(name)"] ?? [], compact: compact,
                userTypes: typesByKeyspace[ks] ?? [:], dropped: dropped["\(ks).\(name)"] ?? [:], folder: folder)
            tables.append(table)
        }
        let userTypes = typesByKeyspace.values.flatMap(\.values).sorted { ($0.keyspace, $0.name) < ($1.keyspace, $1.name) }
        // Secondary indexes: options["target"] names the column, maybe as keys(c), values(c)…
        var indexes: [IndexSchema] = []
        for row in try rows("indexes") {
            guard let ks = row.text("key"), userKeyspaces.contains(ks), let table = row.text("column1"), let name = row.text("column2") else { continue }
            let options = row.textMap("options") ?? [:]
            var target = options["target"] ?? "", kind = "regular"
            for k in ["keys", "values", "entries", "full"] where target.hasPrefix(k + "(") && target.hasSuffix(")") {
                kind = k
                target = String(target.dropFirst(k.count + 1).dropLast())
            }
            let custom = row.text("kind") == "CUSTOM" ? options["class_name"] : nil
            indexes.append(IndexSchema(keyspace: ks, table: table, name: name, column: target.trimmingQuotes(), target: kind, customClass: custom))
        }
        // Materialized views: base table from `views`, key columns from `columns` (keyed by view name).
        var views: [ViewSchema] = []
        for row in try rows("views") {
            guard let ks = row.text("key"), userKeyspaces.contains(ks), let name = row.text("column1"), let base = row.text("base_table_name") else { continue }
            let columns = columnsByTable["\(ks).\(name)"] ?? []
            func keyColumns(_ kind: String) -> [String] {
                columns.filter { $0.text("kind") == kind }.sorted { ($0.int("position") ?? 0) < ($1.int("position") ?? 0) }.compactMap { $0.text("column2") }
            }
            views.append(ViewSchema(keyspace: ks, name: name, baseTable: base, partitionKey: keyColumns("partition_key"), clustering: keyColumns("clustering")))
        }
        return CQLSchema(
            keyspaces: keyspaces.sorted(), tables: tables.sorted { ($0.keyspace, $0.name) < ($1.keyspace, $1.name) }, userTypes: userTypes,
            indexes: indexes.sorted { ($0.keyspace, $0.table, $0.name) < ($1.keyspace, $1.table, $1.name) },
            views: views.sorted { ($0.keyspace, $0.name) < ($1.keyspace, $1.name) })
    }

    /// One table from its `system_schema.columns` rows. COMPACT STORAGE tables are shown as CQL
    /// shows them: a static-compact table's hidden clustering and value columns are dropped and its
    /// static columns become regular ones (`CompactTables`).
    static func tableSchema(
        keyspace: String, name: String, columns: [RowValues], compact: Bool, userTypes: [String: UserType],
        dropped: [String: Int64], folder: String
    ) throws -> TableSchema {
        var partitionKey: [(Int, ColumnSchema)] = [], clustering: [(Int, ColumnSchema)] = []
        var statics: [ColumnSchema] = [], regulars: [ColumnSchema] = []
        for row in columns {
            guard let column = row.text("column2"), let kind = row.text("kind"), let typeText = row.text("type") else { continue }
            var type: CQLType
            do { type = try CQLTypeParser.parse(cql: typeText, userTypes: userTypes) } catch {
                throw SSTableError(path: folder + "/columns", "\(keyspace).\(name).\(column): \(error)")
            }
            let position = row.int("position") ?? 0
            switch kind {
            case "partition_key": partitionKey.append((position, ColumnSchema(name: column, type: type, kind: .partitionKey)))
            case "clustering":
                if row.text("clustering_order") == "desc" { type = .reversed(type) }
                clustering.append((position, ColumnSchema(name: column, type: type, kind: .clustering)))
            case "static": statics.append(ColumnSchema(name: column, type: type, kind: .staticColumn))
            default: regulars.append(ColumnSchema(name: column, type: type, kind: .regular))
            }
        }
        var clusteringColumns = clustering.sorted { $0.0 < $1.0 }.map(\.1)
        if compact {
            // Hidden compact value column (EmptyType) carries nothing.
            regulars.removeAll { $0.type == .empty }
            if !statics.isEmpty && regulars.isEmpty {
                clusteringColumns = []
                regulars = statics.map { ColumnSchema(name: $0.name, type: $0.type, kind: .regular) }
                statics = []
            }
        }
        return TableSchema(
            keyspace: keyspace, name: name, partitionKey: partitionKey.sorted { $0.0 < $1.0 }.map(\.1),
            clustering: clusteringColumns, staticColumns: statics.sorted { $0.name < $1.name },
            regularColumns: regulars.sorted { $0.name < $1.name }, isCompactStorage: compact, droppedColumns: dropped)
    }
}

extension String {
    /// `"Name"` → `Name` (a quoted CQL identifier in index targets).
    func trimmingQuotes() -> String {
        guard count >= 2, hasPrefix("\""), hasSuffix("\"") else { return self }
        var out = "", pendingQuote = false
        for ch in dropFirst().dropLast() {
            if ch == "\"" && pendingQuote { pendingQuote = false; continue }
            pendingQuote = ch == "\""
            out.append(ch)
        }
        return out
    }
}
