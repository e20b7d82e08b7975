import AWS
import NIOCore

/// Where staged parts are read from: the local staging folder or an S3 prefix.
public enum PartSource: Sendable {
    case local(staging: String)
    case s3(S3Client, S3Location)

    /// The part's gzip bytes, checked against the manifest's size and SHA-256.
    public func read(_ part: StagedPart, table: StagedTable) async throws -> [UInt8] {
        switch self {
        case .local(let staging):
            return try PartReader.readVerified(part, staging: staging)
        case .s3(let client, let location):
            let key = location.key(for: part)
            let (body, _) = try await client.getObject(bucket: location.bucket, key: key)
            let bytes = Array(body.readableBytesView)
            try PartReader.check(bytes, against: part, name: "s3://\(location.bucket)/\(key)")
            return bytes
        }
    }
}

/// `s3://bucket/prefix`: parts go to `<prefix>/<part file>` (`tables/<table>/data/part-N.json.gz`),
/// the manifest to `<prefix>/manifest.json`.
public struct S3Location: Sendable, Hashable, CustomStringConvertible {
    public var bucket: String
    /// No leading or trailing slash; may be empty.
    public var prefix: String

    public init(bucket: String, prefix: String) {
        self.bucket = bucket
        self.prefix = prefix.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    /// Parses `s3://bucket[/prefix]`; the bucket name must be a valid one.
    public init(url: String) throws {
        guard url.hasPrefix("s3://") else { throw StagingError("\(url): expected s3://BUCKET/PREFIX") }
        let rest = url.dropFirst(5)
        let bucket = rest.prefix { $0 != "/" }
        guard !bucket.isEmpty else { throw StagingError("\(url): no bucket name") }
        guard S3BucketName.isValid(String(bucket)) else { throw StagingError("\(url): the bucket name '\(bucket)' is invalid: \(S3BucketName.rule)") }
        self.init(bucket: String(bucket), prefix: String(rest.dropFirst(bucket.count)))
    }

    func path(_ relative: String) -> String { prefix.isEmpty ? relative : prefix + "/" + relative }
    public func key(for part: StagedPart) -> String { path(part.file) }
    /// The prefix ImportTable reads for one table: only its parts.
    public func dataPrefix(for table: StagedTable) -> String { path(table.dataFolder) + "/" }
    public var manifestKey: String { path(Manifest.fileName) }
    public var description: String { "s3://\(bucket)/\(prefix)" }
}
