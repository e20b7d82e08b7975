/// The SSTables of one table found on disk.
public struct TableLocation: Sendable {
    /// The keyspace, from the folder layout or the file names; nil when unknown.
    public var keyspace: String?
    /// The table name (folder name without its `-<id>` suffix).
    public var table: String
    /// Folders the SSTables came from (several for several replicas).
    public var directories: [String]
    public var sstables: [(descriptor: SSTableDescriptor, components: Set<String>)]
    /// The table id of a `<table>-<32 hex>` folder name (2.1+), lowercase; nil for other folders.
    public var folderID: String?

    /// True when the SSTables' own file names (2.x: `ks-table-ka-1-Data.db`) name the table.
    public var isNamedByFiles: Bool { sstables.first?.descriptor.table != nil }

    /// `keyspace.table`, or `table` when the keyspace is unknown.
    public var qualifiedName: String { (keyspace.map { $0 + "." } ?? "") + table }
}

/// Finds SSTables from a `Data.db` path, a table folder, a keyspace folder or a data directory.
public enum SSTableDiscovery {
    /// Folders never read as live data.
    static let skippedFolders: Set<String> = ["snapshots", "backups"]

    /// Every table under `path`, sorted by keyspace and name. In a data directory, Cassandra's
    /// own keyspaces (`system*`) are left out. With `snapshot`, each table is read from its
    /// `snapshots/<snapshot>/` folder instead of its live SSTables (never both); with
    /// `backups`, from its incremental `backups/` folder. A URL (`s3://…`) is handed to the
    /// locator registered for its scheme (``SSTableStorage/register(_:scheme:)``).
    public static func tables(at path: String, snapshot: String? = nil, backups: Bool = false) throws(SSTableError) -> [TableLocation] {
        guard let scheme = SSTableStorage.scheme(of: path) else { return try folderTables(at: path, snapshot: snapshot, backups: backups) }
        guard let locator = SSTableStorage.locator(for: scheme) else {
            throw SSTableError(path: path, "\(scheme):// URLs are not read here: give a local path")
        }
        return try locator.tables(at: path, snapshot: snapshot, backups: backups)
    }

    /// ``tables(at:snapshot:backups:)`` in folders of the file system or of a mounted store.
    public static func folderTables(at path: String, snapshot: String? = nil, backups: Bool = false) throws(SSTableError) -> [TableLocation] {
        let subfolder: String
        if let snapshot {
            subfolder = "snapshots/\(snapshot)"
        } else if backups {
            subfolder = "backups"
        } else {
            return try liveTables(at: path)
        }
        var found: [TableLocation] = []
        for folder in try tableFolders(at: path) {
            let snapshotFolder = "\(folder)/\(subfolder)"
            guard SSTableStorage.isDirectory(snapshotFolder) else { continue }
            let ssts = try sstables(in: snapshotFolder)
            guard !ssts.isEmpty else { continue }
            var location = Self.location(directory: folder, sstables: ssts)
            location.directories = [snapshotFolder]
            found.append(location)
        }
        guard !found.isEmpty else {
            throw SSTableError(path: path, snapshot.map { "no snapshot named '\($0)' under this folder" } ?? "no incremental backups under this folder")
        }
        return found
    }

    /// Table folders under `path` (itself, its children, or its grandchildren), with or
    /// without live SSTables.
    static func tableFolders(at path: String) throws(SSTableError) -> [String] {
        func isTableFolder(_ p: String) -> Bool {
            SSTableStorage.isDirectory(p + "/snapshots") || SSTableStorage.isDirectory(p + "/backups") || ((try? sstables(in: p))?.isEmpty == false)
        }
        if isTableFolder(path) { return [path] }
        var out: [String] = []
        for child in try SSTableStorage.list(path) where !child.hasPrefix(".") {
            let c = "\(path)/\(child)"
            guard SSTableStorage.isDirectory(c) else { continue }
            if isTableFolder(c) { out.append(c); continue }
            guard !NodeSchema.systemKeyspaces.contains(child) else { continue }
            for grandchild in try SSTableStorage.list(c) where !grandchild.hasPrefix(".") {
                let g = "\(c)/\(grandchild)"
                if SSTableStorage.isDirectory(g), isTableFolder(g) { out.append(g) }
            }
        }
        return out
    }

