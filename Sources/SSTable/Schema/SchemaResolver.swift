import CQL

/// Finds the CQL schema of each table: from a schema file the user gives, else a `schema.cql`
/// beside the SSTables (as Cassandra snapshots keep it), else the node's own `system_schema`
/// when the table folder sits in a data directory, else none (3.0+ SSTables then describe
/// themselves, with Cassandra's default names for key columns).
public final class SchemaResolver {
    private let file: CQLSchema?
    private let fileName: String
    private let now: Int64
    private var nodeSchemas: [String: CQLSchema] = [:]

    /// `file` is the parsed `--schema` file (named `fileName` in errors); `now` is passed to the
    /// reader of system tables (TTL expiry).
    public init(file: CQLSchema?, fileName: String = "schema file", now: Int64) {
        self.file = file
        self.fileName = fileName
        self.now = now
    }

    /// The schema of one table, or nil when nothing describes it.
    public func schema(for location: TableLocation) throws -> TableSchema? {
        if let file {
            guard let table = Self.find(location, in: file) else {
                throw SSTableError(path: fileName, "no CREATE TABLE for \(location.keyspace.map { "\($0)." } ?? "")\(location.table)")
            }
            return table
        }
        for directory in location.directories {
            let path = directory + "/schema.cql"
            guard ReadOnlyFile.exists(path) else { continue }
            let text = String(decoding: try ReadOnlyFile(path).readAll(limit: 64 << 20), as: UTF8.self)
            let parsed: CQLSchema
            do { parsed = try CQLSchema.parse(text) } catch { throw SSTableError(path: path, "\(error)") }
            if let table = Self.find(location, in: parsed) { return table }
        }
        for directory in location.directories {
            guard let dataDirectory = Self.dataDirectory(of: directory) else { continue }
            if nodeSchemas[dataDirectory] == nil {
                nodeSchemas[dataDirectory] = try NodeSchema.read(dataDirectory: dataDirectory, now: now)
            }
            if let table = Self.find(location, in: nodeSchemas[dataDirectory]!) { return table }
        }
        return nil
    }

    private static func find(_ location: TableLocation, in schema: CQLSchema) -> TableSchema? {
        schema.table(keyspace: location.keyspace, name: location.table) ?? schema.table(keyspace: nil, name: location.table)
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
