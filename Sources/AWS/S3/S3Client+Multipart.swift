import NIOCore

/// A part already stored in a multipart upload.
public struct UploadedPart: Sendable, Hashable {
    /// 1-based part number.
    public var partNumber: Int
    /// The part's ETag, quotes included.
    public var eTag: String
    /// Size in bytes.
    public var size: Int64
}

/// The result of ``S3Client/uploadMultipart(bucket:key:uploadID:partCount:concurrency:contentType:readPart:)``.
public struct MultipartUploadResult: Sendable, Hashable {
    /// The upload id (persist it before calling to be able to resume).
    public var uploadID: String
    /// The ETag of the completed object.
    public var eTag: String?
    /// Parts uploaded by this call.
    public var partsUploaded: Int
    /// Parts found already uploaded with matching size and MD5, and skipped.
    public var partsReused: Int
}

extension S3Client {
    /// The largest number of parts in one upload.
    public static let maxParts = 10_000

    /// CreateMultipartUpload: returns the upload id.
    public func createMultipartUpload(bucket: String, key: String, contentType: String? = nil) async throws -> String {
        var headers: [(String, String)] = []
        if let contentType { headers.append(("content-type", contentType)) }
        let response = try await transport.send(request("CreateMultipartUpload", "POST", bucket: bucket, key: key,
                                                        query: [("uploads", "")], headers: headers))
        let result = try xml(response, S3XML.InitiateMultipartUploadResult.self, operation: "CreateMultipartUpload")
        guard let uploadID = result.uploadId, !uploadID.isEmpty else {
            throw AWSError(kind: .invalidResponse, service: "s3", operation: "CreateMultipartUpload", message: "no UploadId in response",
                           httpStatus: response.status, requestID: response.requestID)
        }
        return uploadID
    }

    /// UploadPart: uploads part `partNumber` (1…10,000) with `Content-MD5`; returns its ETag.
    public func uploadPart(bucket: String, key: String, uploadID: String, partNumber: Int, body: ByteBuffer) async throws -> String {
        guard (1...Self.maxParts).contains(partNumber) else {
            throw AWSError(kind: .invalidRequest, service: "s3", operation: "UploadPart", message: "part number \(partNumber) is outside 1...10000")
        }
        let response = try await transport.send(request(
            "UploadPart", "PUT", bucket: bucket, key: key,
            query: [("partNumber", String(partNumber)), ("uploadId", uploadID)],
            headers: [("content-md5", Self.contentMD5(body))], body: body))
        guard let eTag = response.header("etag") else {
            throw AWSError(kind: .invalidResponse, service: "s3", operation: "UploadPart", message: "no ETag in response",
                           httpStatus: response.status, requestID: response.requestID)
        }
        return eTag
    }

    /// ListParts: every part stored so far, following pagination.
    public func listParts(bucket: String, key: String, uploadID: String) async throws -> [UploadedPart] {
        var parts: [UploadedPart] = []
        var marker: String?
        repeat {
            var query: [(String, String)] = [("uploadId", uploadID)]
            if let marker { query.append(("part-number-marker", marker)) }
            let response = try await transport.send(request("ListParts", "GET", bucket: bucket, key: key, query: query))
            // moto answers <ListPartsResponse>, AWS <ListPartsResult>: the root's name is not checked.
            let result = try xml(response, S3XML.ListPartsResult.self, operation: "ListParts")
            parts += (result.part ?? []).map { UploadedPart(partNumber: $0.partNumber, eTag: $0.eTag, size: $0.size ?? 0) }
            marker = result.isTruncated == true ? result.nextPartNumberMarker : nil
        } while marker != nil
        return parts
    }

    /// CompleteMultipartUpload with the given parts (sorted by number here). A 200 response carrying
    /// an `<Error>` is treated as a retryable 500. Returns the object's ETag.
    @discardableResult
    public func completeMultipartUpload(bucket: String, key: String, uploadID: String, parts: [(partNumber: Int, eTag: String)]) async throws
        -> String?
    {
        let sorted = parts.sorted { $0.partNumber < $1.partNumber }
        let body = try Self.xmlBody(S3XML.CompleteMultipartUpload(part: sorted.map { S3XML.CompleteMultipartUpload.Part(partNumber: $0.partNumber, eTag: $0.eTag) }),
                                    root: "CompleteMultipartUpload")
        var completeRequest = request("CompleteMultipartUpload", "POST", bucket: bucket, key: key, query: [("uploadId", uploadID)], body: body)
        completeRequest.errorMayHideIn200 = true
        let response = try await transport.send(completeRequest)
        return try xml(response, S3XML.CompleteMultipartUploadResult.self, operation: "CompleteMultipartUpload").eTag
    }