    static func liveTables(at path: String) throws(SSTableError) -> [TableLocation] {
        let path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard SSTableStorage.exists(path) else { throw SSTableError(path: path, "no such file or folder") }
        if !SSTableStorage.isDirectory(path) {
            let (directory, name) = split(path)
            guard let (descriptor, component) = SSTableDescriptor.parse(fileName: name, directory: directory),
                component == "Data.db"
            else { throw SSTableError(path: path, "not an SSTable Data.db file name") }
            let all = try sstables(in: directory)
            let match = all.first { $0.descriptor == descriptor } ?? (descriptor, ["Data.db"])
            return [location(directory: directory, sstables: [match])]
        }
        let own = try sstables(in: path)
        if !own.isEmpty { return [location(directory: path, sstables: own)] }
        // A keyspace folder (table folders inside) or a data directory (keyspace folders inside).
        var found: [TableLocation] = []
        for child in try SSTableStorage.list(path) where !skippedFolders.contains(child) && !child.hasPrefix(".") {
            let childPath = "\(path)/\(child)"
            guard SSTableStorage.isDirectory(childPath) else { continue }
            let childSSTables = try sstables(in: childPath)
            if !childSSTables.isEmpty {
                found.append(location(directory: childPath, sstables: childSSTables))
                continue
            }
            // A data directory: keyspace folders inside; Cassandra's own keyspaces are not user data.
            guard !NodeSchema.systemKeyspaces.contains(child) else { continue }
            for grandchild in try SSTableStorage.list(childPath) where !skippedFolders.contains(grandchild) && !grandchild.hasPrefix(".") {
                let tablePath = "\(childPath)/\(grandchild)"
                guard SSTableStorage.isDirectory(tablePath) else { continue }
                let tableSSTables = try sstables(in: tablePath)
                if !tableSSTables.isEmpty { found.append(location(directory: tablePath, sstables: tableSSTables)) }
            }
        }
        guard !found.isEmpty else { throw SSTableError(path: path, "no SSTables found (expected *-Data.db files, or folders holding them)") }
        return found.sorted { ($0.keyspace ?? "", $0.table) < ($1.keyspace ?? "", $1.table) }
    }

    /// Tables of several folders (nodes) merged by keyspace and name: the folders of one table
    /// are replicas, read as one table whose rows are reconciled.
    public static func merged(_ locations: [TableLocation]) -> [TableLocation] {
        var out: [TableLocation] = []
        var index: [String: Int] = [:]
        for location in locations {
            guard let i = index[location.qualifiedName] else {
                index[location.qualifiedName] = out.count
                out.append(location)
                continue
            }
            for directory in location.directories where !out[i].directories.contains(directory) {
                out[i].directories.append(directory)
                out[i].sstables += location.sstables.filter { $0.descriptor.directory == directory }
            }
        }
        return out.sorted { ($0.keyspace ?? "", $0.table) < ($1.keyspace ?? "", $1.table) }
    }

    /// The SSTables directly in one folder.
    static func sstables(in directory: String) throws(SSTableError) -> [(descriptor: SSTableDescriptor, components: Set<String>)] {
        var byDescriptor: [SSTableDescriptor: Set<String>] = [:]
        for name in try SSTableStorage.list(directory) {
            guard let (descriptor, component) = SSTableDescriptor.parse(fileName: name, directory: directory) else { continue }
            byDescriptor[descriptor, default: []].insert(component)
        }
        return byDescriptor.filter { $0.value.contains("Data.db") }.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 }
    }

    /// Names a table folder: `<keyspace>/<table>-<32 hex id>/` (2.1+) or `<keyspace>/<table>/`.
    static func location(directory: String, sstables: [(descriptor: SSTableDescriptor, components: Set<String>)]) -> TableLocation {
        let (parent, folder) = split(directory)
        var table = folder
        var id: String?
        if let dash = folder.lastIndex(of: "-"), folder.distance(from: dash, to: folder.endIndex) == 33,
            folder[folder.index(after: dash)...].allSatisfy(\.isHexDigit) {
            table = String(folder[..<dash])
            id = folder[folder.index(after: dash)...].lowercased()
        }
        var keyspace: String? = parent.isEmpty ? nil : split(parent).1
        if let first = sstables.first?.descriptor, let ks = first.keyspace, let t = first.table {
            keyspace = ks
            table = t
        }
        return TableLocation(keyspace: keyspace, table: table, directories: [directory], sstables: sstables, folderID: id)
    }

    static func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }
}
