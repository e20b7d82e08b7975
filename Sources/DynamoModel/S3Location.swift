/// A bucket and a key prefix, written `s3://BUCKET/PREFIX`: the one parser of `s3://` URLs.
public struct S3Location: Sendable, Hashable, CustomStringConvertible {
    /// The bucket name, a valid one when parsed from a URL.
    public var bucket: String
    /// The key prefix, without leading or trailing slash; may be empty.
    public var prefix: String

    /// A location in `bucket` under `prefix` (slashes at either end and doubled ones are dropped).
    public init(bucket: String, prefix: String) {
        self.bucket = bucket
        self.prefix = prefix.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    /// Parses `s3://BUCKET[/PREFIX]`; the bucket name must be a valid one.
    public init(url: String) throws(S3LocationError) {
        guard url.hasPrefix("s3://") else { throw S3LocationError(url: url, problem: "expected s3://BUCKET/PREFIX") }
        let rest = url.dropFirst(5)
        let bucket = rest.prefix { $0 != "/" }
        guard !bucket.isEmpty else { throw S3LocationError(url: url, problem: "no bucket name") }
        guard S3BucketName.isValid(String(bucket)) else {
            throw S3LocationError(url: url, problem: "the bucket name '\(bucket)' is invalid: \(S3BucketName.rule)")
        }
        self.init(bucket: String(bucket), prefix: String(rest.dropFirst(bucket.count)))
    }

    /// The key of `relative` under the prefix.
    public func path(_ relative: String) -> String { prefix.isEmpty ? relative : prefix + "/" + relative }

    /// `s3://BUCKET/KEY` of an object in this bucket.
    public func url(ofKey key: String) -> String { "s3://\(bucket)/\(key)" }

    /// `s3://BUCKET/PREFIX`.
    public var description: String { url(ofKey: prefix) }
}

/// An `s3://` URL that names no valid location.
public struct S3LocationError: Error, Sendable, CustomStringConvertible {
    /// The URL as given.
    public var url: String
    /// What is wrong with it.
    public var problem: String
    /// `URL: problem`.
    public var description: String { "\(url): \(problem)" }
}
