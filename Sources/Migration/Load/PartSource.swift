import AWS
import DynamoModel
import NIOCore

/// Where staged parts are read from: the local staging folder or an S3 prefix.
public enum PartSource: Sendable {
    case local(staging: String)
    case s3(S3Client, S3Layout)
    /// The staging folder, and S3 for parts removed from it after their upload (`--max-local-gb`).
    case staged(staging: String, S3Client, S3Layout)

    /// The part's compressed bytes, checked against the manifest's size and SHA-256.
    public func read(_ part: StagedPart, table: StagedTable) async throws -> [UInt8] {
        switch self {
        case .local(let staging):
            return try PartReader.readVerified(part, staging: staging)
        case .staged(let staging, let client, let layout):
            let source: PartSource = FileSystem.exists(staging + "/" + part.file) ? .local(staging: staging) : .s3(client, layout)
            return try await source.read(part, table: table)
        case .s3(let client, let layout):
            let key = layout.key(for: part)
            let (body, _) = try await client.getObject(bucket: layout.bucket, key: key)
            let bytes = Array(body.readableBytesView)
            try PartReader.check(bytes, against: part, name: layout.url(ofKey: key))
            return bytes
        }
    }
}
