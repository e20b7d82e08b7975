import Foundation
import TestSupport

/// A cassandra-medusa backup written into moto's S3 as medusa lays it out (`index.py`,
/// `storage/node_backup.py`, `backup_node.py`): per node `PREFIX/<fqdn>/<backup>/meta/` with
/// `manifest.json`, `schema.cql`, `tokenmap.json` (and `differential` in differential mode),
/// the SSTables under `PREFIX/<fqdn>/data/<ks>/<table>-<id>/` (differential) or
/// `PREFIX/<fqdn>/<backup>/data/<ks>/<table>-<id>/` (full), and the backup index
/// `PREFIX/index/backup_index/<backup>/{tokenmap,manifest,schema,started,finished}_<fqdn>…`.
struct MedusaFixture {
    struct Table {
        var keyspace = "legacy_tables"
        /// `<table>-<id>`.
        var folder: String
        /// The local folder and the files of it the backup holds (a file not there is listed in
        /// the manifest, not uploaded).
        var source: String
        var files: [String]
        /// Sizes the manifest gives instead of the files' own.
        var sizes: [String: Int] = [:]
    }

    struct Node {
        var fqdn: String
        var differential: Bool
        var tables: [Table]
    }

    var bucket: String
    var prefix: String

    /// The folder of a node's SSTables of `table`.
    func dataFolder(_ node: Node, backup: String, _ table: Table) -> String {
        "\(prefix)/\(node.fqdn)/\(node.differential ? "" : backup + "/")data/\(table.keyspace)/\(table.folder)"
    }

    /// The manifest medusa writes for a node: per table, each object's full key, MD5 and size.
    func manifest(_ node: Node, backup: String) throws -> String {
        let entries: [[String: Any]] = try node.tables.map { table in
            let objects: [[String: Any]] = try table.files.map { file in
                let size = try table.sizes[file] ?? FileManager.default.attributesOfItem(atPath: table.source + "/" + file)[.size] as! Int
                return ["path": dataFolder(node, backup: backup, table) + "/" + file, "MD5": "", "size": size]
            }
            return ["keyspace": table.keyspace, "columnfamily": table.folder, "objects": objects]
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: entries), as: UTF8.self)
    }

    /// Uploads the backup `backup` of `nodes`; `manifest` replaces a node's manifest text.
    func upload(_ moto: MotoServer, backup: String, nodes: [Node], manifest override: [String: String] = [:]) async throws {
        var files: [(path: String, key: String)] = []
        let folder = TestPaths.temporaryFolder("medusa")
        func text(_ name: String, _ content: String) throws -> String {
            let path = folder + "/" + name
            try content.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let index = "\(prefix)/index/backup_index/\(backup)"
        for node in nodes {
            for table in node.tables {
                files += table.files.filter { FileManager.default.fileExists(atPath: table.source + "/" + $0) }
                    .map { (table.source + "/" + $0, dataFolder(node, backup: backup, table) + "/" + $0) }
            }
            let manifest = try text("manifest-\(node.fqdn).json", try override[node.fqdn] ?? self.manifest(node, backup: backup))
            let schema = try text("schema.cql", "CREATE KEYSPACE legacy_tables WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3};\n")
            let tokenmap = try text("tokenmap-\(node.fqdn).json", "{\"\(node.fqdn)\": {\"tokens\": [0], \"is_up\": true, \"rack\": \"r1\", \"dc\": \"dc1\"}}")
            let meta = "\(prefix)/\(node.fqdn)/\(backup)/meta"
            files += [(manifest, meta + "/manifest.json"), (schema, meta + "/schema.cql"), (tokenmap, meta + "/tokenmap.json"),
                      (tokenmap, "\(index)/tokenmap_\(node.fqdn).json"), (schema, "\(index)/schema_\(node.fqdn).cql"),
                      (manifest, "\(index)/manifest_\(node.fqdn).json"),
                      (try text("started", "1750000000"), "\(index)/started_\(node.fqdn)_1750000000.timestamp"),
                      (try text("finished", "1750000100"), "\(index)/finished_\(node.fqdn)_1750000100.timestamp")]
            if node.differential {
                let marker = try text("differential", "differential")
                files += [(marker, meta + "/differential"), (marker, "\(index)/differential_\(node.fqdn)")]
            }
        }
        try await S3Fixture.upload(moto, bucket: bucket, files)
    }
}
