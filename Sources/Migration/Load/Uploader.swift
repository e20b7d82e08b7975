import AWS
import DynamoMapping
import Crypto
import DynamoModel
import Foundation
import HexCoding
import NIOCore
import Synchronization

/// What an upload did.
public struct UploadReport: Sendable, Hashable {
    public var uploaded = 0
    public var skipped = 0
    public var bytes = 0
}

/// Uploads staged parts to S3: each part verified first (size, SHA-256, every line a valid item,
/// the manifest's count), parts already stored intact skipped (same size and MD5 ETag), large
/// parts sent as resumable multipart uploads, the manifest last.
public struct Uploader: Sendable {
    public let s3: S3Client
    public let location: S3Location
    public var concurrency: Int
    /// Parts larger than this go up as multipart uploads of `chunkBytes` chunks.
    public var multipartThreshold: Int
    public var chunkBytes: Int
    /// Create the bucket first when it does not exist (else a missing bucket is an error).
    public var createBucket: Bool

    public init(s3: S3Client, location: S3Location, concurrency: Int = 4, multipartThreshold: Int = 16 << 20, chunkBytes: Int = 8 << 20,
                createBucket: Bool = false) {
        self.s3 = s3
        self.location = location
        self.createBucket = createBucket
        self.concurrency = max(1, concurrency)
        self.multipartThreshold = multipartThreshold
        self.chunkBytes = max(5 << 20, chunkBytes)
    }

    static func md5Hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        Hex.encode(Insecure.MD5.hash(data: Array(bytes)))
    }

    /// The ETag S3 gives an object uploaded in `chunk`-byte parts (or in one PutObject).
    func expectedETag(_ bytes: [UInt8]) -> String {
        guard bytes.count > multipartThreshold else { return Self.md5Hex(bytes) }
        var digests: [UInt8] = []
        var count = 0
        var offset = 0
        while offset < bytes.count {
            digests += Insecure.MD5.hash(data: bytes[offset..<min(offset + chunkBytes, bytes.count)])
            offset += chunkBytes
            count += 1
        }
        return Self.md5Hex(digests) + "-\(count)"
    }

    public func upload(_ manifest: Manifest, staging: String, checkpoint: CheckpointStore, stop: StopSignal = StopSignal(),
                       progress: ProgressSink = .none) async throws -> UploadReport {
        do {
            if createBucket { try await s3.createBucket(location.bucket) }
            return try await stop.cancelling {
                try await uploadAll(manifest, staging: staging, checkpoint: checkpoint, stop: stop, progress: progress)
            }
        } catch let error as AWSError where error.code == "NoSuchBucket" {
            throw StagingError("\(location): a bucket does not exist (create it, or pass --create-bucket): \(error)")
        }
    }

    func uploadAll(_ manifest: Manifest, staging: String, checkpoint: CheckpointStore, stop: StopSignal,
                   progress: ProgressSink) async throws -> UploadReport {
        let work = manifest.tables.flatMap { table in table.parts.map { (table, $0) } }
        let totalBytes = work.reduce(0) { $0 + $1.1.bytes }
        progress.emit(ProgressEvent(phase: .upload, kind: .start, totalRows: work.count, totalBytes: totalBytes))
        let report = ReportBox()
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let (table, part) = work[next]
                next += 1
                group.addTask {
                    try stop.check()
                    let uploaded = try await self.uploadPart(part, table: table, staging: staging, checkpoint: checkpoint, stop: stop)
                    let (done, bytes) = report.state.withLock { r in
                        if uploaded { r.uploaded += 1 } else { r.skipped += 1 }
                        r.bytes += part.bytes
                        return (r.uploaded + r.skipped, r.bytes)
                    }
                    progress.emit(ProgressEvent(phase: .upload, kind: uploaded ? .progress : .skip, table: table.design.table,
                                                part: part.name, rows: done, totalRows: work.count, bytes: bytes, totalBytes: totalBytes))
                }
            }
            while next < work.count && next < concurrency { add() }
            while try await group.next() != nil {
                if next < work.count { add() }
            }
        }
        try stop.check()
        for table in manifest.tables {
            for object in table.offloaded {
                try stop.check()
                try await uploadObject(object, staging: staging)
            }
        }
        try await s3.putObject(bucket: location.bucket, key: location.manifestKey, body: ByteBuffer(bytes: try manifest.encoded()),
                               contentType: "application/json")
        let result = report.state.withLock { $0 }
        progress.emit(ProgressEvent(phase: .upload, kind: .done, bytes: result.bytes, totalBytes: totalBytes,
                                    counts: ["uploaded": result.uploaded, "skipped": result.skipped]))
        return result
    }

    /// Uploads one part unless S3 already holds it intact; returns whether it was sent.
    func uploadPart(_ part: StagedPart, table: StagedTable, staging: String, checkpoint: CheckpointStore,
                    stop: StopSignal) async throws -> Bool {
        let bytes = try PartReader.readChecked(part, compression: table.partCompression, staging: staging, stop: stop)
        let key = location.key(for: part)
        let eTag = "\"" + expectedETag(bytes) + "\""
        let record = location.url(ofKey: key) + " " + eTag
        do {
            let head = try await s3.headObject(bucket: location.bucket, key: key)
            if head.contentLength == Int64(bytes.count), head.eTag == eTag {
                if checkpoint.value.uploaded[part.file] != record { try checkpoint.update { $0.uploaded[part.file] = record } }
                return false
            }
        } catch let error as AWSError where error.httpStatus == 404 {
            // Not there yet.
        }
        if bytes.count <= multipartThreshold {
            try await s3.putObject(bucket: location.bucket, key: key, body: ByteBuffer(bytes: bytes), contentType: "application/gzip")
        } else {
            var uploadID = checkpoint.value.multipartUploads[part.file]
            if uploadID == nil {
                let id = try await s3.createMultipartUpload(bucket: location.bucket, key: key, contentType: "application/gzip")
                try checkpoint.update { $0.multipartUploads[part.file] = id }
                uploadID = id
            }
            let chunk = chunkBytes
            let count = (bytes.count + chunk - 1) / chunk
            _ = try await s3.uploadMultipart(bucket: location.bucket, key: key, uploadID: uploadID, partCount: count, concurrency: 2) { n in
                ByteBuffer(bytes: bytes[(n - 1) * chunk..<min(n * chunk, bytes.count)])
            }
        }
        try checkpoint.update {
            $0.uploaded[part.file] = record
            $0.multipartUploads[part.file] = nil
        }
        return true
    }
}

extension Uploader {
    /// Puts a value moved out of an oversized item where its item's pointer says, unless it is there intact.
    func uploadObject(_ object: StagedObject, staging: String) async throws {
        let path = staging + "/" + object.file
        let bytes = try FileSystem.read(path)
        guard bytes.count == object.bytes, PartReader.sha256Hex(bytes) == object.sha256 else { throw StagingError("\(path): changed since staging (size or SHA-256)") }
        let target = try S3Location(url: object.url)
        let key = target.prefix
        if let head = try? await s3.headObject(bucket: target.bucket, key: key),
            head.contentLength == Int64(bytes.count), head.eTag == "\"" + Self.md5Hex(bytes) + "\"" { return }
        try await s3.putObject(bucket: target.bucket, key: key, body: ByteBuffer(bytes: bytes), contentType: "application/json")
    }
}

final class ReportBox: Sendable {
    let state = Mutex(UploadReport())
}
