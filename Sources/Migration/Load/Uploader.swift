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
    /// Part files this run found or put in S3 intact (size and ETag of the bytes it staged).
    public var stored: Set<String> = []
}

/// Uploads staged parts to S3: each part verified first (size, SHA-256, every line a valid item,
/// the manifest's count), parts already stored intact skipped (same size and MD5 ETag), large
/// parts sent as resumable multipart uploads, the manifest last.
public struct Uploader: Sendable {
    public let s3: S3Client
    public let layout: S3Layout
    public var concurrency: Int
    /// Parts larger than this go up as multipart uploads of `chunkBytes` chunks.
    public var multipartThreshold: Int
    public var chunkBytes: Int
    /// Create the bucket first when it does not exist (else a missing bucket is an error).
    public var createBucket: Bool

    public init(s3: S3Client, layout: S3Layout, concurrency: Int = 4, multipartThreshold: Int = 16 << 20, chunkBytes: Int = 8 << 20,
                createBucket: Bool = false) {
        self.s3 = s3
        self.layout = layout
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

    /// Uploads every part of `manifest` but those `stored` already (sent while extracting, by
    /// ``uploadClosed(_:staging:checkpoint:budget:stop:progress:)``), then offloaded values, then the manifest.
    public func upload(_ manifest: Manifest, staging: String, checkpoint: CheckpointStore, stored: Set<String> = [], stop: StopSignal = StopSignal(),
                       progress: ProgressSink = .none) async throws -> UploadReport {
        do {
            if createBucket { try await s3.createBucket(layout.bucket) }
            return try await stop.cancelling {
                try await uploadAll(manifest, staging: staging, checkpoint: checkpoint, stored: stored, stop: stop, progress: progress)
            }
        } catch let error as AWSError where error.code == "NoSuchBucket" {
            throw StagingError("\(layout.root): a bucket does not exist (create it, or pass --create-bucket): \(error)")
        }
    }

    func uploadAll(_ manifest: Manifest, staging: String, checkpoint: CheckpointStore, stored: Set<String>, stop: StopSignal,
                   progress: ProgressSink) async throws -> UploadReport {
        let work = manifest.tables.flatMap { table in table.parts.filter { !stored.contains($0.file) }.map { (table, $0) } }
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
                    let uploaded = try await self.uploadPart(part, compression: table.partCompression, staging: staging, checkpoint: checkpoint, stop: stop)
                    let (done, bytes) = report.state.withLock { r in
                        if uploaded { r.uploaded += 1 } else { r.skipped += 1 }
                        r.bytes += part.bytes
                        r.stored.insert(part.file)
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
            try await removeOrphans(of: table, progress: progress)
        }
        // S3's copy records each part's ETag, for `finish` to check the objects without reading them.
        var stored = manifest
        let checkpointed = checkpoint.value
        for t in stored.tables.indices {
            for p in stored.tables[t].parts.indices {
                stored.tables[t].parts[p].eTag = checkpointed.eTag(ofUploaded: stored.tables[t].parts[p].file)
            }
        }
        try await s3.putObject(bucket: layout.bucket, key: layout.manifestKey, body: ByteBuffer(bytes: try stored.encoded()),
                               contentType: "application/json")
        let result = report.state.withLock { $0 }
        progress.emit(ProgressEvent(phase: .upload, kind: .done, bytes: result.bytes, totalBytes: totalBytes,
                                    counts: ["uploaded": result.uploaded, "skipped": result.skipped]))
        return result
    }

    /// Uploads one part unless S3 already holds it intact; returns whether it was sent. A part
    /// removed from the staging folder after its upload (`--max-local-gb`) must still be in S3
    /// with the size and ETag recorded then.
    func uploadPart(_ part: StagedPart, compression: PartCompression, staging: String, checkpoint: CheckpointStore,
                    stop: StopSignal) async throws -> Bool {
        let key = layout.key(for: part)
        if !FileSystem.exists(staging + "/" + part.file), let record = checkpoint.value.uploaded[part.file] {
            let head = try? await s3.headObject(bucket: layout.bucket, key: key)
            guard let head, head.contentLength == Int64(part.bytes), record == layout.url(ofKey: key) + " " + (head.eTag ?? "") else {
                throw StagingError("\(layout.url(ofKey: key)): the part was uploaded and removed from \(staging), but S3 no longer holds it as uploaded; stage the table again in a new staging folder")
            }
            return false
        }
        let bytes = try PartReader.readChecked(part, compression: compression, staging: staging, stop: stop)
        let eTag = "\"" + expectedETag(bytes) + "\""
        let record = layout.url(ofKey: key) + " " + eTag
        do {
            let head = try await s3.headObject(bucket: layout.bucket, key: key)
            if head.contentLength == Int64(bytes.count), head.eTag == eTag {
                if checkpoint.value.uploaded[part.file] != record { try checkpoint.update { $0.uploaded[part.file] = record } }
                return false
            }
        } catch let error as AWSError where error.httpStatus == 404 {
            // Not there yet.
        }
        if bytes.count <= multipartThreshold {
            try await s3.putObject(bucket: layout.bucket, key: key, body: ByteBuffer(bytes: bytes), contentType: "application/gzip")
        } else {
            var uploadID = checkpoint.value.multipartUploads[part.file]
            if uploadID == nil {
                let id = try await s3.createMultipartUpload(bucket: layout.bucket, key: key, contentType: "application/gzip")
                try checkpoint.update { $0.multipartUploads[part.file] = id }
                uploadID = id
            }
            let chunk = chunkBytes
            let count = (bytes.count + chunk - 1) / chunk
            _ = try await s3.uploadMultipart(bucket: layout.bucket, key: key, uploadID: uploadID, partCount: count, concurrency: 2) { n in
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

extension Uploader {
    /// Uploads parts as the extraction closes them, `concurrency` at a time, until `parts` ends.
    /// With a `budget`, each part is removed from the staging folder once S3 holds it intact, and
    /// its room given back. An upload error stops the extraction through `stop`.
    public func uploadClosed(_ parts: AsyncStream<ClosedPart>, staging: String, checkpoint: CheckpointStore, budget: LocalBudget?,
                             stop: StopSignal, progress: ProgressSink = .none) async throws -> UploadReport {
        if createBucket { try await s3.createBucket(layout.bucket) }
        var report = UploadReport()
        do {
            try await withThrowingTaskGroup(of: (ClosedPart, Bool).self) { group in
                var running = 0
                func record(_ done: (ClosedPart, Bool)) {
                    running -= 1
                    if done.1 { report.uploaded += 1 } else { report.skipped += 1 }
                    report.bytes += done.0.part.bytes
                    report.stored.insert(done.0.part.file)
                    progress.emit(ProgressEvent(phase: .upload, kind: done.1 ? .progress : .skip, part: done.0.part.name,
                                                rows: report.uploaded + report.skipped, bytes: report.bytes))
                }
                for await closed in parts {
                    try stop.check()
                    if running >= concurrency, let done = try await group.next() { record(done) }
                    running += 1
                    group.addTask {
                        let sent = try await self.uploadPart(closed.part, compression: closed.compression, staging: staging,
                                                             checkpoint: checkpoint, stop: stop)
                        if let budget {
                            FileSystem.remove(staging + "/" + closed.part.file)
                            budget.release(closed.part.bytes)
                        }
                        return (closed, sent)
                    }
                }
                while let done = try await group.next() { record(done) }
            }
        } catch let error as AWSError where error.code == "NoSuchBucket" {
            stop.stop()
            throw StagingError("\(layout.root): a bucket does not exist (create it, or pass --create-bucket): \(error)")
        } catch {
            stop.stop()
            throw error
        }
        return report
    }

    /// Deletes objects under the run's part prefix of the table (its share's folder, for a share)
    /// that are not its staged parts (left by an earlier staging of it with other ranges or part
    /// sizes): ImportTable reads every object there.
    func removeOrphans(of table: StagedTable, progress: ProgressSink) async throws {
        let keep = Set(table.parts.map { layout.key(for: $0) })
        let prefix = layout.partsPrefix(for: table)
        let orphans = try await s3.listAllObjects(bucket: layout.bucket, prefix: prefix).map(\.key).filter { !keep.contains($0) }
        guard !orphans.isEmpty else { return }
        let result = try await s3.deleteObjects(bucket: layout.bucket, keys: orphans)
        if let failure = result.errors.first {
            throw StagingError("\(layout.url(ofKey: failure.key)): cannot delete an object that is not a staged part of \(table.design.table) (\(failure.code): \(failure.message)); ImportTable would read it")
        }
        progress.emit(ProgressEvent(phase: .upload, kind: .warning, table: table.design.table,
                                    message: "removed \(orphans.count) objects under \(layout.url(ofKey: prefix)) that are not staged parts (an earlier staging of the table)"))
    }
}

final class ReportBox: Sendable {
    let state = Mutex(UploadReport())
}
