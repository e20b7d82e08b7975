import CQL

/// Finds the CQL schema of each table: from a schema file the user gives, else a `schema.cql`
/// beside the SSTables (as Cassandra snapshots keep it), else the node's own `system_schema`
/// when the table folder sits in a data directory, else none (3.0+ SSTables then describe
/// themselves, with Cassandra's default names for key columns).
///
/// A schema source is matched to the SSTables by, in turn: `--table KS.TABLE` (binding); the
/// folder's table id and a `WITH ID`; the keyspace and table the folder (or 2.x file names)
/// give; and, for a folder that does not name a Cassandra table (a copied snapshot, a restored
/// backup), the only table the source defines. A source that was given or found is never
/// ignored: anything else is an error naming the tables it holds.
public final class SchemaResolver {
    private let file: CQLSchema?
    private let fileName: String
    private let bindingText: String?
    /// How the user spells the binding (`--table` on the command line, `source.schemaTable` in the agent's API).
    private let bindingName: String
    private let binding: (keyspace: String, name: String)?
    private let now: Int64
    private var nodeSchemas: [String: CQLSchema] = [:]

    /// `file` is the parsed `--schema` file (named `fileName` in errors); `table` binds the
    /// SSTables to one table (`keyspace.table`, see ``binding(_:)``); `now` is passed to the
    /// reader of system tables (TTL expiry).
    public init(file: CQLSchema?, fileName: String = "schema file", table: String? = nil, tableOption: String = "--table", now: Int64) {
        self.file = file
        self.fileName = fileName
        self.now = now
        bindingText = table
        bindingName = tableOption
        binding = table.flatMap(Self.binding)
    }

    /// `keyspace.table` split in two; nil when it is not of that form.
    public static func binding(_ text: String) -> (keyspace: String, name: String)? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// The schema of one table, or nil when nothing describes it.
    public func schema(for location: TableLocation) throws -> TableSchema? { try resolve(location).schema }

    /// The schema of one table, and the location named after the table it was matched to.
    public func resolve(_ location: TableLocation) throws -> (location: TableLocation, schema: TableSchema?) {
        if let bindingText, binding == nil { throw SSTableError(path: bindingText, "\(bindingName) takes KEYSPACE.TABLE") }
        var source: (schema: CQLSchema, name: String)? = file.map { ($0, fileName) }
        for directory in location.directories where source == nil {
            let path = directory + "/schema.cql"
            guard SSTableStorage.exists(path) else { continue }
            let text = String(decoding: try SSTableStorage.open(path).readAll(limit: 64 << 20), as: UTF8.self)
            do { source = (try CQLSchema.parse(text), path) } catch { throw SSTableError(path: path, "\(error)") }
        }
        if let source {
            let table = try match(location, in: source.schema, named: source.name)
            return (Self.named(location, table), table)
        }
        for directory in location.directories {
            guard let dataDirectory = Self.dataDirectory(of: directory) else { continue }
            if nodeSchemas[dataDirectory] == nil {
                nodeSchemas[dataDirectory] = try NodeSchema.read(dataDirectory: dataDirectory, now: now)
            }
            if let table = try match(location, in: nodeSchemas[dataDirectory]!, named: dataDirectory + "/system_schema", orNil: true) {
                return (Self.named(location, table), table)
            }
        }
        guard let binding else { return (location, nil) }
        var bound = location
        try checkFileNames(location, against: binding)
        (bound.keyspace, bound.table) = (binding.keyspace, binding.name)
        return (bound, nil)
    }

    /// The table of `schema` that `location` holds (see the type's rules). `orNil`: a node's
    /// own schema that lacks the table gives nil (the header then describes it), not an error.
    private func match(_ location: TableLocation, in schema: CQLSchema, named source: String, orNil: Bool = false) throws -> TableSchema? {
        let holds = schema.tables.map { "\($0.keyspace).\($0.name)" }
        let list = holds.isEmpty ? "no table" : "the tables " + holds.joined(separator: ", ")
        if let binding {
            guard let table = schema.table(keyspace: binding.keyspace, name: binding.name) else {
                throw SSTableError(path: source, "\(bindingName) \(binding.keyspace).\(binding.name) is not defined here; it defines \(list)")
            }
            try checkFileNames(location, against: binding)
            try checkID(location, table, source: source)
            return table
        }
        if let id = location.folderID, let table = schema.tables.first(where: { Self.id(of: $0) == id }) {
            return table
        }
        if let table = schema.table(keyspace: location.keyspace, name: location.table) ?? schema.table(keyspace: nil, name: location.table) {
            try checkID(location, table, source: source)
            return table
        }
        if orNil { return nil }
        // A folder that names no Cassandra table (a copied snapshot, a restored backup) is the
        // table of a source that defines just one.
        if !location.isNamedByFiles, location.folderID == nil, schema.tables.count == 1 {
            return schema.tables[0]
        }
        throw SSTableError(path: source, "defines \(list), none for the SSTables of \(location.qualifiedName) in \(location.directories.first ?? ""); pass \(bindingName) KEYSPACE.TABLE")
    }

    /// 2.x file names name their own table: binding them to another is an error.
    private func checkFileNames(_ location: TableLocation, against binding: (keyspace: String, name: String)) throws {
        guard location.isNamedByFiles, location.keyspace != binding.keyspace || location.table != binding.name else { return }
        let path = location.sstables.first?.descriptor.dataPath ?? location.directories.first ?? ""
        throw SSTableError(path: path, "is an SSTable of \(location.qualifiedName) by its file name, not of \(bindingName) \(binding.keyspace).\(binding.name)")
    }

    /// A folder id and a `WITH ID` that differ name two different tables.
    private func checkID(_ location: TableLocation, _ table: TableSchema, source: String) throws {
        guard let folderID = location.folderID, let id = Self.id(of: table), id != folderID else { return }
        throw SSTableError(path: location.directories.first ?? source,
                           "the folder is table id \(folderID), but \(table.keyspace).\(table.name) in \(source) has WITH ID \(id)")
    }

    /// A table's `WITH ID = …` as 32 lowercase hex digits.
    static func id(of table: TableSchema) -> String? {
        table.options["id"].map { $0.lowercased().filter(\.isHexDigit) }.flatMap { $0.count == 32 ? $0 : nil }
    }

    /// `location` named after `table`.
    private static func named(_ location: TableLocation, _ table: TableSchema?) -> TableLocation {
        guard let table else { return location }
        var named = location
        (named.keyspace, named.table) = (table.keyspace, table.name)
        return named
    }

    /// The data directory holding a table folder (`<data>/<keyspace>/<table>[-<id>]`, or a
    /// snapshot of it), if it has `system_schema`.
    static func dataDirectory(of tableFolder: String) -> String? {
        var path = tableFolder
        if SSTableDiscovery.split(SSTableDiscovery.split(path).0).1 == "snapshots" {
            path = SSTableDiscovery.split(SSTableDiscovery.split(path).0).0
        } else if SSTableDiscovery.split(path).1 == "backups" {
            path = SSTableDiscovery.split(path).0
        }
        let candidate = SSTableDiscovery.split(SSTableDiscovery.split(path).0).0
        return NodeSchema.isPresent(in: candidate) ? candidate : nil
    }
}
