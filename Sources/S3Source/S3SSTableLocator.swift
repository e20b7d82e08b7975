import AWS
import DynamoModel
import NIOCore
import SSTable
import Synchronization

/// Finds SSTables under an `s3://BUCKET/PATH` URL and mounts a store serving them, in one of the
/// layouts people keep:
/// - a plain copy of a data directory, keyspace or table folder (`snapshots/NAME/` read with
///   `--snapshot NAME`), or one `Data.db`: every object under the URL is listed once;
/// - a cassandra-medusa storage prefix (it holds `index/backup_index/`): the backup `--snapshot`
///   names, every node of it, each node's files as its `meta/manifest.json` lists them;
/// - one node's medusa backup (`…/<fqdn>/<backup>/`, holding `meta/manifest.json`).
/// The same table on several nodes is one table whose replicas are merged.
public final class S3SSTableLocator: SSTableLocator {
    private let makeClient: @Sendable () throws -> S3Client
    private let client = Mutex<S3Client?>(nil)
    private let options: S3ReadOptions
    private let stores = Mutex<[String: S3SSTableStore]>([:])

    /// `makeClient` is called once, at the first URL.
    public init(options: S3ReadOptions = S3ReadOptions(), makeClient: @escaping @Sendable () throws -> S3Client) {
        self.options = options
        self.makeClient = makeClient
    }

    /// Registers this locator for `s3://` URLs.
    public func register() { SSTableStorage.register(self, scheme: "s3") }

    /// The store last mounted for `url` (its counters), if any.
    public func store(for url: String) -> S3SSTableStore? { stores.withLock { $0[url] } }

    public func tables(at url: String, snapshot: String?, backups: Bool) throws(SSTableError) -> [TableLocation] {
        let location: S3Location
        do { location = try S3Location(url: url) } catch { throw SSTableError(path: url, error.problem) }
        let client: S3Client
        do {
            client = try self.client.withLock { c in
                if let c { return c }
                c = try makeClient()
                return c!
            }
        } catch { throw SSTableError(path: url, "cannot make an S3 client: \(error)") }
        let listing = S3Listing(client: client, bucket: location.bucket, url: url)
        let folder = location.prefix.isEmpty ? "" : location.prefix + "/"
        let top = try listing.children(of: folder)
        let found: [TableLocation]
        if top.folders.contains(folder + "index/"), try !listing.children(of: folder + "index/backup_index/").folders.isEmpty {
            if backups { throw SSTableError(path: url, "a medusa backup has no incremental backups folder to read: leave out --backups") }
            found = try MedusaBackup(listing: listing, root: folder).tables(backup: snapshot, locator: self, url: url)
        } else if top.folders.contains(folder + "meta/"), try listing.children(of: folder + "meta/").objects[folder + "meta/manifest.json"] != nil {
            if snapshot != nil || backups { throw SSTableError(path: url, "this is one medusa node backup: leave out --snapshot and --backups") }
            found = try MedusaBackup(listing: listing, root: nil).nodeTables(backupFolder: location.prefix, locator: self, url: url)
        } else {
            found = try plainTables(listing, folder: folder, snapshot: snapshot, backups: backups, url: url)
        }
        return SSTableDiscovery.merged(found)
    }

    /// A plain copy: every object under the URL, or the folder of the one object it names.
    private func plainTables(_ listing: S3Listing, folder: String, snapshot: String?, backups: Bool, url: String) throws(SSTableError) -> [TableLocation] {
        var objects = try listing.all(under: folder)
        var mountedAt = folder
        if objects.isEmpty, !folder.isEmpty {
            // The URL names one object (a Data.db): its folder's own objects.
            let key = String(folder.dropLast())
            let parent = key.split(separator: "/").dropLast().joined(separator: "/")
            mountedAt = parent.isEmpty ? "" : parent + "/"
            objects = try listing.children(of: mountedAt).objects
            guard objects[key] != nil else { throw SSTableError(path: url, "no objects under this URL: check the bucket and the path") }
        }
        mount(objects, listing: listing, at: mountedAt, url: url)
        return try SSTableDiscovery.folderTables(at: url, snapshot: snapshot, backups: backups)
    }

    /// Mounts a store of `objects` (key → size) at `s3://BUCKET/prefix`, the store of `url`.
    func mount(_ objects: [String: Int64], listing: S3Listing, at prefix: String, url: String) {
        let store = S3SSTableStore(bucket: listing.bucket, objects: objects, client: listing.client, options: options)
        stores.withLock { $0[url] = store }
        SSTableStorage.mount(store, at: store.url(ofKey: prefix))
    }
}
