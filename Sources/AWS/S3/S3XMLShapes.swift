/// The XML shapes of the S3 operations this client calls (``AWSXML`` reads and writes them).
enum S3XML {
    /// S3's namespace, on the root of every request body.
    static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

    /// `ListBucketResult` (ListObjectsV2).
    struct ListBucketResult: Decodable {
        struct Contents: Decodable {
            var key: String
            var size: Int64?
            var eTag: String?
            var lastModified: String?
        }
        struct CommonPrefixes: Decodable {
            var prefix: String
        }
        var encodingType: String?
        var contents: [Contents]?
        var commonPrefixes: [CommonPrefixes]?
        var isTruncated: Bool?
        var nextContinuationToken: String?
    }

    /// `DeleteResult` (DeleteObjects).
    struct DeleteResult: Decodable {
        struct Deleted: Decodable {
            var key: String
        }
        struct Error: Decodable {
            var key: String?
            var code: String?
            var message: String?
        }
        var deleted: [Deleted]?
        var error: [Error]?
    }

    /// `Delete` (DeleteObjects' request).
    struct Delete: Encodable {
        struct Object: Encodable {
            var key: String
        }
        var quiet = false
        var object: [Object]
    }

    /// `InitiateMultipartUploadResult` (CreateMultipartUpload).
    struct InitiateMultipartUploadResult: Decodable {
        var uploadId: String?
    }

    /// `ListPartsResult` (ListParts).
    struct ListPartsResult: Decodable {
        struct Part: Decodable {
            var partNumber: Int
            var eTag: String
            var size: Int64?
        }
        var part: [Part]?
        var isTruncated: Bool?
        var nextPartNumberMarker: String?
    }

    /// `CompleteMultipartUpload` (its request).
    struct CompleteMultipartUpload: Encodable {
        struct Part: Encodable {
            var partNumber: Int
            var eTag: String
        }
        var part: [Part]
    }

    /// `CompleteMultipartUploadResult`.
    struct CompleteMultipartUploadResult: Decodable {
        var eTag: String?
    }

    /// `ListMultipartUploadsResult` (ListMultipartUploads).
    struct ListMultipartUploadsResult: Decodable {
        struct Upload: Decodable {
            var key: String
            var uploadId: String
        }
        var upload: [Upload]?
        var isTruncated: Bool?
        var nextKeyMarker: String?
        var nextUploadIdMarker: String?
    }

    /// `CreateBucketConfiguration` (CreateBucket's request outside us-east-1).
    struct CreateBucketConfiguration: Encodable {
        var locationConstraint: String
    }
}