    /// AbortMultipartUpload: discards the upload and its parts.
    public func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws {
        _ = try await transport.send(request("AbortMultipartUpload", "DELETE", bucket: bucket, key: key, query: [("uploadId", uploadID)]))
    }

    /// ListMultipartUploads: uploads in progress under `prefix` as (key, upload id), e.g. to find orphans.
    public func listMultipartUploads(bucket: String, prefix: String? = nil) async throws -> [(key: String, uploadID: String)] {
        var uploads: [(key: String, uploadID: String)] = []
        var keyMarker: String?
        var idMarker: String?
        repeat {
            var query: [(String, String)] = [("uploads", "")]
            if let prefix { query.append(("prefix", prefix)) }
            if let keyMarker { query.append(("key-marker", keyMarker)) }
            if let idMarker { query.append(("upload-id-marker", idMarker)) }
            let response = try await transport.send(request("ListMultipartUploads", "GET", bucket: bucket, query: query))
            let result = try xml(response, S3XML.ListMultipartUploadsResult.self, operation: "ListMultipartUploads")
            uploads += (result.upload ?? []).map { ($0.key, $0.uploadId) }
            let truncated = result.isTruncated == true
            keyMarker = truncated ? result.nextKeyMarker : nil
            idMarker = truncated ? result.nextUploadIdMarker : nil
        } while keyMarker != nil
        return uploads
    }

    /// Uploads an object in `partCount` parts, `concurrency` at a time, and completes it.
    ///
    /// `readPart(n)` returns part `n` (1-based); every part but the last must be at least 5 MiB on AWS.
    /// To make an upload resumable, create it first with ``createMultipartUpload(bucket:key:contentType:)``,
    /// persist the id, and pass it as `uploadID`: parts already stored whose size and MD5 match the
    /// local part are skipped (found with ListParts). On failure the upload is left in place for a
    /// later resume; call ``abortMultipartUpload(bucket:key:uploadID:)`` to give up.
    public func uploadMultipart(bucket: String, key: String, uploadID: String? = nil, partCount: Int, concurrency: Int = 4,
                                contentType: String? = nil,
                                readPart: @escaping @Sendable (Int) async throws -> ByteBuffer) async throws -> MultipartUploadResult {
        guard (1...Self.maxParts).contains(partCount) else {
            throw AWSError(kind: .invalidRequest, service: "s3", operation: "UploadPart", message: "part count \(partCount) is outside 1...10000")
        }
        let id: String
        var existing: [Int: UploadedPart] = [:]
        if let uploadID {
            id = uploadID
            for part in try await listParts(bucket: bucket, key: key, uploadID: uploadID) { existing[part.partNumber] = part }
        } else {
            id = try await createMultipartUpload(bucket: bucket, key: key, contentType: contentType)
        }
        let known = existing
        let results = try await withThrowingTaskGroup(of: (Int, String, Bool).self) { group in
            var next = 1
            func addTask() {
                let number = next
                next += 1
                group.addTask {
                    let body = try await readPart(number)
                    if let stored = known[number], stored.size == Int64(body.readableBytes),
                        stored.eTag.replacingAll("\"", with: "") == Self.md5Hex(body)
                    {
                        return (number, stored.eTag, true)
                    }
                    let eTag = try await self.uploadPart(bucket: bucket, key: key, uploadID: id, partNumber: number, body: body)
                    return (number, eTag, false)
                }
            }
            while next <= partCount, next <= max(1, concurrency) { addTask() }
            var done: [(Int, String, Bool)] = []
            while let result = try await group.next() {
                done.append(result)
                if next <= partCount { addTask() }
            }
            return done
        }
        let eTag = try await completeMultipartUpload(bucket: bucket, key: key, uploadID: id,
                                                     parts: results.map { (partNumber: $0.0, eTag: $0.1) })
        return MultipartUploadResult(uploadID: id, eTag: eTag, partsUploaded: results.filter { !$0.2 }.count,
                                     partsReused: results.filter { $0.2 }.count)
    }
}
