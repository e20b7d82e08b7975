import JSONCoding
import SSTable

/// A cassandra-medusa node backup's `meta/manifest.json`: a JSON array with one entry per table,
/// `{"keyspace", "columnfamily" (the table folder, `<table>-<id>`), "objects": [{"path", "MD5",
/// "size"}]}`, each path the object's full key (`[<prefix>/]<fqdn>/data/…` in differential mode,
/// `[<prefix>/]<fqdn>/<backup>/data/…` in full mode), as medusa's `backup_node.py` writes it.
struct MedusaManifest {
    struct Object {
        var key: String
        var size: Int64
    }

    struct Table {
        var keyspace: String
        /// The table folder name, `<table>-<id>`.
        var folder: String
        var objects: [Object]

        /// The node's data folder (key prefix) holding `<keyspace>/<folder>/`, from an object's key.
        func dataFolder(manifest url: String) throws(SSTableError) -> String? {
            guard let key = objects.first?.key else { return nil }
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            guard let at = parts.indices.dropLast(2).last(where: { $0 > 0 && parts[$0] == keyspace && parts[$0 + 1] == folder }) else {
                throw SSTableError(path: url, "object \(key) is not under \(keyspace)/\(folder)/ as its entry says: this is not a medusa manifest of this backup")
            }
            return parts[..<at].joined(separator: "/")
        }
    }

    var tables: [Table]

    /// Parses the manifest read from `url` (named in errors).
    static func parse(_ bytes: [UInt8], url: String) throws(SSTableError) -> MedusaManifest {
        let json: JSONValue
        do { json = try JSONValue.parse(bytes) } catch { throw SSTableError(path: url, "not JSON: \(error)") }
        guard let entries = json.arrayValue else { throw SSTableError(path: url, "not a medusa manifest: expected a JSON array of tables") }
        var tables: [Table] = []
        for (i, entry) in entries.enumerated() {
            guard let keyspace = entry["keyspace"]?.stringValue, let folder = entry["columnfamily"]?.stringValue,
                  let objects = entry["objects"]?.arrayValue
            else { throw SSTableError(path: url, "entry \(i + 1) lacks keyspace, columnfamily or objects: not a medusa manifest") }
            var table = Table(keyspace: keyspace, folder: folder, objects: [])
            for (j, object) in objects.enumerated() {
                guard let key = object["path"]?.stringValue, let size = object["size"]?.int64Value, size >= 0 else {
                    throw SSTableError(path: url, "\(keyspace)/\(folder): object \(j + 1) lacks a path or a size: not a medusa manifest")
                }
                table.objects.append(Object(key: key, size: size))
            }
            tables.append(table)
        }
        return MedusaManifest(tables: tables)
    }
}
