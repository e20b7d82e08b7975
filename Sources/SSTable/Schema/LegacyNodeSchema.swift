import CQL

/// The schema a Cassandra 2.x node keeps in its `system` keyspace (`schema_keyspaces`,
/// `schema_columnfamilies`, `schema_columns`, `schema_usertypes`), read with the 2.x reader.
/// Types there are marshal class strings; 2.0 keeps key and clustering names as JSON aliases.
enum LegacyNodeSchema {
    /// True if `dataDirectory` has 2.x schema tables.
    static func isPresent(in dataDirectory: String) -> Bool {
        guard let names = try? SSTableStorage.list(dataDirectory + "/system") else { return false }
        return names.contains { $0 == "schema_columnfamilies" || $0.hasPrefix("schema_columnfamilies-") }
    }

    /// The 2.x definitions of the schema tables, as far as this reader needs them.
    static let systemTables: [String: TableSchema] = {
        func t(_ name: String, _ key: [String], _ clustering: [String], _ regular: [(String, CQLType)]) -> TableSchema {
            TableSchema(
                keyspace: "system", name: name,
                partitionKey: key.map { ColumnSchema(name: $0, type: .text, kind: .partitionKey) },
                clustering: clustering.map { ColumnSchema(name: $0, type: .text, kind: .clustering) },
                regularColumns: regular.map { ColumnSchema(name: $0.0, type: $0.1, kind: .regular) })
        }
        return [
            "schema_keyspaces": t("schema_keyspaces", ["keyspace_name"], [], [("durable_writes", .boolean), ("strategy_class", .text), ("strategy_options", .text)]),
            "schema_columnfamilies": t(
                "schema_columnfamilies", ["keyspace_name"], ["columnfamily_name"],
                [("column_aliases", .text), ("comparator", .text), ("default_validator", .text),
                 ("dropped_columns", .map(.text, .bigint, frozen: false)), ("is_dense", .boolean), ("key_aliases", .text),
                 ("key_validator", .text), ("subcomparator", .text), ("type", .text), ("value_alias", .text)]),
            "schema_columns": t(
                "schema_columns", ["keyspace_name"], ["columnfamily_name", "column_name"],
                [("component_index", .int), ("index_name", .text), ("index_type", .text), ("type", .text), ("validator", .text)]),
            "schema_usertypes": t(
                "schema_usertypes", ["keyspace_name"], ["type_name"],
                [("field_names", .list(.text, frozen: false)), ("field_types", .list(.text, frozen: false))]),
        ]
    }()

    static func read(dataDirectory: String, now: Int64) throws -> CQLSchema {
        let folder = dataDirectory + "/system"
        var locations: [String: TableLocation] = [:]
        for location in try SSTableDiscovery.folderTables(at: folder) { locations[location.table] = location }
        func rows(_ table: String) throws -> [RowValues] {
            guard let location = locations[table] else { return [] }
            let reader = try TableReader(location: location, schema: systemTables[table], now: now)
            var out: [RowValues] = []
            try reader.forEachRow { out.append(try RowValues($0)) }
            return out
        }
        func marshal(_ text: String, _ what: String) throws -> CQLType {
            do { return try MarshalTypeParser.parse(text) } catch { throw SSTableError(path: folder, "\(what): \(error)") }
        }
        let keyspaces = try rows("schema_keyspaces").compactMap { $0.text("keyspace_name") }.filter { !NodeSchema.systemKeyspaces.contains($0) }
        let user = Set(keyspaces)

        var userTypes: [UserType] = []
        for row in try rows("schema_usertypes") {
            guard let ks = row.text("keyspace_name"), user.contains(ks), let name = row.text("type_name") else { continue }
            let types = try (row.texts("field_types") ?? []).map { try marshal($0, "\(ks).\(name)") }
            userTypes.append(UserType(keyspace: ks, name: name, fieldNames: row.texts("field_names") ?? [], fieldTypes: types))
        }

        var columnsByTable: [String: [RowValues]] = [:]
        var indexes: [IndexSchema] = []
        for row in try rows("schema_columns") {
            guard let ks = row.text("keyspace_name"), user.contains(ks), let table = row.text("columnfamily_name") else { continue }
            columnsByTable["\(ks).\(table)", default: []].append(row)
            if let index = row.text("index_name"), let column = row.text("column_name") {
                indexes.append(IndexSchema(keyspace: ks, table: table, name: index, column: column, customClass: row.text("index_type") == "CUSTOM" ? "custom" : nil))
            }
        }

        var tables: [TableSchema] = []
        for row in try rows("schema_columnfamilies") {
            guard let ks = row.text("keyspace_name"), user.contains(ks), let name = row.text("columnfamily_name") else { continue }
            tables.append(try tableSchema(ks, name, row, columnsByTable["\(ks).\(name)"] ?? [], marshal))
        }
        return CQLSchema(
            keyspaces: keyspaces.sorted(), tables: tables.sorted { ($0.keyspace, $0.name) < ($1.keyspace, $1.name) },
            userTypes: userTypes.sorted { ($0.keyspace, $0.name) < ($1.keyspace, $1.name) },
            indexes: indexes.sorted { ($0.keyspace, $0.table, $0.name) < ($1.keyspace, $1.table, $1.name) })
    }

