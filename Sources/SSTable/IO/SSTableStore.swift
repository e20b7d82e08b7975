import Synchronization

/// Where SSTable files are kept, when not on the local file system: a store answers for every
/// path under the URL prefix it is mounted at (`s3://bucket/prefix/`), with folders as the
/// `/`-separated parts of its paths.
public protocol SSTableStore: Sendable {
    /// Opens a file for positional reads.
    func open(_ path: String) throws(SSTableError) -> any RandomAccessSource
    /// True when `path` is a file of the store.
    func isFile(_ path: String) -> Bool
    /// True when `path` is a folder of the store (a prefix of its files' paths).
    func isFolder(_ path: String) -> Bool
    /// Names directly in a folder, sorted.
    func list(_ folder: String) throws(SSTableError) -> [String]
}

/// Finds the tables under a URL of its scheme (`s3://…`) and mounts a store serving their files
/// (``SSTableStorage/mount(_:at:)``), for ``SSTableDiscovery/tables(at:snapshot:backups:)``.
public protocol SSTableLocator: Sendable {
    func tables(at url: String, snapshot: String?, backups: Bool) throws(SSTableError) -> [TableLocation]
}

/// Opens SSTable files by path: local paths through the file system, URLs (`scheme://…`)
/// through the store mounted at the longest prefix of the URL.
public enum SSTableStorage {
    private struct Mounts: Sendable {
        var stores: [(prefix: String, store: any SSTableStore)] = []
        var locators: [String: any SSTableLocator] = [:]
    }

    private static let mounts = Mutex(Mounts())

    /// Serves every path under `prefix` (which ends in `/`) from `store`, replacing a store
    /// mounted there before.
    public static func mount(_ store: any SSTableStore, at prefix: String) {
        mounts.withLock { m in
            m.stores.removeAll { $0.prefix == prefix }
            m.stores.append((prefix, store))
            m.stores.sort { $0.prefix.count > $1.prefix.count }
        }
    }

    /// Lets `locator` discover tables under URLs `scheme://…`.
    public static func register(_ locator: any SSTableLocator, scheme: String) {
        mounts.withLock { $0.locators[scheme] = locator }
    }

    /// The scheme of a URL (`s3` of `s3://…`); nil for a local path.
    public static func scheme(of path: String) -> String? {
        guard let colon = path.firstIndex(of: ":"), path[colon...].hasPrefix("://") else { return nil }
        let scheme = path[..<colon]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) else { return nil }
        return String(scheme)
    }

    static func locator(for scheme: String) -> (any SSTableLocator)? {
        mounts.withLock { $0.locators[scheme] }
    }

    /// The store serving a URL (its folder too, without the trailing `/`); nil when none is mounted.
    static func store(for path: String) -> (any SSTableStore)? {
        mounts.withLock { m in m.stores.first { path.hasPrefix($0.prefix) || path + "/" == $0.prefix }?.store }
    }

    /// The store for a URL, or an error naming it when no store serves it.
    private static func mounted(_ path: String) throws(SSTableError) -> any SSTableStore {
        guard let store = store(for: path) else {
            throw SSTableError(path: path, "no store is open for this URL: give it as --source (or the path) so its files are found first")
        }
        return store
    }

    /// Opens a file for positional reads.
    public static func open(_ path: String) throws(SSTableError) -> any RandomAccessSource {
        guard scheme(of: path) != nil else { return try ReadOnlyFile(path) }
        return try mounted(path).open(path)
    }

    /// True if a file or folder exists at `path`.
    public static func exists(_ path: String) -> Bool {
        guard scheme(of: path) != nil else { return ReadOnlyFile.exists(path) }
        guard let store = store(for: path) else { return false }
        return store.isFile(path) || store.isFolder(path)
    }

    /// True if `path` is a folder.
    public static func isDirectory(_ path: String) -> Bool {
        guard scheme(of: path) != nil else { return ReadOnlyFile.isDirectory(path) }
        return store(for: path)?.isFolder(path) ?? false
    }

    /// Names in a folder, sorted; throws if it cannot be listed.
    public static func list(_ path: String) throws(SSTableError) -> [String] {
        guard scheme(of: path) != nil else { return try ReadOnlyFile.list(path) }
        return try mounted(path).list(path)
    }
}
