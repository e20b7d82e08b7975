import DynamoModel
import SSTable

/// Where a run's objects go under `s3://BUCKET/PREFIX`, table first, so that one ImportTable key
/// prefix, `PREFIX/tables/<table>/data/`, covers one table's parts from every share:
///
/// - a run of the whole ring: `PREFIX/tables/<table>/data/part-*.json.gz`, `PREFIX/manifest.json`;
/// - token share `<share>` (``TokenRange/shareFolder``, e.g. `2-of-3`):
///   `PREFIX/tables/<table>/data/<share>/part-*.json.gz`, `PREFIX/shares/<share>/manifest.json`
///   (outside `tables/`: ImportTable reads every object under its prefix).
public struct S3Layout: Sendable, Hashable, CustomStringConvertible {
    /// `s3://BUCKET/PREFIX`.
    public var root: S3Location
    /// The share's folder name; nil for a run of the whole ring.
    public var share: String?

    public init(root: S3Location, share: String? = nil) {
        self.root = root
        self.share = share
    }

    /// The layout of a run reading `tokenRange` (nil: the whole ring).
    public init(root: S3Location, tokenRange: TokenRange?) {
        self.init(root: root, share: tokenRange?.shareFolder)
    }

    public var bucket: String { root.bucket }

    /// A part's key relative to `PREFIX`: its staging path (`tables/<table>/data/part-N.json.gz`)
    /// with the share's folder before the file name.
    public func relativePath(of part: StagedPart) -> String {
        guard let share else { return part.file }
        let cut = part.file.lastIndex(of: "/").map { part.file[..<$0] + "/" } ?? ""
        return cut + share + "/" + part.name
    }

    /// The key of a part's object.
    public func key(for part: StagedPart) -> String { root.path(relativePath(of: part)) }

    /// The prefix of this run's parts of `table`: what it may clean up.
    public func partsPrefix(for table: StagedTable) -> String {
        root.path(table.dataFolder + (share.map { "/" + $0 } ?? "")) + "/"
    }

    /// The prefix ImportTable reads for `table`: its parts from every share, nothing else.
    public func importPrefix(for table: StagedTable) -> String { root.path(table.dataFolder) + "/" }

    /// The key of this run's manifest.
    public var manifestKey: String {
        root.path(share.map { "shares/\($0)/" } ?? "") + Manifest.fileName
    }

    /// The key of the record `finish` keeps of the imports it started (outside `tables/`), so
    /// that a `finish` run on another machine waits for them instead of importing again.
    public var finishImportsKey: String { root.path("finish/imports.json") }

    /// `s3://BUCKET/KEY`.
    public func url(ofKey key: String) -> String { root.url(ofKey: key) }

    /// `s3://BUCKET/PREFIX`, with the share.
    public var description: String { root.description + (share.map { " (share \($0))" } ?? "") }
}

extension TokenRange {
    /// The share's folder name: `I-of-N` when the range is share I of ``split(_:)``'s N (what
    /// `--token-share I/N` and `tasks create --token-split` read), else `tokens_<start>_<end>`.
    public var shareFolder: String {
        if let (index, count) = shareIndex { return "\(index)-of-\(count)" }
        return "tokens_\(start)_\(end)"
    }

    /// `(I, N)` when the range is share I (1-based) of the ring cut into N by ``split(_:)``.
    public var shareIndex: (Int, Int)? {
        guard isValid else { return nil }
        let width = UInt64(bitPattern: end &- start)
        let count = Int((0x1p64 / Double(width)).rounded())
        guard count >= 1, count <= 1 << 20 else { return nil }
        let step = UInt64.max / UInt64(count)
        let offset = UInt64(bitPattern: start) ^ (1 << 63)
        let index = Int(offset / step)
        guard index < count, offset == UInt64(index) &* step else { return nil }
        let expectedEnd = index == count - 1 ? Int64.max : Int64(bitPattern: (UInt64(index + 1) &* step) ^ (1 << 63))
        return end == expectedEnd ? (index + 1, count) : nil
    }
}