    /// One table: columns from `schema_columns` (2.1+), or from the aliases and validators of
    /// `schema_columnfamilies` (2.0, which lists only regular columns).
    private static func tableSchema(
        _ ks: String, _ name: String, _ cf: RowValues, _ columns: [RowValues], _ marshal: (String, String) throws -> CQLType
    ) throws -> TableSchema {
        let comparator = try marshal(cf.text("comparator") ?? "UTF8Type", "\(ks).\(name) comparator")
        let compound: Bool = if case .composite = comparator { true } else { false }
        let compact = cf.bool("is_dense") == true || !compound
        var keys: [(Int, ColumnSchema)] = [], clustering: [(Int, ColumnSchema)] = []
        var statics: [ColumnSchema] = [], regulars: [ColumnSchema] = []
        for c in columns {
            guard let column = c.text("column_name"), let validator = c.text("validator") else { continue }
            let type = try marshal(validator, "\(ks).\(name).\(column)")
            let index = c.int("component_index") ?? 0
            switch c.text("type") ?? "regular" {
            case "partition_key": keys.append((index, ColumnSchema(name: column, type: type, kind: .partitionKey)))
            case "clustering_key": clustering.append((index, ColumnSchema(name: column, type: type, kind: .clustering)))
            case "static": statics.append(ColumnSchema(name: column, type: type, kind: .staticColumn))
            case "compact_value": if !column.isEmpty { regulars.append(ColumnSchema(name: column, type: type, kind: .regular)) }
            default: regulars.append(ColumnSchema(name: column, type: type, kind: .regular))
            }
        }
        if keys.isEmpty {
            // 2.0: key names in key_aliases (JSON list), types in key_validator.
            let keyType = try marshal(cf.text("key_validator") ?? "BytesType", "\(ks).\(name) key_validator")
            let keyTypes: [CQLType] = if case .composite(let parts) = keyType { parts } else { [keyType] }
            let names = jsonStrings(cf.text("key_aliases"))
            keys = keyTypes.enumerated().map { i, t in (i, ColumnSchema(name: i < names.count ? names[i] : (i == 0 ? "key" : "key\(i + 1)"), type: t, kind: .partitionKey)) }
        }
        let dense = cf.bool("is_dense") == true
        // Non-dense, non-compound COMPACT STORAGE: cell names are column names, no clustering.
        let staticCompact = compact && !dense && !compound
        if clustering.isEmpty, !staticCompact {
            // 2.0: clustering names in column_aliases, types from the comparator (a CQL3 table's
            // comparator ends with the column-name component and maybe ColumnToCollectionType).
            var parts: [CQLType] = if case .composite(let p) = comparator { p } else { [comparator] }
            if !dense {
                if case .custom(let c) = parts.last ?? .blob, c.hasPrefix("ColumnToCollectionType") { parts.removeLast() }
                parts.removeLast()
            }
            let names = jsonStrings(cf.text("column_aliases"))
            clustering = parts.enumerated().map { i, t in (i, ColumnSchema(name: i < names.count ? names[i] : "column\(i + 1)", type: t, kind: .clustering)) }
            if dense, regulars.isEmpty, let value = cf.text("value_alias"), !value.isEmpty {
                regulars.append(ColumnSchema(name: value, type: try marshal(cf.text("default_validator") ?? "BytesType", "\(ks).\(name) default_validator"), kind: .regular))
            }
        }
        var dropped: [String: Int64] = [:]
        if let map = cf.bigintMap("dropped_columns") { dropped = map }
        return TableSchema(
            keyspace: ks, name: name, partitionKey: keys.sorted { $0.0 < $1.0 }.map(\.1), clustering: clustering.sorted { $0.0 < $1.0 }.map(\.1),
            staticColumns: statics.sorted { $0.name < $1.name }, regularColumns: regulars.sorted { $0.name < $1.name },
            isCompactStorage: compact, droppedColumns: dropped)
    }

    /// `["a","b"]` → ["a", "b"] (the aliases 2.0 stores as JSON text).
    static func jsonStrings(_ text: String?) -> [String] {
        guard let text else { return [] }
        var out: [String] = [], current = "", inString = false, escaped = false
        for ch in text {
            if inString {
                if escaped { current.append(ch); escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { out.append(current); current = ""; inString = false } else { current.append(ch) }
            } else if ch == "\"" { inString = true }
        }
        return out
    }
}
