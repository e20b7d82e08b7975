import SSTable

/// The tables of a cassandra-medusa backup, found through its index and manifests (never by
/// guessing from listings): `<prefix>/index/backup_index/<backup>/tokenmap_<fqdn>.json` names
/// each node of a backup, `<prefix>/<fqdn>/<backup>/meta/manifest.json` the node's files.
struct MedusaBackup {
    let listing: S3Listing
    /// The storage prefix (`""` or ending in `/`); nil when reading one node's backup folder.
    let root: String?

    /// Every node's tables of the backup `name`.
    func tables(backup name: String?, locator: S3SSTableLocator, url: String) throws(SSTableError) -> [TableLocation] {
        let root = root ?? ""
        let indexFolder = root + "index/backup_index/"
        let backups = try listing.children(of: indexFolder).folders.map { String($0.dropFirst(indexFolder.count).dropLast()) }.sorted()
        guard let name else {
            throw SSTableError(path: url, "holds cassandra-medusa backups (\(backups.joined(separator: ", "))): name one with --snapshot NAME")
        }
        guard backups.contains(name) else {
            throw SSTableError(path: url, "no medusa backup named '\(name)' (its backups: \(backups.joined(separator: ", ")))")
        }
        let nodes = try listing.children(of: indexFolder + name + "/").objects.keys.compactMap { key -> String? in
            let file = key.split(separator: "/").last.map(String.init) ?? ""
            guard file.hasPrefix("tokenmap_"), file.hasSuffix(".json") else { return nil }
            return String(file.dropFirst("tokenmap_".count).dropLast(".json".count))
        }.sorted()
        guard !nodes.isEmpty else {
            throw SSTableError(path: listing.url(ofKey: indexFolder + name + "/"), "names no node (no tokenmap_<fqdn>.json): the backup was not started or its index is damaged")
        }
        return try load(nodes.map { root + $0 + "/" + name + "/meta/manifest.json" }, locator: locator, url: url)
    }

    /// One node's tables of the backup in `backupFolder` (`…/<fqdn>/<backup>`).
    func nodeTables(backupFolder: String, locator: S3SSTableLocator, url: String) throws(SSTableError) -> [TableLocation] {
        try load([backupFolder + "/meta/manifest.json"], locator: locator, url: url)
    }

    /// Reads the manifests, checks that each object they list is there with its size, mounts a
    /// store of exactly those objects and discovers each user table's folder in it.
    private func load(_ manifestKeys: [String], locator: S3SSTableLocator, url: String) throws(SSTableError) -> [TableLocation] {
        var objects: [String: Int64] = [:]
        var tableFolders: [String] = []
        var expected: [String: [(key: String, size: Int64, manifest: String)]] = [:]
        for manifestKey in manifestKeys {
            let manifestURL = listing.url(ofKey: manifestKey)
            guard let bytes = try listing.object(manifestKey) else {
                throw SSTableError(path: manifestURL, "missing: this node's backup is not finished, or was purged")
            }
            for table in try MedusaManifest.parse(bytes, url: manifestURL).tables {
                for object in table.objects {
                    let folder = object.key.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
                    expected[folder, default: []].append((object.key, object.size, manifestURL))
                    objects[object.key] = object.size
                }
                guard !NodeSchema.systemKeyspaces.contains(table.keyspace), table.objects.contains(where: { $0.key.hasSuffix("-Data.db") }),
                      let data = try table.dataFolder(manifest: manifestURL)
                else { continue }
                tableFolders.append(data + "/" + table.keyspace + "/" + table.folder)
            }
        }
        for (folder, wanted) in expected.sorted(by: { $0.key < $1.key }) {
            let listed = try listing.all(under: folder + "/")
            for object in wanted {
                guard let size = listed[object.key] else {
                    throw SSTableError(path: listing.url(ofKey: object.key), "missing, but \(object.manifest) lists it: the backup is incomplete")
                }
                guard size == object.size else {
                    throw SSTableError(path: listing.url(ofKey: object.key), "\(size) bytes, but \(object.manifest) says \(object.size): the object is truncated or was replaced")
                }
            }
        }
        guard !tableFolders.isEmpty else {
            throw SSTableError(path: url, "the backup's manifests list no SSTables of a user table")
        }
        locator.mount(objects, listing: listing, at: Self.commonFolder(of: Array(objects.keys)), url: url)
        var found: [TableLocation] = []
        for folder in tableFolders {
            found += try SSTableDiscovery.folderTables(at: listing.url(ofKey: folder))
        }
        return found
    }

    /// The deepest folder (`""` or ending in `/`) holding every key.
    static func commonFolder(of keys: [String]) -> String {
        guard var common = keys.first?.split(separator: "/", omittingEmptySubsequences: false).dropLast() else { return "" }
        for key in keys.dropFirst() {
            let parts = key.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            let shared = zip(common, parts).prefix { $0 == $1 }.count
            common = common.prefix(shared)
        }
        return common.isEmpty ? "" : common.joined(separator: "/") + "/"
    }
}
