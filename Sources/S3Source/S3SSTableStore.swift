import AWS
import DynamoModel
import SSTable

/// Objects of one bucket served as SSTable files: paths are `s3://BUCKET/KEY`, folders the
/// `/`-separated parts of the keys. Holds only the objects it was given (a listing, or the
/// files a backup's manifest names), with their sizes.
public final class S3SSTableStore: SSTableStore {
    public let bucket: String
    /// Bytes and GETs fetched through this store.
    public let counter = S3ReadCounter()
    private let client: S3Client
    private let options: S3ReadOptions
    /// Object sizes by key.
    private let sizes: [String: Int64]
    /// The names in each folder (key prefix without its trailing `/`), sorted.
    private let folders: [String: [String]]

    /// A store of `objects` (key → size) of `bucket`.
    public init(bucket: String, objects: [String: Int64], client: S3Client, options: S3ReadOptions = S3ReadOptions()) {
        self.bucket = bucket
        self.client = client
        self.options = options
        sizes = objects
        var children: [String: Set<String>] = [:]
        for key in objects.keys where !key.hasSuffix("/") {
            var parts = key.split(separator: "/", omittingEmptySubsequences: false)
            while let name = parts.popLast() {
                children[parts.joined(separator: "/"), default: []].insert(String(name))
            }
        }
        folders = children.mapValues { $0.sorted() }
    }

    /// The URL of a key, as the SSTable reader names the file.
    public func url(ofKey key: String) -> String { S3Location(bucket: bucket, prefix: "").url(ofKey: key) }

    /// The key of a path of this store; nil for another bucket.
    private func key(of path: String) -> String? {
        let root = "s3://\(bucket)/"
        guard path.hasPrefix(root) else { return path == "s3://\(bucket)" ? "" : nil }
        var key = String(path.dropFirst(root.count))
        while key.hasSuffix("/") { key.removeLast() }
        return key
    }

    public func open(_ path: String) throws(SSTableError) -> any RandomAccessSource {
        guard let key = key(of: path), let size = sizes[key] else {
            throw SSTableError(path: path, "no such object in the listing of s3://\(bucket)/ (or in the backup's manifest)")
        }
        return S3ObjectSource(path: path, bucket: bucket, key: key, size: size, client: client, options: options, counter: counter)
    }

    public func isFile(_ path: String) -> Bool { key(of: path).map { sizes[$0] != nil } ?? false }

    public func isFolder(_ path: String) -> Bool { key(of: path).map { folders[$0] != nil } ?? false }

    public func list(_ folder: String) throws(SSTableError) -> [String] {
        guard let key = key(of: folder), let names = folders[key] else {
            throw SSTableError(path: folder, "no objects under this prefix")
        }
        return names
    }
}
